// ROCKETMQ binary header codec (remoting.md §5; its length is 21 + remark + extFields bytes):
// code i16 | language i8 | version i16 | opaque i32 | flag i32 | remark (i32 len + utf8) | extFields (i32 block len,
// then entries of i16 key len + key, i32 value len + value). Zero-length strings decode as absent.
// Peers that choose this type (ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ) do so for speed: the encoder writes straight
// into the frame buffer, and the decoder cuts ASCII strings out of one latin1 copy of the header, as the JSON
// codec does.
import { isAscii } from 'node:buffer';
import { put16, put32 } from '../common/bytes.js';
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { languageCode, languageName } from './language.js';
import { internName } from './name-cache.js';
import { headerToBuffer } from './header-writer.js';

/** The header as one buffer (the frame encoder writes it straight into the frame instead). */
export function encodeBinaryHeader(cmd: RemotingCommand): Buffer {
  return headerToBuffer(cmd, writeBinaryHeader);
}

/**
 * Writes `s` as UTF-8 at `p` (no length prefix); returns the position after it, or -1 when it might not fit
 * before `end`. ASCII by a loop (header strings are short), anything else by the native encoder.
 */
function putUtf8(buf: Buffer, p: number, end: number, s: string): number {
  const n = s.length;
  if (p + n > end) return -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      const len = Buffer.byteLength(s, 'utf8');
      if (p + len > end) return -1;
      return p + buf.write(s, p, len, 'utf8');
    }
    buf[p + i] = c;
  }
  return p + n;
}

/**
 * Writes the binary header of `cmd` into `buf` from `pos`, never past `end`; returns the position after the
 * header, or -1 when it does not fit (the caller retries with more room).
 */
export function writeBinaryHeader(cmd: RemotingCommand, buf: Buffer, pos: number, end: number): number {
  if (pos + 21 > end) return -1;
  let p = pos;
  put16(buf, p, cmd.code); p += 2; // codes above 32767 do not fit, as in Java: truncated
  buf[p++] = languageCode(cmd.language);
  put16(buf, p, cmd.version); p += 2;
  put32(buf, p, cmd.opaque); p += 4;
  put32(buf, p, cmd.flag); p += 4;
  const remark = cmd.remark;
  if (remark) {
    const at = p;
    if ((p = putUtf8(buf, p + 4, end, remark)) < 0) return -1;
    put32(buf, at, p - at - 4);
  } else {
    put32(buf, p, 0);
    p += 4;
  }
  if (p + 4 > end) return -1;
  const mapAt = p;
  p += 4;
  const ext = cmd.extFields as Record<string, unknown> | undefined;
  if (ext) {
    for (const k in ext) {
      const v = ext[k];
      if (v === undefined || v === null) continue;
      const keyAt = p;
      if ((p = putUtf8(buf, p + 2, end, k)) < 0) return -1;
      put16(buf, keyAt, p - keyAt - 2);
      const valueAt = p;
      if ((p = putUtf8(buf, p + 4, end, typeof v === 'string' ? v : String(v))) < 0) return -1;
      put32(buf, valueAt, p - valueAt - 4);
    }
  }
  put32(buf, mapAt, p - mapAt - 4);
  return p;
}

/** Decodes the binary header in `buf` between `start` and `end` (the whole buffer by default). */
export function decodeBinaryHeader(buf: Buffer, start = 0, end = buf.length): RemotingCommand {
  const length = end - start;
  const need = (p: number, n: number, what: string): void => {
    if (p + n > end) throw new FrameDecodeError(`binary header truncated reading ${what}`);
  };
  let p = start;
  need(p, 13, 'fixed fields');
  const cmd = new RemotingCommand();
  cmd.serializeType = SerializeType.ROCKETMQ;
  cmd.code = buf.readInt16BE(p); p += 2;
  const lang = languageName(buf.readInt8(p)); p += 1;
  cmd.language = lang ?? 'OTHER';
  cmd.version = buf.readInt16BE(p); p += 2;
  cmd.opaque = buf.readInt32BE(p); p += 4;
  cmd.flag = buf.readInt32BE(p); p += 4;
  need(p, 4, 'remark length');
  const remarkLen = buf.readInt32BE(p); p += 4;
  if (remarkLen < 0 || remarkLen > length) throw new FrameDecodeError(`bad remark length: ${remarkLen}`);
  if (remarkLen > 0) {
    need(p, remarkLen, 'remark');
    cmd.remark = buf.toString('utf8', p, p + remarkLen);
    p += remarkLen;
  }
  need(p, 4, 'extFields length');
  const mapLen = buf.readInt32BE(p); p += 4;
  if (mapLen < 0 || mapLen > end - p) {
    throw new FrameDecodeError(`RocketMQ protocol decoding failed, extFields length: ${mapLen}, but header length: ${length}`);
  }
  if (mapLen > 0) {
    const mapEnd = p + mapLen;
    // what every peer sends is ASCII: then byte offsets are character offsets of one latin1 copy of the block,
    // and each value is a slice of it instead of a UTF-8 decode of its own
    const ascii = isAscii(buf.subarray(p, mapEnd));
    const text = ascii ? buf.toString('latin1', p, mapEnd) : '';
    const textBase = p;
    const ext: Record<string, string> = {};
    while (p < mapEnd) {
      if (p + 2 > mapEnd) throw new FrameDecodeError('extFields entry truncated (key length)');
      const kl = (buf[p]! << 8) | buf[p + 1]!; p += 2;
      // a negative int16 length, read as unsigned, is always past the block
      if (kl > 0x7fff || p + kl > mapEnd) throw new FrameDecodeError(`string length exceed limit:${(kl << 16) >> 16}`);
      const key = kl === 0 ? '' : ascii ? internName(buf, p, p + kl) : buf.toString('utf8', p, p + kl);
      p += kl;
      if (p + 4 > mapEnd) throw new FrameDecodeError('extFields entry truncated (value length)');
      const vl = buf.readInt32BE(p); p += 4;
      if (vl < 0 || p + vl > mapEnd) throw new FrameDecodeError(`string length exceed limit:${vl}`);
      if (kl > 0 && vl > 0) ext[key] = ascii ? text.slice(p - textBase, p + vl - textBase) : buf.toString('utf8', p, p + vl);
      p += vl;
    }
    cmd.extFields = ext;
  }
  return cmd;
}
