// What both header codecs share: a writer that fills a buffer between two positions and says where it stopped
// (or -1 when the header does not fit), and the one-buffer form built on it for callers without a frame.
import type { RemotingCommand } from './command.js';

/** Writes the header of `cmd` into `buf` from `pos`, never past `end`; the position after it, or -1. */
export type HeaderWriter = (cmd: RemotingCommand, buf: Buffer, pos: number, end: number) => number;

/** The header as one buffer, retried with more room until it fits. */
export function headerToBuffer(cmd: RemotingCommand, write: HeaderWriter): Buffer {
  let size = 512;
  for (;;) {
    const buf = Buffer.allocUnsafe(size);
    const end = write(cmd, buf, 0, size);
    if (end >= 0) return buf.subarray(0, end);
    size *= 4;
  }
}
