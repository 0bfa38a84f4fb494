import type { Checkpoint } from './checkpoint.js';
import type { CommitLog } from './commitlog/commitlog.js';
import type { Dispatcher } from './dispatcher.js';
import type { IndexService } from './index/index-service.js';
import type { ResolvedConfig } from './types.js';

interface Waiter {
  endOffset: number;
  done: (ok: boolean) => void;
}

/**
 * Flushing (storage.md §12).
 * SYNC_FLUSH group commit: every put waiting when an fdatasync round starts shares it; puts arriving during
 * a round wait for the next one. A put not flushed within syncFlushTimeout answers FLUSH_DISK_TIMEOUT.
 * ASYNC_FLUSH: a loop every flushIntervalCommitLog flushes when ≥ least pages are dirty or the thorough
 * interval passed. Consume queues, index and checkpoint are flushed every flushIntervalConsumeQueue.
 */
export class FlushService {
  private waiters: Waiter[] = [];
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

  /** Waits (group commit) until endOffset is durable; resolves false on timeout. */
  waitFlushed(endOffsets: { endOffset: number; done: (ok: boolean) => void }[]): void {
    if (endOffsets.length === 0) return;
    const group = endOffsets.map((e) => {
      let settled = false;
      const w: Waiter = { endOffset: e.endOffset, done: (ok) => { if (!settled) { settled = true; e.done(ok); } } };
      return w;
    });
    this.waiters.push(...group);
    // One timer per append round, not per put.
    const t = setTimeout(() => { for (const w of group) w.done(false); }, this.cfg.syncFlushTimeout);
    t.unref();
    let left = group.length;
    for (const w of group) {
      const inner = w.done;
      w.done = (ok) => { inner(ok); if (--left === 0) clearTimeout(t); };
    }
    this.kick();
  }

  private kick(): void {
    if (this.flushing || this.waiters.length === 0) return;
    this.flushing = true;
    const ts = this.cl.lastStoreTimestamp;
    void this.cl.flush().then(
      (flushed) => {
        this.flushing = false;
        if (ts) this.cp.physicMsgTimestamp = Math.max(this.cp.physicMsgTimestamp, ts);
        const still: Waiter[] = [];
        for (const w of this.waiters) {
          if (w.endOffset <= flushed) w.done(true);
          else still.push(w);
        }
        this.waiters = still;
        // Start the next round only after the producers just released had a chance to append (their round
        // runs in this loop turn's check phase and kicks itself): bigger groups per fdatasync.
        if (still.length) setImmediate(() => setImmediate(() => this.kick()));
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
    return this.waiters.length;
  }

  /** Final synchronous flush of everything (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.logicsFlushing) await this.logicsFlushing;
    this.cl.flushSync();
    if (this.cl.lastStoreTimestamp) this.cp.physicMsgTimestamp = this.cl.lastStoreTimestamp;
    for (const w of this.waiters) w.done(true);
    this.waiters = [];
    this.disp.flushSync();
    if (this.disp.lastDispatchedTimestamp) this.cp.logicsMsgTimestamp = this.disp.lastDispatchedTimestamp;
    if (this.index) this.cp.indexMsgTimestamp = Math.max(this.cp.indexMsgTimestamp, this.index.flush());
    this.cp.flush();
  }
}
