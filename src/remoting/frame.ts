// Frames: int32 length (bytes after itself) | int32 headerInfo (serialize type << 24 | header length) |
// header | body (remoting.md §2). FrameSplitter turns a byte stream into frames whatever the chunking;
// any malformed frame throws FrameDecodeError and the caller closes that connection.
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { decodeBinaryHeader, encodeBinaryHeader } from './header-binary.js';
import { decodeJsonHeader, encodeJsonHeader, writeJsonHeader } from './header-json.js';

export const DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;

export function encodeHeader(cmd: RemotingCommand): Buffer {
  return cmd.serializeType === SerializeType.ROCKETMQ ? encodeBinaryHeader(cmd) : encodeJsonHeader(cmd);
}

// Frames are encoded into a shared arena and handed out as slices of it, the way Buffer.allocUnsafe hands out
// slices of its pool: no per-frame allocation, and frames encoded one after another are adjacent, so a
// connection writes a whole tick's frames as one slice without copying them again. A region is never written
// twice (`arenaUsed` only grows), so a slice stays valid for as long as its holder keeps it.
const ARENA_SIZE = 64 * 1024;
/** Bodies above this get a frame buffer of their own instead of a slice of the arena. */
const ARENA_MAX_FRAME = 16 * 1024;
let arena = Buffer.allocUnsafe(ARENA_SIZE);
let arenaUsed = 0;

function newArena(): void {
  arena = Buffer.allocUnsafe(ARENA_SIZE);
  arenaUsed = 0;
}

/** The whole frame as one buffer (the body copied once; a JSON header written straight into the frame). */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const body = cmd.body;
  const bodyLen = body ? body.length : 0;
  const type = cmd.serializeType;
  let out: Buffer;
  let start: number;
  let headerLen: number;
  if (type === SerializeType.ROCKETMQ) {
    const header = encodeBinaryHeader(cmd);
    headerLen = header.length;
    if (8 + headerLen + bodyLen > ARENA_MAX_FRAME) {
      out = Buffer.allocUnsafe(8 + headerLen + bodyLen);
      start = 0;
    } else {
      if (arenaUsed + 8 + headerLen + bodyLen > ARENA_SIZE) newArena();
      out = arena;
      start = arenaUsed;
    }
    header.copy(out, start + 8);
  } else {
    // the JSON header is written into the arena first: its length is known only once written
    let end = writeJsonHeader(cmd, arena, arenaUsed + 8, ARENA_SIZE);
    if (end < 0 && arenaUsed > 0) {
      newArena();
      end = writeJsonHeader(cmd, arena, 8, ARENA_SIZE);
    }
    if (end < 0) {
      // a header above the arena's size (huge remark or extFields): encoded on its own
      const header = encodeJsonHeader(cmd);
      headerLen = header.length;
      out = Buffer.allocUnsafe(8 + headerLen + bodyLen);
      start = 0;
      header.copy(out, 8);
    } else {
      start = arenaUsed;
      headerLen = end - start - 8;
      if (8 + headerLen + bodyLen > ARENA_MAX_FRAME) {
        // a big body: a frame buffer of its own (the header bytes in the arena are simply not kept)
        out = Buffer.allocUnsafe(8 + headerLen + bodyLen);
        arena.copy(out, 8, start + 8, end);
        start = 0;
      } else if (end + bodyLen > ARENA_SIZE) {
        // header written, body does not fit behind it: move the header to the front of a fresh arena
        const old = arena;
        newArena();
        old.copy(arena, 8, start + 8, end);
        out = arena;
        start = 0;
      } else {
        out = arena;
      }
    }
  }
  const total = 8 + headerLen + bodyLen;
  out.writeInt32BE(4 + headerLen + bodyLen, start);
  out.writeUInt32BE(((type & 0xff) << 24 | headerLen) >>> 0, start + 4);
  if (body) body.copy(out, start + 8 + headerLen);
  if (out !== arena) return out;
  arenaUsed = start + total;
  return arena.subarray(start, arenaUsed);
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
