// JSON header codec in fastjson's dialect (remoting.md §4): properties in alphabetical order, nulls
// omitted, control characters escaped as \uXXXX, non-ASCII raw UTF-8, '/' unescaped. The parser is
// lenient as fastjson is: language as a name or an ordinal, extFields values that are numbers/booleans
// coerced to strings, unknown properties ignored.
// Both directions run once per request and once per response on every connection: the encoder writes
// bytes straight into the frame buffer (writeJsonHeader) instead of building strings first, and the decoder
// reads the shape every peer sends in one pass over the bytes (readCommonHeader), leaving anything else to
// JSON.parse.
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { parseLanguage } from './language.js';
import { headerToBuffer } from './header-writer.js';
import { internName, nameSlot, NAME_SLOTS } from './name-cache.js';

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
  return headerToBuffer(cmd, writeJsonHeader);
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

/** By byte: 1 for the ASCII characters a JSON string carries as they are (printable, not '"' or '\\'), else 0. */
const PLAIN = new Uint8Array(256).map((_, c) => (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? 1 : 0));

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
  // the usual run: printable ASCII that needs no escape, one table load per character
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || PLAIN[c] === 0) break;
    buf[p + i] = c;
  }
  p += i;
  for (; i < n; i++) {
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
  // int32 values (code, flag, opaque, version) digit by digit: no number-to-string per header
  if ((v | 0) !== v || v === -0x80000000 || p + 11 > end) return putAscii(buf, p, end, '' + v);
  if (v < 0) {
    buf[p++] = 0x2d;
    v = -v;
  }
  if (v < 10) {
    buf[p++] = 0x30 + v;
    return p;
  }
  const digits = v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
  for (let k = p + digits - 1; k >= p; k--) {
    const q = (v / 10) | 0;
    buf[k] = 0x30 + (v - q * 10);
    v = q;
  }
  return p + digits;
}

/** The header's fixed pieces, encoded once. */
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const H_CODE = ascii('{"code":');
const H_EXT = ascii(',"extFields":{');
const H_FLAG = ascii(',"flag":');
const H_LANGUAGE = ascii(',"language":');
const H_OPAQUE = ascii(',"opaque":');
const H_REMARK = ascii(',"remark":');
const H_TAIL = ascii(',"serializeTypeCurrentRPC":"JSON","version":');

/** A fixed piece at `p`; -1 when it does not fit. */
function putBytes(buf: Buffer, p: number, end: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (p + n > end) return -1;
  buf.set(bytes, p);
  return p + n;
}

/**
 * Writes the JSON header of `cmd` into `buf` from `pos`, never past `end`; returns the position after the
 * header, or -1 when it does not fit (the caller retries with more room). Same bytes as
 * Buffer.from(encodeJsonHeaderString(cmd), 'utf8').
 */
export function writeJsonHeader(cmd: RemotingCommand, buf: Buffer, pos: number, end: number): number {
  let p = putBytes(buf, pos, end, H_CODE);
  if (p < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.code)) < 0) return -1;
  const ext = cmd.extFields as Record<string, unknown> | undefined;
  if (ext) {
    if ((p = putBytes(buf, p, end, H_EXT)) < 0) return -1;
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
  if ((p = putBytes(buf, p, end, H_FLAG)) < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.flag)) < 0) return -1;
  if ((p = putBytes(buf, p, end, H_LANGUAGE)) < 0) return -1;
  if ((p = putString(buf, p, end, cmd.language)) < 0) return -1;
  if ((p = putBytes(buf, p, end, H_OPAQUE)) < 0) return -1;
  if ((p = putNumber(buf, p, end, cmd.opaque)) < 0) return -1;
  if (cmd.remark !== undefined && cmd.remark !== null) {
    if ((p = putBytes(buf, p, end, H_REMARK)) < 0) return -1;
    if ((p = putString(buf, p, end, cmd.remark)) < 0) return -1;
  }
  if ((p = putBytes(buf, p, end, H_TAIL)) < 0) return -1;
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

