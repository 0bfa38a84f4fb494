import fs from 'node:fs';
import path from 'node:path';

/** Segment file name: start offset left-padded to 20 digits. */
export function offset2FileName(offset: number): string {
  return String(offset).padStart(20, '0');
}

export function isSegmentName(name: string): boolean {
  return /^\d{20}$/.test(name);
}

/** Segment files of a directory, sorted by start offset. */
export function listSegmentFiles(dir: string): { name: string; offset: number; size: number; file: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter(isSegmentName)
    .map((name) => {
      const file = path.join(dir, name);
      return { name, offset: Number(name), size: fs.statSync(file).size, file };
    })
    .sort((a, b) => a.offset - b.offset);
}

export function ensureDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
}

/** Zeroes [from, size) of a file without writing the bytes: shrink then grow (the tail becomes a hole). */
export function zeroTail(fd: number, from: number, size: number): void {
  fs.ftruncateSync(fd, from);
  fs.ftruncateSync(fd, size);
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch {
    // Some file systems refuse fsync on directories; the rename itself is still atomic.
  }
}

/** Reads exactly len bytes at pos (fewer when the file ends). */
export function readAt(fd: number, pos: number, len: number, into?: Buffer): Buffer {
  const buf = into ?? Buffer.allocUnsafe(len);
  let done = 0;
  while (done < len) {
    const n = fs.readSync(fd, buf, done, len - done, pos + done);
    if (n <= 0) break;
    done += n;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

/** Writes all buffers at pos, one writev call per 1024 buffers. */
export function writeAllAt(fd: number, bufs: Buffer[], pos: number): number {
  let total = 0;
  for (let i = 0; i < bufs.length; i += 1024) {
    const part = i === 0 && bufs.length <= 1024 ? bufs : bufs.slice(i, i + 1024);
    let want = 0;
    for (const b of part) want += b.length;
    let n = part.length === 1 ? fs.writeSync(fd, part[0], 0, part[0].length, pos + total) : fs.writevSync(fd, part, pos + total);
    if (n < want) {
      // Short write: finish byte-wise from a single joined buffer.
      const joined = Buffer.concat(part);
      while (n < want) n += fs.writeSync(fd, joined, n, want - n, pos + total + n);
    }
    total += want;
  }
  return total;
}
