import { execFile } from 'node:child_process';
import type { Segment } from './segment.js';

/**
 * Reserves segment files' disk blocks before the writes reach them, with util-linux `fallocate` (Node has no
 * fallocate call): the commitlog a window ahead of its write position, a consume-queue segment whole when it
 * is created. Used under ASYNC_FLUSH.
 *
 * Why: segments are created sparse (ftruncate), so each write into a hole makes ext4 reserve blocks (delayed
 * allocation). While a flush's fdatasync allocates them, a write into the next hole waits: measured on this
 * project's VM, about ten 5–20 ms stalls of `write()` per 8 s at 46 MB/s — the broker's send p99, since
 * every write runs on the event loop. Into reserved blocks the same writes never stalled and cost a quarter
 * less CPU. SYNC_FLUSH zero-fills the commitlog ahead instead (CommitLog.preallocate): there every group
 * commit's fdatasync would otherwise also convert reserved extents.
 *
 * Only a window of the commitlog is reserved, not the whole 1 GB file, so a store's disk use stays near its
 * data. Best effort: without the tool, on a filesystem that cannot, or on a full disk, writes go to holes
 * as before. One `fallocate` runs at a time (about 3 ms of this process's CPU to start it).
 */
export class BlockReserver {
  private running = false;
  private failures = 0;
  private disabled = process.platform !== 'linux';
  private readonly queue: { seg: Segment; from: number; to: number }[] = [];
  private static readonly MAX_QUEUED = 64;

  constructor(private readonly window = 64 * 1024 * 1024) {}

  /** After a commitlog write: reserve the next window once less than half of the reserved one is left. */
  ahead(seg: Segment, pos: number): void {
    if (this.disabled || this.running || seg.fileSize < this.window) return;
    if (seg.allocatedPosition >= seg.fileSize || seg.allocatedPosition - pos >= this.window / 2) return;
    const from = Math.max(seg.allocatedPosition, pos - (pos % 4096));
    this.request(seg, from, Math.min(seg.fileSize, from + this.window));
  }

  /** A newly created segment, reserved whole (consume-queue segments: a few MB each). */
  whole(seg: Segment): void {
    // small segments (tests' stores) are not worth a process each
    if (this.disabled || seg.fileSize < 1024 * 1024 || this.queue.length >= BlockReserver.MAX_QUEUED) return;
    this.request(seg, 0, seg.fileSize);
  }

  private request(seg: Segment, from: number, to: number): void {
    this.queue.push({ seg, from, to });
    if (!this.running) this.next();
  }

  private next(): void {
    const job = this.queue.shift();
    if (!job || this.disabled) {
      this.queue.length = 0;
      this.running = false;
      return;
    }
    this.running = true;
    const { seg, from, to } = job;
    const child = execFile('fallocate', ['-o', String(from), '-l', String(to - from), seg.file], { timeout: 30_000 }, (err) => {
      if (!err) this.failures = 0;
      // no such tool: stop at once; a refusal (unsupported filesystem, full disk, file deleted meanwhile):
      // after a few in a row. A refused window is skipped rather than retried after every write.
      else if ((err as NodeJS.ErrnoException).code === 'ENOENT' || ++this.failures >= 3) this.disabled = true;
      if (to > seg.allocatedPosition) seg.allocatedPosition = to;
      this.next();
    });
    child.unref();
  }
}
