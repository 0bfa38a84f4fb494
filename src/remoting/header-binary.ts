// ROCKETMQ binary header codec (remoting.md §5; its length is 21 + remark + extFields bytes):
// code i16 | language i8 | version i16 | opaque i32 | flag i32 | remark (i32 len + utf8) | extFields (i32 block len,
// then entries of i16 key len + key, i32 value len + value). Zero-length strings decode as absent.
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { languageCode, languageName } from './language.js';

export function encodeBinaryHeader(cmd: RemotingCommand): Buffer {
  const remark = cmd.remark ? Buffer.from(cmd.remark, 'utf8') : undefined;
  const entries: Array<[Buffer, Buffer]> = [];
  let mapLen = 0;
  if (cmd.extFields) {
    for (const [k, v] of Object.entries(cmd.extFields)) {
      if (v === undefined || v === null) continue;
      const kb = Buffer.from(k, 'utf8');
      const vb = Buffer.from(String(v), 'utf8');
      entries.push([kb, vb]);
      mapLen += 2 + kb.length + 4 + vb.length;
    }
  }
  const remarkLen = remark ? remark.length : 0;
  const out = Buffer.allocUnsafe(21 + remarkLen + mapLen);
  let p = 0;
  out.writeInt16BE((cmd.code << 16) >> 16, p); p += 2; // codes above 32767 do not fit, as in Java: truncated
  out.writeInt8(languageCode(cmd.language), p); p += 1;
  out.writeInt16BE((cmd.version << 16) >> 16, p); p += 2;
  out.writeInt32BE(cmd.opaque | 0, p); p += 4;
  out.writeInt32BE(cmd.flag | 0, p); p += 4;
  out.writeInt32BE(remarkLen, p); p += 4;
  if (remark) { remark.copy(out, p); p += remark.length; }
  out.writeInt32BE(mapLen, p); p += 4;
  for (const [kb, vb] of entries) {
    out.writeInt16BE(kb.length, p); p += 2;
    kb.copy(out, p); p += kb.length;
    out.writeInt32BE(vb.length, p); p += 4;
    vb.copy(out, p); p += vb.length;
  }
  return out;
}

export function decodeBinaryHeader(buf: Buffer): RemotingCommand {
  const need = (p: number, n: number, what: string): void => {
    if (p + n > buf.length) throw new FrameDecodeError(`binary header truncated reading ${what}`);
  };
  let p = 0;
  need(p, 13, "fixed fields");
  const cmd = new RemotingCommand();
  cmd.serializeType = SerializeType.ROCKETMQ;
  cmd.code = buf.readInt16BE(p); p += 2;
  const lang = languageName(buf.readInt8(p)); p += 1;
  cmd.language = lang ?? 'OTHER';
  cmd.version = buf.readInt16BE(p); p += 2;
  cmd.opaque = buf.readInt32BE(p); p += 4;
  cmd.flag = buf.readInt32BE(p); p += 4;
  const remarkLen = buf.readInt32BE(p); p += 4;
  if (remarkLen < 0 || remarkLen > buf.length) throw new FrameDecodeError(`bad remark length: ${remarkLen}`);
  if (remarkLen > 0) {
    need(p, remarkLen, 'remark');
    cmd.remark = buf.toString('utf8', p, p + remarkLen);
    p += remarkLen;
  }
  need(p, 4, 'extFields length');
  const mapLen = buf.readInt32BE(p); p += 4;
  if (mapLen < 0 || mapLen > buf.length - p) {
    throw new FrameDecodeError(`RocketMQ protocol decoding failed, extFields length: ${mapLen}, but header length: ${buf.length}`);
  }
  if (mapLen > 0) {
    const end = p + mapLen;
    const ext: Record<string, string> = {};
    while (p < end) {
      if (p + 2 > end) throw new FrameDecodeError('extFields entry truncated (key length)');
      const kl = buf.readInt16BE(p); p += 2;
      if (kl < 0 || p + kl > end) throw new FrameDecodeError(`string length exceed limit:${kl}`);
      const key = buf.toString('utf8', p, p + kl); p += kl;
      if (p + 4 > end) throw new FrameDecodeError('extFields entry truncated (value length)');
      const vl = buf.readInt32BE(p); p += 4;
      if (vl < 0 || p + vl > end) throw new FrameDecodeError(`string length exceed limit:${vl}`);
      const val = buf.toString('utf8', p, p + vl); p += vl;
      if (kl > 0 && vl > 0) ext[key] = val;
    }
    cmd.extFields = ext;
  }
  return cmd;
}