/** Decodes the JSON header in `buf` between `start` and `end` (the whole buffer by default). */
export function decodeJsonHeader(buf: Buffer, start = 0, end = buf.length): RemotingCommand {
  return readCommonHeader(buf, start, end) ?? parseAnyHeader(buf, start, end);
}

/** The general path: any JSON text, fastjson's lenient rules. */
function parseAnyHeader(buf: Buffer, start: number, end: number): RemotingCommand {
  let obj: unknown;
  try {
    obj = JSON.parse(buf.toString('utf8', start, end));
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

// ---- the common shape, read straight from the bytes ------------------------------------------------------
// What RocketMQ peers send: no whitespace, ASCII only, integer code/flag/opaque/version, language as a name
// or an ordinal, a string remark, string extFields values, any other property with a string value. JSON.parse
// spends most of its time on generic work (internalizing every key, number parsing); this reader makes one
// pass over the bytes and cuts each string out of one latin1 copy of the header. Anything outside that shape —
// and anything malformed — returns undefined and goes through parseAnyHeader, which then decides exactly as
// always (accepting, coercing or throwing FrameDecodeError), so the fast path changes no outcome.

/** The header as latin1 text (ASCII-only here, so a byte offset minus textBase is a char offset). */
let text = '';
let textBase = 0;
/** The string the last readStr call read. */
let strValue = '';
/** The integer the last readInt call read. */
let intValue = 0;
/** One-character keys (the send header's a..z) without slicing them out of the text. */
const ONE_CHAR = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));

function hexDigit(c: number): number {
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

/** Reads the string literal whose quote is at `i` into strValue; the position after it, or -1. */
function readStr(b: Buffer, i: number, n: number): number {
  if (b[i] !== 0x22) return -1;
  let start = ++i;
  // most keys are one character: no slice
  if (i + 1 < n && b[i + 1] === 0x22) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x80 && c !== 0x5c && c !== 0x22) {
      strValue = ONE_CHAR[c]!;
      return i + 2;
    }
  }
  let out: string | undefined;
  for (; i < n; i++) {
    const c = b[i]!;
    // one table load settles the usual byte
    if (PLAIN[c] === 1) continue;
    if (c === 0x22) {
      strValue = out === undefined ? text.slice(start - textBase, i - textBase) : out + text.slice(start - textBase, i - textBase);
      return i + 1;
    }
    // raw control characters are not JSON, non-ASCII needs UTF-8 decoding: the general path for both
    if (c < 0x20 || c >= 0x80) return -1;
    if (c !== 0x5c) continue;
    let ch: string;
    let len = 2;
    switch (b[i + 1]) {
      case 0x22: ch = '"'; break;
      case 0x5c: ch = '\\'; break;
      case 0x2f: ch = '/'; break;
      case 0x62: ch = '\b'; break;
      case 0x66: ch = '\f'; break;
      case 0x6e: ch = '\n'; break;
      case 0x72: ch = '\r'; break;
      case 0x74: ch = '\t'; break;
      case 0x75: {
        if (i + 6 > n) return -1;
        const d0 = hexDigit(b[i + 2]!), d1 = hexDigit(b[i + 3]!), d2 = hexDigit(b[i + 4]!), d3 = hexDigit(b[i + 5]!);
        if ((d0 | d1 | d2 | d3) < 0) return -1;
        ch = String.fromCharCode((d0 << 12) | (d1 << 8) | (d2 << 4) | d3);
        len = 6;
        break;
      }
      default:
        return -1;
    }
    const piece = text.slice(start - textBase, i - textBase);
    out = out === undefined ? piece + ch : out + piece + ch;
    i += len - 1;
    start = i + 1;
  }
  return -1;
}

