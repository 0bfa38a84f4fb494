// Frames: int32 length (bytes after itself) | int32 headerInfo (serialize type << 24 | header length) |
// header | body (remoting.md §2). FrameSplitter turns a byte stream into frames whatever the chunking;
// any malformed frame throws FrameDecodeError and the caller closes that connection.
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { decodeBinaryHeader, encodeBinaryHeader } from './header-binary.js';
import { decodeJsonHeader, encodeJsonHeader, encodeJsonHeaderString } from './header-json.js';

export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

export function encodeHeader(cmd: RemotingCommand): Buffer {
  return cmd.serializeType === SerializeType.ROCKETMQ ? encodeBinaryHeader(cmd) : encodeJsonHeader(cmd);
}

/** The whole frame as one buffer (header and body copied once). */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const bodyLen = cmd.body ? cmd.body.length : 0;
  let out: Buffer;
  let headerLen: number;
  if (cmd.serializeType === SerializeType.ROCKETMQ) {
    const header = encodeBinaryHeader(cmd);
    headerLen = header.length;
    out = Buffer.allocUnsafe(8 + headerLen + bodyLen);
    header.copy(out, 8);
  } else {
    // JSON: the header string is written straight into the frame (no intermediate header buffer)
    const s = encodeJsonHeaderString(cmd);
    headerLen = Buffer.byteLength(s, 'utf8');
    out = Buffer.allocUnsafe(8 + headerLen + bodyLen);
    out.write(s, 8, headerLen, 'utf8');
  }
  out.writeInt32BE(4 + headerLen + bodyLen, 0);
  out.writeUInt32BE(((cmd.serializeType & 0xff) << 24 | headerLen) >>> 0, 4);
  if (cmd.body) cmd.body.copy(out, 8 + headerLen);
  return out;
}

/** Decode one frame's content (everything after the 4-byte length). */
export function decodeFrameContent(content: Buffer): RemotingCommand {
  if (content.length < 4) throw new FrameDecodeError(`frame too short: ${content.length}`);
  const info = content.readUInt32BE(0);
  const type = info >>> 24;
  const headerLen = info & 0x00ffffff;
  if (headerLen > content.length - 4) throw new FrameDecodeError(`decode error, bad header length: ${headerLen}`);
  const header = content.subarray(4, 4 + headerLen);
  let cmd: RemotingCommand;
  if (type === SerializeType.JSON) cmd = decodeJsonHeader(header);
  else if (type === SerializeType.ROCKETMQ) cmd = decodeBinaryHeader(header);
  else throw new FrameDecodeError(`unknown serialize type: ${type}`);
  const bodyLen = content.length - 4 - headerLen;
  if (bodyLen > 0) cmd.body = content.subarray(4 + headerLen);
  return cmd;
}

/**
 * Accumulates stream chunks and yields complete frame contents. Keeps a list of chunks rather than
 * concatenating on every read, so many small frames in one chunk and one frame over many chunks are
 * both cheap.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameSize: number = DEFAULT_MAX_FRAME_SIZE) {}

  /** Feed bytes; returns the complete frame contents now available. Throws FrameDecodeError on a bad length. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const len = this.peekInt32();
      if (len < 4) throw new FrameDecodeError(`bad frame length: ${len}`);
      if (len + 4 > this.maxFrameSize) {
        throw new FrameDecodeError(`frame length ${len + 4} exceeds maximum ${this.maxFrameSize}`);
      }
      if (this.buffered < len + 4) break;
      const whole = this.take(len + 4);
      frames.push(whole.subarray(4));
    }
    return frames;
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].readInt32BE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const want = n - filled;
      if (c.length <= want) {
        c.copy(out, filled);
        filled += c.length;
        this.chunks.shift();
      } else {
        c.copy(out, filled, 0, want);
        this.chunks[0] = c.subarray(want);
        filled += want;
      }
    }
    this.buffered -= n;
    return out;
  }
}
