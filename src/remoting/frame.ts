// Frames: int32 length (bytes after itself) | int32 headerInfo (serialize type << 24 | header length) |
// header | body (remoting.md §2). FrameSplitter turns a byte stream into frames whatever the chunking;
// any malformed frame throws FrameDecodeError and the caller closes that connection.
import { RemotingCommand, SerializeType } from './command.js';
import { FrameDecodeError } from './errors.js';
import { decodeBinaryHeader, encodeBinaryHeader, writeBinaryHeader } from './header-binary.js';
import { decodeJsonHeader, encodeJsonHeader, writeJsonHeader } from './header-json.js';
import { put32 } from '../common/bytes.js';

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

/** The whole frame as one buffer (the body copied once; the header written straight into the frame). */
export function encodeFrame(cmd: RemotingCommand): Buffer {
  const body = cmd.body;
  const bodyLen = body ? body.length : 0;
  const type = cmd.serializeType;
  let out: Buffer;
  let start: number;
  let headerLen: number;
  const writeHeader = type === SerializeType.ROCKETMQ ? writeBinaryHeader : writeJsonHeader;
  // the header is written into the arena first: its length is known only once written
  let end = writeHeader(cmd, arena, arenaUsed + 8, ARENA_SIZE);
  if (end < 0 && arenaUsed > 0) {
    newArena();
    end = writeHeader(cmd, arena, 8, ARENA_SIZE);
  }
  if (end < 0) {
    // a header above the arena's size (huge remark or extFields): encoded on its own
    const header = encodeHeader(cmd);
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
  const total = 8 + headerLen + bodyLen;
  put32(out, start, 4 + headerLen + bodyLen);
  put32(out, start + 4, (type & 0xff) << 24 | headerLen);
  if (body) body.copy(out, start + 8 + headerLen);
  if (out !== arena) return out;
  arenaUsed = start + total;
  return arena.subarray(start, arenaUsed);
}

/** Decode one frame's content (everything after the 4-byte length). */
export function decodeFrameContent(content: Buffer): RemotingCommand {
  const n = content.length;
  if (n < 4) throw new FrameDecodeError(`frame too short: ${n}`);
  const type = content[0]!;
  const headerLen = (content[1]! << 16) | (content[2]! << 8) | content[3]!;
  if (headerLen > n - 4) throw new FrameDecodeError(`decode error, bad header length: ${headerLen}`);
  let cmd: RemotingCommand;
  // both readers take the header in place (no slice of it per frame)
  if (type === SerializeType.JSON) cmd = decodeJsonHeader(content, 4, 4 + headerLen);
  else if (type === SerializeType.ROCKETMQ) cmd = decodeBinaryHeader(content, 4, 4 + headerLen);
  else throw new FrameDecodeError(`unknown serialize type: ${type}`);
  if (n > 4 + headerLen) cmd.body = content.subarray(4 + headerLen);
  return cmd;
}

/**
 * Accumulates stream chunks and yields complete frame contents. Keeps a list of chunks and a read position
 * in the first rather than concatenating or re-slicing on every read, so many small frames in one chunk and
 * one frame over many chunks are both cheap; a frame inside one chunk is handed out as a slice of it.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  /** Read position in chunks[0]. */
  private head = 0;
  /** Bytes not yet handed out (from `head` on). */
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
      frames.push(this.takeContent(len));
    }
    return frames;
  }

  private peekInt32(): number {
    let first = this.chunks[0]!;
    let h = this.head;
    if (first.length - h < 4) {
      // the length straddles chunks: join what is buffered
      first = this.chunks[0] = Buffer.concat(this.chunks).subarray(h);
      this.chunks.length = 1;
      this.head = h = 0;
    }
    return (first[h]! << 24) | (first[h + 1]! << 16) | (first[h + 2]! << 8) | first[h + 3]!;
  }

  /** Consumes the 4-byte length and the `len` bytes after it; returns those `len` bytes. */
  private takeContent(len: number): Buffer {
    const n = len + 4;
    const first = this.chunks[0]!;
    const h = this.head;
    this.buffered -= n;
    if (first.length - h >= n) {
      const out = first.subarray(h + 4, h + n);
      if (first.length - h === n) {
        this.chunks.shift();
        this.head = 0;
      } else {
        this.head = h + n;
      }
      return out;
    }
    // spread over chunks: one copy (the 4 length bytes, all in the first chunk, are skipped)
    const out = Buffer.allocUnsafe(len);
    let filled = 0;
    let skip = h + 4;
    while (filled < len) {
      const c = this.chunks[0]!;
      const want = len - filled;
      if (c.length - skip <= want) {
        c.copy(out, filled, skip);
        filled += c.length - skip;
        this.chunks.shift();
        skip = 0;
      } else {
        c.copy(out, filled, skip, skip + want);
        filled += want;
        skip += want;
      }
    }
    this.head = skip;
    return out;
  }
}
