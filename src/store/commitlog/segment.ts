import fs from 'node:fs';
import path from 'node:path';
import { offset2FileName, readAt, writeAllAt, zeroTail } from '../file-util.js';

/**
 * One fixed-size segment file (Apache's MappedFile, with positional file I/O instead of mmap).
 * Positions are relative to the segment start.
 */
export class Segment {
  readonly file: string;
  readonly fd: number;
  wrotePosition = 0;
  flushedPosition = 0;
  /**
   * Position up to which blocks are allocated: by writing zeros (SYNC_FLUSH, CommitLog.preallocate) or reserved
   * with fallocate (ASYNC_FLUSH, BlockReserver).
   */
  allocatedPosition = 0;
  private syncing: Promise<void> | null = null;

  constructor(dir: string, readonly fileFromOffset: number, readonly fileSize: number, create: boolean) {
    this.file = path.join(dir, offset2FileName(fileFromOffset));
    this.fd = fs.openSync(this.file, create ? 'w+' : 'r+');
    if (create) fs.ftruncateSync(this.fd, fileSize); // pre-sized, zero filled (sparse)
  }

  static openReadOnly(file: string, fileFromOffset: number, fileSize: number): Segment {
    const s = Object.create(Segment.prototype) as Segment;
    Object.assign(s, { file, fd: fs.openSync(file, 'r'), fileFromOffset, fileSize, wrotePosition: fileSize, flushedPosition: fileSize, syncing: null });
    return s;
  }

  get endOffset(): number {
    return this.fileFromOffset + this.fileSize;
  }

  isFull(): boolean {
    return this.wrotePosition >= this.fileSize;
  }

  write(bufs: Buffer[], pos: number): void {
    writeAllAt(this.fd, bufs, pos);
  }

  read(pos: number, len: number, into?: Buffer): Buffer {
    return readAt(this.fd, pos, len, into);
  }

  /** fdatasync on the thread pool; concurrent callers share one call. */
  flush(): Promise<void> {
    const target = this.wrotePosition;
    // A round already in flight may have started before our writes: wait for it, then sync again if needed.
    if (this.syncing) return this.syncing.then(() => (target > this.flushedPosition ? this.flush() : undefined));
    this.syncing = new Promise<void>((resolve, reject) => {
      fs.fdatasync(this.fd, (err) => {
        this.syncing = null;
        if (err) reject(err);
        else {
          if (target > this.flushedPosition) this.flushedPosition = target;
          resolve();
        }
      });
    });
    return this.syncing;
  }

  flushSync(): void {
    const target = this.wrotePosition;
    fs.fdatasyncSync(this.fd);
    if (target > this.flushedPosition) this.flushedPosition = target;
  }

  /** Cuts the segment at pos: bytes from pos on become zero. */
  truncateAt(pos: number): void {
    zeroTail(this.fd, pos, this.fileSize);
    this.wrotePosition = Math.min(this.wrotePosition, pos);
    this.flushedPosition = Math.min(this.flushedPosition, pos);
  }

  lastModified(): number {
    try {
      return fs.fstatSync(this.fd).mtimeMs;
    } catch {
      return 0;
    }
  }

  close(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }

  destroy(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}