/** Reads a plain JSON integer at `i` into intValue; the position after it, or -1 for anything else. */
function readInt(b: Buffer, i: number, n: number): number {
  let neg = false;
  if (b[i] === 0x2d) {
    neg = true;
    i++;
  }
  const start = i;
  let v = 0;
  for (; i < n; i++) {
    const c = b[i]!;
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  const digits = i - start;
  // no digits, a leading zero (not JSON), or enough digits to lose precision: the general path decides
  if (digits === 0 || digits > 15 || (digits > 1 && b[start] === 0x30)) return -1;
  const c = b[i];
  if (c === 0x2e || c === 0x65 || c === 0x45) return -1; // a fraction or an exponent
  intValue = neg ? -v : v;
  return i;
}

const P_OTHER = 0, P_CODE = 1, P_EXT = 2, P_FLAG = 3, P_LANGUAGE = 4, P_OPAQUE = 5, P_REMARK = 6, P_VERSION = 7;

/** Which header property starts at `from` (just after its opening quote); propertyEnd = after its colon. */
let propertyEnd = 0;
function propertyAt(b: Buffer, from: number, n: number): number {
  switch (b[from]) {
    case 0x63: if (nameAt(b, from, n, 'code')) return P_CODE; break;
    case 0x65: if (nameAt(b, from, n, 'extFields')) return P_EXT; break;
    case 0x66: if (nameAt(b, from, n, 'flag')) return P_FLAG; break;
    case 0x6c: if (nameAt(b, from, n, 'language')) return P_LANGUAGE; break;
    case 0x6f: if (nameAt(b, from, n, 'opaque')) return P_OPAQUE; break;
    case 0x72: if (nameAt(b, from, n, 'remark')) return P_REMARK; break;
    case 0x76: if (nameAt(b, from, n, 'version')) return P_VERSION; break;
  }
  return P_OTHER;
}

/** Whether `name`, its closing quote and a colon are at `from`; if so propertyEnd is the position after. */
function nameAt(b: Buffer, from: number, n: number, name: string): boolean {
  const len = name.length;
  if (from + len + 2 > n) return false;
  for (let k = 0; k < len; k++) if (b[from + k] !== name.charCodeAt(k)) return false;
  if (b[from + len] !== 0x22 || b[from + len + 1] !== 0x3a) return false;
  propertyEnd = from + len + 2;
  return true;
}

/** Which VALUE_CACHE slot the name readKey just read owns (its character, or 128 + its name slot); -1: none. */
let keyId = -1;

/** Like readStr for an extFields name: the value in strValue, the position after it, or -1. */
function readKey(b: Buffer, i: number, n: number): number {
  keyId = -1;
  if (b[i] !== 0x22) return -1;
  const from = i + 1;
  let to = from;
  let c = 0;
  while (to < n && (c = b[to]!) !== 0x22 && c !== 0x5c && c >= 0x20 && c < 0x80) to++;
  if (c !== 0x22 || to === n) return readStr(b, i, n); // escapes and the like: the full string reader
  const len = to - from;
  if (len <= 1) {
    // the send header's a..n: one character, its own value slot
    const end = readStr(b, i, n);
    if (end >= 0 && strValue.length === 1) keyId = strValue.charCodeAt(0);
    return end;
  }
  strValue = internName(b, from, to);
  keyId = nameSlot >= 0 ? 128 + nameSlot : -1;
  return to + 1;
}

/**
 * The last short value read for each name slot. Most fields repeat from one request to the next (group,
 * topic, flags): a value equal to its slot's is the same string again, not a new slice — and later lookups
 * keyed by it (the topic's tables) compare one pointer instead of its characters.
 */
const VALUE_CACHE: Array<string | undefined> = new Array(128 + NAME_SLOTS).fill(undefined);
const VALUE_CACHE_MAX = 48;

/** Reads the value whose quote is at `i` for the name in slot `id` (or -1) into strValue; position after, or -1. */
function readValue(b: Buffer, i: number, n: number, id: number): number {
  if (id < 0) return readStr(b, i, n);
  const cached = VALUE_CACHE[id];
  if (cached !== undefined && b[i] === 0x22) {
    const len = cached.length;
    const from = i + 1;
    if (from + len < n && b[from + len] === 0x22) {
      let k = 0;
      while (k < len && cached.charCodeAt(k) === b[from + k]) k++;
      if (k === len) {
        strValue = cached;
        return from + len + 1;
      }
    }
  }
  const end = readStr(b, i, n);
  const len = end - i - 2;
  // only values read as they are (no escapes: same length as their bytes), copied out of the header's text
  if (end >= 0 && len > 1 && len <= VALUE_CACHE_MAX && strValue.length === len) {
    strValue = VALUE_CACHE[id] = b.toString('latin1', i + 1, end - 1);
  }
  return end;
}

/** Reads the extFields object at `i` into cmd.extFields; the position after it, or -1. */
function readExt(b: Buffer, i: number, n: number, cmd: RemotingCommand): number {
  if (b[i] !== 0x7b) return -1;
  const ext: Record<string, string> = {};
  i++;
  if (b[i] !== 0x7d) {
    for (;;) {
      if ((i = readKey(b, i, n)) < 0) return -1;
      const k = strValue;
      // JSON.parse makes "__proto__" an own property; that case belongs to the general path
      if (b[i] !== 0x3a || k === '__proto__') return -1;
      if ((i = readValue(b, i + 1, n, keyId)) < 0) return -1;
      ext[k] = strValue;
      const c = b[i];
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x7d) break;
      return -1;
    }
  }
  cmd.extFields = ext;
  return i + 1;
}

