/**
 * 5.x timer messages (semantics.md §7). Messages parked in rmq_sys_wheel_timer queue 0 (the durable log)
 * carry their slot time in TIMER_OUT_MS. This service loads them into an in-memory wheel of one-second slots
 * and re-puts each slot's messages to their real topic once the slot has fully passed (now ≥ slot +
 * precision), so a message is never early and at most one precision late. Progress is persisted in
 * timerWheel.json after every round that changed it; a restart rebuilds the pending part of the wheel
 * from the timer queue.
 */
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { isPutOk } from '../../store/types.js';
import { buildDueMessage, decodeStored } from './repost.js';
import { TIMER_OUT_MS, TIMER_TOPIC } from './schedule-rewrite.js';
import type { StorePort } from './store-port.js';
import { TimerCheckpoint, type TimerProgress } from './timer-checkpoint.js';

export const TIMER_GROUP = 'TIMER_CONSUMER';

interface Entry {
  queueOffset: number;
}

export interface TimerServiceOptions {
  storePathRootDir: string;
  timerPrecisionMs?: number;
  pollIntervalMs?: number;
  logger?: Logger;
  now?: () => number;
}

export class TimerWheelService {
  private readonly wheel = new Map<number, Entry[]>();
  private progress: TimerProgress = { enqueueOffset: 0, minPendingOffset: 0, lastDeliveredSlotMs: 0 };
  private readonly cp: TimerCheckpoint;
  private readonly precision: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private round: Promise<void> | null = null;
  private loaded = false;

  constructor(private readonly store: StorePort, private readonly opts: TimerServiceOptions) {
    this.cp = new TimerCheckpoint(opts.storePathRootDir, opts.logger);
    this.precision = opts.timerPrecisionMs ?? 1000;
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
  }

