/**
 * Delay-level delivery (semantics.md §6): one timer per level walks SCHEDULE_TOPIC_XXXX queue level−1 in
 * order and re-puts each message to its real topic once store time + level delay has passed. Progress per
 * level lives in delayOffset.json (persisted every flushDelayOffsetInterval and at stop), so delivery
 * resumes where it stopped after a restart.
 */
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../common/topics.js';
import { isPutOk } from '../../store/types.js';
import { DelayLevels } from './delay-levels.js';
import { DelayOffsetTable } from './delay-offset-table.js';
import { buildDueMessage, decodeStored } from './repost.js';
import type { StorePort } from './store-port.js';

export const SCHEDULE_CONSUMER_GROUP = 'SCHEDULE_CONSUMER';

export interface ScheduleServiceOptions {
  storePathRootDir: string;
  messageDelayLevel?: string;
  flushDelayOffsetInterval?: number;
  /** First delivery attempt after start (Apache: 1 s). */
  firstDelayMs?: number;
  /** Idle / busy poll interval (Apache: 100 ms). */
  pollIntervalMs?: number;
  logger?: Logger;
  now?: () => number;
}

export class ScheduleMessageService {
  readonly levels: DelayLevels;
  readonly offsets: DelayOffsetTable;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private flushTimer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly busy = new Set<number>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly poll: number;

  constructor(private readonly store: StorePort, private readonly opts: ScheduleServiceOptions) {
    this.levels = new DelayLevels(opts.messageDelayLevel);
    this.offsets = new DelayOffsetTable(opts.storePathRootDir, opts.logger);
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.poll = opts.pollIntervalMs ?? 100;
  }

  /** Loads delayOffset.json; call before start (GET_ALL_DELAY_OFFSET works after load alone). */
  load(): void {
    this.offsets.load();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    for (let level = 1; level <= this.levels.maxLevel; level++) this.schedule(level, this.opts.firstDelayMs ?? 1000);
    const every = this.opts.flushDelayOffsetInterval ?? 10000;
    this.flushTimer = setInterval(() => {
      this.offsets.persistIfChanged().catch((e: Error) => this.logger.error(`persist delayOffset.json failed: ${e.message}`));
    }, every);
    this.flushTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = null;
    await Promise.allSettled([...this.inflight]);
    await this.offsets.settled();
    this.persist();
  }

  persist(): void {
    try {
      this.offsets.persist();
    } catch (e) {
      this.logger.error(`persist delayOffset.json failed: ${(e as Error).message}`);
    }
  }

  /** "offset,maxOffset" per level, for GET_BROKER_RUNTIME_INFO's scheduleMessageOffset_<level>. */
  runtimeInfo(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let level = 1; level <= this.levels.maxLevel; level++) {
      const max = this.store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, level - 1);
      out[`scheduleMessageOffset_${level}`] = `${this.offsets.get(level)},${max}`;
    }
    return out;
  }

  private schedule(level: number, ms: number): void {
    if (!this.running) return;
    const old = this.timers.get(level);
    if (old) clearTimeout(old);
    const t = setTimeout(() => {
      this.timers.delete(level);
      const p = this.deliverLevel(level).then((next) => this.schedule(level, next), (e) => {
        this.logger.error(`delay level ${level}: ${(e as Error).message}`);
        this.schedule(level, 10000);
      }).finally(() => this.inflight.delete(p));
      this.inflight.add(p);
    }, Math.max(0, ms));
    t.unref?.();
    this.timers.set(level, t);
  }

  /**
   * Delivers the due messages of one level; returns how long to wait before the next attempt. Waiting is
   * exact when the head message is not yet due, so delivery is not early and late by at most a few ms.
   */
  async deliverLevel(level: number): Promise<number> {
    if (this.busy.has(level)) return this.poll;
    this.busy.add(level);
    try {
      return await this.deliverLevelOnce(level);
    } finally {
      this.busy.delete(level);
    }
  }

  private async deliverLevelOnce(level: number): Promise<number> {
    const queueId = level - 1;
    const delay = this.levels.delayOf(level);
    for (;;) {
      if (!this.running) return this.poll;
      let offset = this.offsets.get(level);
      const max = this.store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, queueId);
      if (offset > max) {
        // Progress beyond the queue (the store lost its tail): correct to the end, as Apache does at start.
        this.logger.warn(`delay level ${level}: offset ${offset} beyond queue max ${max}, corrected`);
        this.offsets.set(level, max);
      }
      if (offset >= max) return this.poll;
      const min = this.store.getMinOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, queueId);
      if (offset < min) {
        offset = min;
        this.offsets.set(level, min);
      }
      const r = await this.store.getMessage(SCHEDULE_CONSUMER_GROUP, RMQ_SYS_SCHEDULE_TOPIC, queueId, offset, 32);
      if (r.messageCount === 0) {
        if (r.nextBeginOffset > offset) {
          this.offsets.set(level, r.nextBeginOffset);
          continue;
        }
        return this.poll;
      }
      // Due messages of this batch are put together (one store round, order kept); stop at the first not due.
      const due: Array<{ qo: number; put: Promise<boolean> | null }> = [];
      let wait = -1;
      for (let i = 0; i < r.messages.length; i++) {
        const qo = r.queueOffsets[i];
        const m = decodeStored(r.messages[i]);
        if (!m) {
          this.logger.warn(`delay level ${level}: unreadable record at queue offset ${qo}, skipped`);
          due.push({ qo, put: null });
          continue;
        }
        const now = this.now();
        let deliverAt = m.storeTimestamp + delay;
        // A deliver time more than one level-delay ahead means the clock moved back: deliver now.
        if (deliverAt > now + delay) deliverAt = now;
        if (deliverAt > now) {
          wait = Math.min(deliverAt - now, 1000);
          break;
        }
        const msg = buildDueMessage(m);
        if (!msg) {
          this.logger.warn(`delay level ${level}: message at queue offset ${qo} has no REAL_TOPIC/REAL_QID, dropped`);
          due.push({ qo, put: null });
          continue;
        }
        due.push({
          qo,
          put: this.store.putMessage(msg).then((res) => {
            if (!isPutOk(res)) this.logger.warn(`delay level ${level}: re-put to ${msg.topic} failed (${res.status}), retrying`);
            return isPutOk(res);
          }, () => false),
        });
      }
      for (const d of due) {
        if (d.put && !(await d.put)) return this.poll;
        this.offsets.set(level, d.qo + 1);
      }
      if (wait >= 0) return wait;
    }
  }
}
