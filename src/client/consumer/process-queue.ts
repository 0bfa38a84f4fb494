// Per-queue cache of pulled, not yet consumed messages (Apache ProcessQueue): flow-control counters, the offset
// that is safe to commit (smallest unconsumed), orderly "consuming" set and the queue lock state.
import type { MessageExt } from '../../common/message.js';
import type { ProcessQueueInfo } from '../../protocol/client.js';

/** Client-side lock validity (rocketmq.client.rebalance.lockMaxLiveTime). */
export const LOCK_MAX_LIVE_TIME_MS = 30_000;
/** A queue not pulled for this long is considered stuck (rocketmq.client.pull.pullMaxIdleTime). */
export const PULL_MAX_IDLE_TIME_MS = 120_000;

export class ProcessQueue {
  /** offset -> message; offsets are inserted in increasing order, so iteration order is offset order. */
  private readonly msgTree = new Map<number, MessageExt>();
  /** Orderly: messages taken for consumption but not yet committed. */
  private readonly consumingTree = new Map<number, MessageExt>();
  msgCount = 0;
  msgSize = 0;
  queueOffsetMax = 0;
  dropped = false;
  locked = false;
  lastLockTimestamp = Date.now();
  lastPullTimestamp = Date.now();
  lastConsumeTimestamp = Date.now();
  tryUnlockTimes = 0;
  /** Orderly: a runner is consuming this queue. */
  consuming = false;
  /** Messages behind the queue's max offset at the last pull. */
  msgAccCnt = 0;

  isLockExpired(now = Date.now()): boolean {
    return now - this.lastLockTimestamp > LOCK_MAX_LIVE_TIME_MS;
  }

  isPullExpired(now = Date.now()): boolean {
    return now - this.lastPullTimestamp > PULL_MAX_IDLE_TIME_MS;
  }

  /** Adds pulled messages; true when an orderly runner should be started. */
  putMessage(msgs: MessageExt[]): boolean {
    let added = 0;
    for (const m of msgs) {
      if (this.msgTree.has(m.queueOffset)) continue;
      this.msgTree.set(m.queueOffset, m);
      added++;
      this.queueOffsetMax = Math.max(this.queueOffsetMax, m.queueOffset);
      this.msgSize += m.body.length;
    }
    this.msgCount += added;
    const dispatch = this.msgTree.size > 0 && !this.consuming;
    if (msgs.length > 0) {
      const last = msgs[msgs.length - 1];
      const max = Number(last.properties.MAX_OFFSET);
      if (Number.isFinite(max)) this.msgAccCnt = Math.max(0, max - last.queueOffset);
    }
    return dispatch;
  }

  /** Removes consumed messages; returns the offset to commit (-1 when the cache was already empty). */
  removeMessage(msgs: MessageExt[]): number {
    if (this.msgTree.size === 0) return -1;
    this.lastConsumeTimestamp = Date.now();
    let result = this.queueOffsetMax + 1;
    for (const m of msgs) {
      const prev = this.msgTree.get(m.queueOffset);
      if (prev) {
        this.msgTree.delete(m.queueOffset);
        this.msgCount--;
        this.msgSize -= prev.body.length;
      }
    }
    const first = this.firstOffset();
    if (first !== undefined) result = first;
    return result;
  }

  private firstOffset(): number | undefined {
    let min: number | undefined;
    for (const k of this.msgTree.keys()) {
      min = k;
      break;
    }
    return min;
  }

  get cachedCount(): number {
    return this.msgTree.size;
  }

  /** Orderly: take up to `n` messages in offset order for consumption. */
  takeMessages(n: number): MessageExt[] {
    const out: MessageExt[] = [];
    this.lastConsumeTimestamp = Date.now();
    for (const [off, m] of this.msgTree) {
      if (out.length >= n) break;
      out.push(m);
      this.consumingTree.set(off, m);
    }
    for (const m of out) this.msgTree.delete(m.queueOffset);
    return out;
  }

  /** Orderly: the taken messages are done; returns the offset to commit, or -1. */
  commit(): number {
    let max = -1;
    for (const [off, m] of this.consumingTree) {
      if (off > max) max = off;
      this.msgCount--;
      this.msgSize -= m.body.length;
    }
    this.consumingTree.clear();
    return max >= 0 ? max + 1 : -1;
  }

  /** Orderly: put taken messages back to be consumed again (ahead of the rest, keeping offset order). */
  makeMessageToConsumeAgain(msgs: MessageExt[]): void {
    for (const m of msgs) this.consumingTree.delete(m.queueOffset);
    const rest = [...this.msgTree.entries()];
    this.msgTree.clear();
    const merged = [...msgs.map((m) => [m.queueOffset, m] as [number, MessageExt]), ...rest].sort((a, b) => a[0] - b[0]);
    for (const [off, m] of merged) this.msgTree.set(off, m);
  }

  minOffset(): number {
    return this.firstOffset() ?? 0;
  }

  info(commitOffset: number): ProcessQueueInfo {
    return {
      commitOffset,
      cachedMsgMinOffset: this.minOffset(),
      cachedMsgMaxOffset: this.queueOffsetMax,
      cachedMsgCount: this.msgCount,
      cachedMsgSizeInMiB: Math.floor(this.msgSize / (1024 * 1024)),
      transactionMsgMinOffset: 0,
      transactionMsgMaxOffset: 0,
      transactionMsgCount: 0,
      locked: this.locked,
      tryUnlockTimes: this.tryUnlockTimes,
      lastLockTimestamp: this.lastLockTimestamp,
      droped: this.dropped,
      lastPullTimestamp: this.lastPullTimestamp,
      lastConsumeTimestamp: this.lastConsumeTimestamp,
    };
  }
}