  /** Number of messages waiting in the wheel. */
  pendingCount(): number {
    let n = 0;
    for (const e of this.wheel.values()) n += e.length;
    return n;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.round) await this.round.catch(() => undefined);
    this.save();
  }

  private tick(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.runOnce().catch((e) => {
        this.logger.error(`timer wheel: ${(e as Error).message}`);
      }).finally(() => {
        this.round = null;
        this.tick(this.opts.pollIntervalMs ?? 100);
      });
    }, ms);
    this.timer.unref?.();
  }

  /** One round: rebuild (first time), load new timer-queue entries, deliver every slot that has passed. */
  async runOnce(): Promise<void> {
    if (!this.loaded) await this.recover();
    const before = JSON.stringify(this.progress);
    await this.enqueueNew();
    await this.deliverDue();
    // off the event loop: its fsync stalled every send on a busy broker for ~5 ms (rounds never overlap)
    if (JSON.stringify(this.progress) !== before) {
      await this.cp.saveAsync(this.snapshot()).catch((e: Error) => this.logger.error(`timer wheel: persist failed: ${e.message}`));
    }
  }

  /** The progress to persist. */
  private snapshot(): TimerProgress {
    this.progress.minPendingOffset = this.minPending();
    // Never claim a slot delivered while an entry of it (or an earlier one) still waits.
    const clamp = this.earliestPendingSlot() - this.precision;
    if (this.progress.lastDeliveredSlotMs > clamp) this.progress.lastDeliveredSlotMs = clamp;
    return this.progress;
  }

  private save(): void {
    try {
      this.cp.save(this.snapshot());
    } catch (e) {
      this.logger.error(`timer wheel: persist failed: ${(e as Error).message}`);
    }
  }

  private earliestPendingSlot(): number {
    let min = Infinity;
    for (const [slot, entries] of this.wheel) if (entries.length > 0 && slot < min) min = slot;
    return min;
  }

  private minPending(): number {
    let min = this.progress.enqueueOffset;
    for (const entries of this.wheel.values()) for (const e of entries) if (e.queueOffset < min) min = e.queueOffset;
    return min;
  }

  private async recover(): Promise<void> {
    const p = this.cp.load();
    if (p) this.progress = p;
    this.loaded = true;
    // Re-read what was loaded before the restart but may not be delivered yet.
    const { minPendingOffset, enqueueOffset, lastDeliveredSlotMs } = this.progress;
    await this.scan(minPendingOffset, enqueueOffset, (slot) => slot > lastDeliveredSlotMs);
  }

  private async enqueueNew(): Promise<void> {
    const max = this.store.getMaxOffsetInQueue(TIMER_TOPIC, 0);
    if (this.progress.enqueueOffset >= max) return;
    this.progress.enqueueOffset = await this.scan(this.progress.enqueueOffset, max, () => true);
  }

  /** Adds entries of [from, to) accepted by `keep` to the wheel; returns where it stopped. */
  private async scan(from: number, to: number, keep: (slot: number) => boolean): Promise<number> {
    let offset = Math.max(from, this.store.getMinOffsetInQueue(TIMER_TOPIC, 0));
    while (offset < to) {
      const r = await this.store.getMessage(TIMER_GROUP, TIMER_TOPIC, 0, offset, 32);
      if (r.messageCount === 0) {
        if (r.nextBeginOffset > offset) {
          offset = r.nextBeginOffset;
          continue;
        }
        break;
      }
      for (let i = 0; i < r.messages.length && r.queueOffsets[i] < to; i++) {
        const m = decodeStored(r.messages[i]);
        const qo = r.queueOffsets[i];
        offset = qo + 1;
        const slot = m ? Number(m.properties[TIMER_OUT_MS]) : NaN;
        if (!Number.isFinite(slot)) {
          this.logger.warn(`timer wheel: entry ${qo} has no TIMER_OUT_MS, skipped`);
          continue;
        }
        if (!keep(slot)) continue;
        let list = this.wheel.get(slot);
        if (!list) {
          list = [];
          this.wheel.set(slot, list);
        }
        list.push({ queueOffset: qo });
      }
      if (r.queueOffsets[r.queueOffsets.length - 1] >= to - 1) break;
    }
    return Math.min(Math.max(offset, from), to);
  }

  private async deliverDue(): Promise<void> {
    const now = this.now();
    const due = [...this.wheel.keys()].filter((slot) => slot + this.precision <= now).sort((a, b) => a - b);
    for (const slot of due) {
      const entries = this.wheel.get(slot) ?? [];
      while (entries.length > 0) {
        const e = entries[0];
        if (!(await this.deliver(e))) return;
        entries.shift();
      }
      this.wheel.delete(slot);
      if (slot > this.progress.lastDeliveredSlotMs) this.progress.lastDeliveredSlotMs = slot;
    }
    // Slots with nothing in them have passed too.
    const passed = Math.floor((now - this.precision) / this.precision) * this.precision;
    const safe = Math.min(passed, this.earliestPendingSlot() - this.precision);
    if (safe > this.progress.lastDeliveredSlotMs) this.progress.lastDeliveredSlotMs = safe;
  }

  private async deliver(e: Entry): Promise<boolean> {
    const r = await this.store.getMessage(TIMER_GROUP, TIMER_TOPIC, 0, e.queueOffset, 1);
    const m = r.messageCount > 0 && r.queueOffsets[0] === e.queueOffset ? decodeStored(r.messages[0]) : null;
    if (!m) {
      this.logger.warn(`timer wheel: entry ${e.queueOffset} is gone, skipped`);
      return true;
    }
    const msg = buildDueMessage(m, { clearReal: true });
    if (!msg) {
      this.logger.warn(`timer wheel: entry ${e.queueOffset} has no REAL_TOPIC/REAL_QID, dropped`);
      return true;
    }
    msg.properties.TIMER_DEQUEUE_MS = String(this.now());
    const put = await this.store.putMessage(msg);
    if (!isPutOk(put)) {
      this.logger.warn(`timer wheel: re-put to ${msg.topic} failed (${put.status}), will retry`);
      return false;
    }
    return true;
  }
}
