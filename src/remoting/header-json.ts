// JSON header codec in fastjson's dialect (remoting.md §4): properties in alphabetical order, nulls
// omitted, control characters escaped as \uXXXX, non-ASCII raw UTF-8, '/' unescaped. The parser is
// lenient as fastjson is: language as a name or an ordinal, extFields values that are numbers/booleans
// coerced to strings, unknown properties ignored.
// The encoder runs once per request and once per response on every connection, so it writes bytes
// straight into the frame buffer (writeJsonHeader) instead of building strings first.
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

/** The JSON header as one buffer (the frame encoder writes it straight into the frame instead). */
export function encodeJsonHeader(cmd: RemotingCommand): Buffer {
  let size = 512;
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    const end = writeJsonHeader(cmd, buf, 0, size);
    if (end >= 0) return buf.subarray(0, end);
    size *= 4;
  }
}

/** The JSON header as a string (same text as the bytes writeJsonHeader produces). */
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

const HEX = '0123456789ABCDEF';

/**
 * Writes `s` as a fastjson string literal (quotes included) as UTF-8 at `p`; returns the position after it,
 * or -1 when it might not fit before `end` (nothing meaningful written then). Lone surrogates become U+FFFD,
 * as Buffer.from(s, 'utf8') does.
 */
function putString(buf: Buffer, p: number, end: number, s: string): number {
  const n = s.length;
  // worst case: 6 bytes per UTF-16 unit (\u00XX), plus the quotes
  if (p + n * 6 + 2 > end) return -1;
  buf[p++] = 0x22;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x7f) {
        buf[p++] = c;
        continue;
      }
      buf[p++] = 0x5c;
      switch (c) {
        case 0x22: buf[p++] = 0x22; break;
        case 0x5c: buf[p++] = 0x5c; break;
        case 0x08: buf[p++] = 0x62; break; // b
        case 0x09: buf[p++] = 0x74; break; // t
        case 0x0a: buf[p++] = 0x6e; break; // n
        case 0x0c: buf[p++] = 0x66; break; // f
        case 0x0d: buf[p++] = 0x72; break; // r
        default:
          buf[p++] = 0x75; // u00XX
          buf[p++] = 0x30;
          buf[p++] = 0x30;
          buf[p++] = HEX.charCodeAt(c >> 4);
          buf[p++] = HEX.charCodeAt(c & 15);
      }
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[p++] = 0xf0 | (cp >> 18);
          buf[p++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[p++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[p++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  buf[p++] = 0x22;
  return p;
}

/** ASCII text (property names, punctuation, numbers) at `p`; -1 when it does not fit. */
function putAscii(buf: Buffer, p: number, end: number, s: string): number {
  const n = s.length;
  if (p + n > end) return -1;
  for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
  return p;
}

/** A header number as the template literal of encodeJsonHeaderString prints it (integers in practice). */
function putNumber(buf: Buffer, p: number, end: number, v: number): number {
  return putAscii(buf, p, end, '' + v);
}

/**
 * Writes the JSON header of `cmd` into `buf` from `pos`, never past `end`; returns the position after the
 * header, or -1 when it does not fit (the caller retries with more room). Same bytes as
 * Buffer.from(encodeJsonHeaderString(cmd), 'utf8').
 */
export function writeJsonHeader(cmd: RemotingCommand, buf: Buffer, pos: number, end: number): number {
  let p = putAscii(buf, pos, end, '{"code":');
  if (p < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.code)) < 0) return -1;
  const ext = cmd.extFields as Record<string, unknown> | undefined;
  if (ext) {
    if ((p = putAscii(buf, p, end, ',"extFields":{')) < 0) return -1;
    let first = true;
    for (const k in ext) {
      const v = ext[k];
      if (v === undefined || v === null) continue;
      if (!first) {
        if (p >= end) return -1;
        buf[p++] = 0x2c; // ,
      }
      first = false;
      if ((p = putString(buf, p, end, k)) < 0) return -1;
      if (p >= end) return -1;
      buf[p++] = 0x3a; // :
      if ((p = putString(buf, p, end, typeof v === 'string' ? v : String(v))) < 0) return -1;
    }
    if (p >= end) return -1;
    buf[p++] = 0x7d; // }
  }
  if ((p = putAscii(buf, p, end, ',"flag":')) < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.flag)) < 0) return -1;
  if ((p = putAscii(buf, p, end, ',"language":')) < 0) return -1;
  if ((p = putString(buf, p, end, cmd.language)) < 0) return -1;
  if ((p = putAscii(buf, p, end, ',"opaque":')) < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.opaque)) < 0) return -1;
  if (cmd.remark !== undefined && cmd.remark !== null) {
    if ((p = putAscii(buf, p, end, ',"remark":')) < 0) return -1;
    if ((p = putString(buf, p, end, cmd.remark)) < 0) return -1;
  }
  if ((p = putAscii(buf, p, end, ',"serializeTypeCurrentRPC":"JSON","version":')) < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.version)) < 0) return -1;
  if (p >= end) return -1;
  buf[p++] = 0x7d; // }
  return p;
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
  const src = o.extFields;
  if (src !== undefined && src !== null) {
    if (typeof src !== 'object' || Array.isArray(src)) {
      throw new FrameDecodeError('header extFields is not an object');
    }
    cmd.extFields = stringFields(src as Record<string, unknown>);
  }
  return cmd;
}

/**
 * extFields with every value a string. The parsed object itself when it already is one (what every peer
 * sends); otherwise a copy with numbers/booleans String()-ed, objects as JSON text and nulls dropped. A
 * "__proto__" key also takes the copy, where assigning it is a no-op, as it always was.
 */
function stringFields(src: Record<string, unknown>): Record<string, string> {
  let plain = true;
  for (const k in src) {
    if (typeof src[k] !== 'string' || k === '__proto__') {
      plain = false;
      break;
    }
  }
  if (plain) return src as Record<string, string>;
  const ext: Record<string, string> = {};
  for (const k in src) {
    const v = src[k];
    if (v === null || v === undefined) continue;
    ext[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return ext;
}
