import { ShellHelper } from './shell-helper.js';

/** A commitlog segment as the dropper sees it. */
export interface Droppable {
  readonly file: string;
  readonly fileFromOffset: number;
  readonly fileSize: number;
  readonly wrotePosition: number;
}

/**
 * Drops the commitlog's page cache once it is flushed and `keep` bytes behind the flushed offset, so that the
 * commitlog's pages in memory stay about `keep` plus what is ahead of the flush, and the kernel gives the writes
 * the pages just freed instead of memory it has not used for a while.
 *
 * Why: on a VM whose free memory goes back to the host (virtio-balloon free page reporting, as on this project's
 * Firecracker VM), the first touch of such a page costs the guest a host fault: writing 1 GB into the page cache
 * took 2.6–2.8 s of system time instead of 0.31 s with pages freed a moment before. A broker appending 30 MB/s
 * spent 10 % of a vCPU on it (in PageWarmer's reads), and its sends queued behind that. Dropping clean pages
 * 128 MB behind a writer brought writing 2 GB from 6 s of system time to 0.75 s.
 *
 * A consumer reading further behind than `keep` reads from disk, as it would once the kernel had evicted the
 * pages under memory pressure; `keep` 0 turns this off. Apache RocketMQ leaves its page cache to the kernel.
 *
 * Node has no posix_fadvise: a long-lived `perl` makes the call (POSIX_FADV_DONTNEED) for each range. coreutils
 * `dd iflag=nocache` would do without perl, but it reads the range before advising, and pages that PageWarmer had
 * read ahead of the writes then mostly stayed (12 % dropped, against 94 % with the call alone). Only flushed bytes
 * are dropped (the kernel does not drop dirty pages), and only written ones. Best effort: without perl, or on an
 * architecture whose call number we do not know, it stays off and the kernel manages the cache as before.
 */
export class PageDropper {
  /** Commitlog offset below which everything is dropped (or was never ours to drop); -1 before the first call. */
  droppedOffset = -1;
  private inFlight = 0;
  private failures = 0;
  private disabled = process.platform !== 'linux';
  /** posix_fadvise's system call (fadvise64) where we know its number; elsewhere the dropper stays off. */
  private static readonly FADVISE64: Partial<Record<string, number>> = { x64: 221, arm64: 223 };
  // One request per line: "<offset> <length> <path>"; 0 back when the kernel took the advice. Perl's syscall() is
  // the one stock tool that makes this call without reading the range (POSIX_FADV_DONTNEED is 4 on Linux).
  private static script(nr: number): string {
    return `exec perl -e '$|=1; while (my $l = <STDIN>) { chomp $l; my ($o, $n, $f) = split(/ /, $l, 3); my $r = 1; ` +
      `if (open(my $h, "<", $f)) { $r = syscall(${nr}, fileno($h), $o+0, $n+0, 4) == 0 ? 0 : 1; close($h); } print "$r\\n"; }'`;
  }
  private readonly helper = new ShellHelper(PageDropper.script(PageDropper.FADVISE64[process.arch] ?? 0), (status) => this.answered(status),
    () => this.close());

  /**
   * @param keep bytes of flushed commitlog left in the cache behind the flushed offset
   * @param step the least bytes one request drops (a segment's written end excepted); 16 MB, or `keep` if less
   */
  constructor(
    readonly keep: number,
    readonly step = Math.min(16 * 1024 * 1024, keep),
  ) {
    if (keep <= 0 || PageDropper.FADVISE64[process.arch] === undefined) this.disabled = true;
  }

  /** After a flush: drop what is now more than `keep` behind `flushedOffset` (segments in offset order). */
  behind(segs: readonly Droppable[], flushedOffset: number): void {
    if (this.disabled || this.inFlight > 0 || segs.length === 0) return;
    const target = Math.floor((flushedOffset - this.keep) / 4096) * 4096;
    // What was there before this store opened is left to the kernel: start where the first call stands.
    if (this.droppedOffset < 0) this.droppedOffset = Math.max(segs[0].fileFromOffset, target);
    // expired segments are gone, with their pages
    if (this.droppedOffset < segs[0].fileFromOffset) this.droppedOffset = segs[0].fileFromOffset;
    const last = segs[segs.length - 1];
    for (const s of segs) {
      const end = s.fileFromOffset + s.fileSize;
      if (end <= this.droppedOffset) continue;
      const written = s.fileFromOffset + s.wrotePosition;
      if (this.droppedOffset >= written) {
        // a segment before the last gets nothing more: go on in the next one
        if (s === last) return;
        this.droppedOffset = end;
        continue;
      }
      const to = Math.min(written, target);
      // whole steps only, but a full segment's written end at once (all it will ever hold)
      if (to - this.droppedOffset < (to === written && s !== last ? 1 : this.step)) return;
      if (!this.helper.send(`${this.droppedOffset - s.fileFromOffset} ${to - this.droppedOffset} ${s.file}`)) return;
      this.inFlight++;
      this.droppedOffset = to === written && s !== last ? end : to;
      return;
    }
  }

  /** Ends the helper (store shutdown). */
  close(): void {
    this.disabled = true;
    this.helper.close();
  }

  private answered(status: string): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (status === '0') this.failures = 0;
    // no sh or dd: stop at once; refusals (a segment deleted meanwhile, a dd without nocache): after a few in a row
    else if (status === '127' || ++this.failures >= 3) this.close();
  }
}