/** The header when it has the common shape, else undefined (see above). */
function readCommonHeader(b: Buffer, start: number, n: number): RemotingCommand | undefined {
  if (n - start < 2 || b[start] !== 0x7b) return undefined;
  text = b.toString('latin1', start, n);
  textBase = start;
  const cmd = new RemotingCommand();
  cmd.serializeType = SerializeType.JSON;
  cmd.version = 0;
  let i = start + 1;
  if (b[i] !== 0x7d) {
    for (;;) {
      if (b[i] !== 0x22) return undefined;
      // property names compared in place: no string made for them
      const from = i + 1;
      const property = propertyAt(b, from, n);
      if (property !== P_OTHER) {
        i = propertyEnd;
      } else {
        // another name, read and ignored (one with an escape or outside ASCII: general path)
        let to = from;
        let c = 0;
        while (to < n && (c = b[to]!) !== 0x22 && c !== 0x5c && c >= 0x20 && c < 0x80) to++;
        if (c !== 0x22 || b[to + 1] !== 0x3a) return undefined;
        i = to + 2;
      }
      switch (property) {
        case P_CODE:
          if ((i = readInt(b, i, n)) < 0) return undefined;
          cmd.code = intValue;
          break;
        case P_EXT:
          if ((i = readExt(b, i, n, cmd)) < 0) return undefined;
          break;
        case P_FLAG:
          if ((i = readInt(b, i, n)) < 0) return undefined;
          cmd.flag = intValue;
          break;
        case P_LANGUAGE: { // a name or an ordinal
          let lang: string | undefined;
          if (b[i] === 0x22) {
            if ((i = readStr(b, i, n)) < 0) return undefined;
            lang = parseLanguage(strValue);
          } else {
            if ((i = readInt(b, i, n)) < 0) return undefined;
            lang = parseLanguage(intValue);
          }
          cmd.language = lang ?? 'OTHER';
          break;
        }
        case P_OPAQUE:
          if ((i = readInt(b, i, n)) < 0) return undefined;
          cmd.opaque = intValue;
          break;
        case P_REMARK:
          if ((i = readStr(b, i, n)) < 0) return undefined;
          cmd.remark = strValue;
          break;
        case P_VERSION:
          if ((i = readInt(b, i, n)) < 0) return undefined;
          cmd.version = intValue;
          break;
        default:
          // serializeTypeCurrentRPC and other unknown properties are ignored; one with a string value is
          // skipped here, any other value left to the general path
          if ((i = readStr(b, i, n)) < 0) return undefined;
      }
      const c = b[i];
      if (c === 0x2c) {
        i++;
        continue;
      }
      if (c === 0x7d) break;
      return undefined;
    }
  }
  // the closing brace must end the header
  if (i + 1 !== n) return undefined;
  text = '';
  strValue = '';
  return cmd;
}
