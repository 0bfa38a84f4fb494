// JSON header codec in fastjson's dialect (remoting.md §4): properties in alphabetical order, nulls
// omitted, control characters escaped as \uXXXX, non-ASCII raw UTF-8, '/' unescaped. The parser is
// lenient as fastjson is: language as a name or an ordinal, extFields values that are numbers/booleans
// coerced to strings, unknown properties ignored.
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { parseLanguage } from './language.js';

/** Characters fastjson escapes; most header strings have none, and one native test settles that. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f]/;

/** JSON string literal as fastjson writes it. */
export function jsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 0x7f) {
      switch (c) {
        case 0x08: esc = '\\b'; break;
        case 0x09: esc = '\\t'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0c: esc = '\\f'; break;
        case 0x0d: esc = '\\r'; break;
        default: esc = '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
      }
    } else if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

export function encodeJsonHeader(cmd: RemotingCommand): Buffer {
  return Buffer.from(encodeJsonHeaderString(cmd), 'utf8');
}

/** The JSON header as a string (the frame encoder writes it straight into the frame buffer). */
export function encodeJsonHeaderString(cmd: RemotingCommand): string {
  let s = `{"code":${cmd.code}`;
  if (cmd.extFields) {
    const ext = cmd.extFields as Record<string, unknown>;
    let parts = '';
    for (const k in ext) {
      const v = ext[k];
      if (v === undefined || v === null) continue;
      parts += (parts.length ? ',' : '') + jsonString(k) + ':' + jsonString(String(v));
    }
    s += `,"extFields":{${parts}}`;
  }
  s += `,"flag":${cmd.flag},"language":${jsonString(cmd.language)},"opaque":${cmd.opaque}`;
  if (cmd.remark !== undefined && cmd.remark !== null) s += `,"remark":${jsonString(cmd.remark)}`;
  s += `,"serializeTypeCurrentRPC":"JSON","version":${cmd.version}}`;
  return s;
}

function asInt(v: unknown, dflt: number): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Math.trunc(Number(v));
  return dflt;
}

export function decodeJsonHeader(buf: Buffer): RemotingCommand {
  let obj: unknown;
  try {
    obj = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw new FrameDecodeError(`header is not JSON: ${(e as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new FrameDecodeError('header is not a JSON object');
  }
  const o = obj as Record<string, unknown>;
  const cmd = new RemotingCommand();
  cmd.serializeType = SerializeType.JSON;
  cmd.code = asInt(o.code, 0);
  cmd.flag = asInt(o.flag, 0);
  cmd.version = asInt(o.version, 0);
  cmd.opaque = asInt(o.opaque, 0);
  const lang = parseLanguage(o.language);
  cmd.language = o.language === undefined ? 'JAVA' : (lang ?? 'OTHER');
  if (typeof o.remark === 'string') cmd.remark = o.remark;
  else if (o.remark !== undefined && o.remark !== null) cmd.remark = String(o.remark);
  if (o.extFields !== undefined && o.extFields !== null) {
    if (typeof o.extFields !== 'object' || Array.isArray(o.extFields)) {
      throw new FrameDecodeError('header extFields is not an object');
    }
    const ext: Record<string, string> = {};
    const src = o.extFields as Record<string, unknown>;
    for (const k in src) {
      const v = src[k];
      if (v === null || v === undefined) continue;
      ext[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    cmd.extFields = ext;
  }
  return cmd;
}
