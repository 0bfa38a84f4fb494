import { ShellHelper } from './shell-helper.js';

/** A file whose blocks are reserved up to allocatedPosition (a commitlog or consume-queue segment, an index file). */
export interface Reservable {
  readonly file: string;
  readonly fileSize: number;
  allocatedPosition: number;
}

/**
 * Reserves segment files' disk blocks before the writes reach them, with util-linux `fallocate` (Node has no
 * fallocate call): the commitlog a window ahead of its write position, a consume-queue segment whole when it
 * is created, an index file's entries a window ahead. Used under ASYNC_FLUSH.
 *
 * Why: segments are created sparse (ftruncate), so each write into a hole makes ext4 reserve blocks (delayed
 * allocation). While a flush's fdatasync allocates them, a write into the next hole waits: measured on this
 * project's VM, about ten 5–20 ms stalls of `write()` per 8 s at 46 MB/s — the broker's send p99, since
 * every write runs on the event loop. Into reserved blocks the same writes never stalled and cost a quarter
 * less CPU. SYNC_FLUSH zero-fills the commitlog ahead instead (CommitLog.preallocate): there every group
 * commit's fdatasync would otherwise also convert reserved extents.
 *
 * The commitlog's reserved blocks are then read into the page cache just ahead of the writes by PageWarmer,
 * on a thread of its own.
 *
 * The tool runs from one long-lived `sh` (ShellHelper). Only a window of the commitlog is
 * reserved, not the whole 1 GB file, so a store's disk use stays near its data. Best effort: without sh or
 * the tool, on a filesystem that cannot, or on a full disk, writes go to holes as before.
 */
export class BlockReserver {
  private failures = 0;
  private disabled = process.platform !== 'linux';
  /** Requests written to the helper, answered in order. */
  private readonly inFlight: { seg: Reservable; to: number }[] = [];
  private static readonly MAX_IN_FLIGHT = 64;
  // One request per line: "<offset> <length> <path>"; fallocate's exit status per line back. The file is opened
  // by the shell without O_CREAT and handed over as /dev/fd/3: `fallocate <path>` creates a missing file, so a
  // request still queued when its segment was deleted (expired, truncated, a store removed after shutdown)
  // brought back an empty file of the segment's size.
  private static readonly SCRIPT =
    'while read -r o l f; do fallocate -o "$o" -l "$l" -- /dev/fd/3 3<"$f" 2>/dev/null; echo $?; done';
  private readonly helper = new ShellHelper(BlockReserver.SCRIPT, (status) => this.answered(status), () => this.close());

  constructor(private readonly window = 64 * 1024 * 1024) {}

  /** After a write up to `pos`: reserve the next window once less than half of the reserved one is left. */
  ahead(seg: Reservable, pos: number, window = this.window): void {
    if (this.disabled || seg.fileSize < window) return;
    if (seg.allocatedPosition >= seg.fileSize || seg.allocatedPosition - pos >= window / 2) return;
    if (this.inFlight.some((r) => r.seg === seg)) return;
    const from = Math.max(seg.allocatedPosition, pos - (pos % 4096));
    this.request(seg, from, Math.min(seg.fileSize, from + window));
  }

  /** A newly created segment, reserved whole (consume-queue segments: a few MB each). */
  whole(seg: Reservable): void {
    // small segments (tests' stores) are not worth it
    if (this.disabled || seg.fileSize < 1024 * 1024) return;
    this.request(seg, 0, seg.fileSize);
  }

  /** Ends the helper (store shutdown): lines it already has still run, on files that exist; their answers are ignored. */
  close(): void {
    this.disabled = true;
    this.inFlight.length = 0;
    this.helper.close();
  }

  private request(seg: Reservable, from: number, to: number): void {
    if (this.inFlight.length >= BlockReserver.MAX_IN_FLIGHT) return;
    if (this.helper.send(`${from} ${to - from} ${seg.file}`)) this.inFlight.push({ seg, to });
  }

  private answered(status: string): void {
    const r = this.inFlight.shift();
    if (!r) return;
    if (status === '0') this.failures = 0;
    // no such tool: stop at once; a refusal (unsupported filesystem, full disk, file deleted meanwhile):
    // after a few in a row. A refused window is skipped rather than retried after every write.
    else if (status === '127' || ++this.failures >= 3) {
      this.close();
      return;
    }
    if (r.to > r.seg.allocatedPosition) r.seg.allocatedPosition = r.to;
  }
}
