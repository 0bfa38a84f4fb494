import type { Checkpoint } from './checkpoint.js';
import type { CommitLog, PendingPut } from './commitlog/commitlog.js';
import type { Dispatcher } from './dispatcher.js';
import type { IndexService } from './index/index-service.js';
import type { ResolvedConfig } from './types.js';

/** The SYNC_FLUSH puts of one append round: answered together when the round's end offset is durable. */
interface WaitingRound {
  puts: PendingPut[];
  endOffset: number;
  timer: NodeJS.Timeout;
  settled: boolean;
}

/**
 * Flushing (storage.md §12).
 * SYNC_FLUSH group commit: every put waiting when an fdatasync round starts shares it; puts arriving during
 * a round wait for the next one. A put not flushed within syncFlushTimeout answers FLUSH_DISK_TIMEOUT.
 * ASYNC_FLUSH: a loop every flushIntervalCommitLog flushes when ≥ least pages are dirty or the thorough
 * interval passed. Consume queues, index and checkpoint are flushed every flushIntervalConsumeQueue.
 */
export class FlushService {
  private waiters: WaitingRound[] = [];
  private flushing = false;
  private timers: NodeJS.Timeout[] = [];
  private lastThorough = 0;
  private logicsFlushing: Promise<void> | null = null;
  private stopped = false;
  /** Last error of a flush, for the runtime info. */
  lastError: string | null = null;

  constructor(private cfg: ResolvedConfig, private cl: CommitLog, private disp: Dispatcher,
    private index: IndexService | null, private cp: Checkpoint) {}

  start(): void {
    if (this.cfg.flushDiskType === 'ASYNC_FLUSH') {
      this.timers.push(setInterval(() => void this.asyncTick(), this.cfg.flushIntervalCommitLog));
    }
    this.timers.push(setInterval(() => void this.flushLogics(), this.cfg.flushIntervalConsumeQueue));
    for (const t of this.timers) t.unref();
    this.lastThorough = Date.now();
  }

  /** Waits (group commit) until the puts' end offsets are durable; they answer FLUSH_DISK_TIMEOUT past the timeout. */
  waitFlushed(puts: PendingPut[]): void {
    if (puts.length === 0) return;
    let endOffset = 0;
    for (const p of puts) if (p.endOffset > endOffset) endOffset = p.endOffset;
    const round: WaitingRound = { puts, endOffset, timer: undefined as unknown as NodeJS.Timeout, settled: false };
    // One timer per append round, not per put.
    round.timer = setTimeout(() => this.settle(round, false), this.cfg.syncFlushTimeout);
    round.timer.unref();
    this.waiters.push(round);
    this.kick();
  }

  private settle(round: WaitingRound, ok: boolean): void {
    if (round.settled) return;
    round.settled = true;
    clearTimeout(round.timer);
    for (const p of round.puts) p.settle(ok ? 'PUT_OK' : 'FLUSH_DISK_TIMEOUT', p.result);
  }

  private kick(): void {
    if (this.flushing || this.waiters.length === 0) return;
    this.flushing = true;
    const ts = this.cl.lastStoreTimestamp;
    void this.cl.flush().then(
      (flushed) => {
        this.flushing = false;
        if (ts) this.cp.physicMsgTimestamp = Math.max(this.cp.physicMsgTimestamp, ts);
        // rounds are queued in offset order: answer the durable prefix
        let n = 0;
        while (n < this.waiters.length && this.waiters[n]!.endOffset <= flushed) this.settle(this.waiters[n++]!, true);
        if (n > 0) this.waiters = this.waiters.slice(n);
        // Start the next round only after the producers just released had a chance to append (their round
        // runs in this loop turn's check phase and kicks itself): bigger groups per fdatasync.
        if (this.waiters.length) setImmediate(() => setImmediate(() => this.kick()));
      },
      (err: Error) => {
        this.flushing = false;
        this.lastError = err.message;
        // Waiters keep waiting; their round timer answers FLUSH_DISK_TIMEOUT.
        setTimeout(() => this.kick(), 10).unref();
      },
    );
  }

  private async asyncTick(): Promise<void> {
    if (this.flushing || this.stopped) return;
    const dirty = this.cl.writeOffset - this.cl.flushedOffset;
    const now = Date.now();
    const thorough = now - this.lastThorough >= this.cfg.flushCommitLogThoroughInterval;
    if (dirty <= 0 || (!thorough && dirty < this.cfg.flushCommitLogLeastPages * 4096)) return;
    if (thorough) this.lastThorough = now;
    this.flushing = true;
    const ts = this.cl.lastStoreTimestamp;
    try {
      await this.cl.flush();
      if (ts) this.cp.physicMsgTimestamp = Math.max(this.cp.physicMsgTimestamp, ts);
    } catch (err) {
      this.lastError = (err as Error).message;
    } finally {
      this.flushing = false;
      this.kick();
    }
  }

  /** Consume queues + index + checkpoint. */
  flushLogics(): Promise<void> {
    if (this.logicsFlushing) return this.logicsFlushing;
    const ts = this.disp.lastDispatchedTimestamp;
    this.logicsFlushing = (async () => {
      try {
        await this.disp.flush();
        if (ts) this.cp.logicsMsgTimestamp = Math.max(this.cp.logicsMsgTimestamp, ts);
        if (this.index) this.cp.indexMsgTimestamp = Math.max(this.cp.indexMsgTimestamp, await this.index.flushAsync());
        if (!this.stopped) await this.cp.flushAsync();
      } catch (err) {
        this.lastError = (err as Error).message;
      } finally {
        this.logicsFlushing = null;
      }
    })();
    return this.logicsFlushing;
  }

  pendingWaiters(): number {
    let n = 0;
    for (const w of this.waiters) n += w.puts.length;
    return n;
  }

  /** Final synchronous flush of everything (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.logicsFlushing) await this.logicsFlushing;
    this.cl.flushSync();
    if (this.cl.lastStoreTimestamp) this.cp.physicMsgTimestamp = this.cl.lastStoreTimestamp;
    for (const w of this.waiters) this.settle(w, true);
    this.waiters = [];
    this.disp.flushSync();
    if (this.disp.lastDispatchedTimestamp) this.cp.logicsMsgTimestamp = this.disp.lastDispatchedTimestamp;
    if (this.index) this.cp.indexMsgTimestamp = Math.max(this.cp.indexMsgTimestamp, this.index.flush());
    this.cp.flush();
  }
}
