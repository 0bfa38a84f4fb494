/**
 * Orderly-consumption queue locks (semantics.md §12): LOCK_BATCH_MQ (41) / UNLOCK_BATCH_MQ (42).
 * Per (group, queue) one client holds the lock; the holder refreshes it by locking again; another client
 * takes it only once it is older than 60 s. Unlock drops only entries held by the asking client.
 */
import { decodeLockBatchRequestBody, encodeLockBatchResponseBody, messageQueueKey, type MessageQueue } from '../../../protocol/admin.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { ok } from './util.js';

/** rocketmq.broker.rebalance.lockMaxLiveTime */
export const LOCK_MAX_LIVE_MS = 60000;

interface LockEntry {
  clientId: string;
  lastUpdate: number;
}

export class RebalanceLockManager {
  /** group -> queue key -> entry */
  private readonly table = new Map<string, Map<string, LockEntry>>();

  constructor(
    private readonly maxLiveMs = LOCK_MAX_LIVE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private expired(e: LockEntry, now: number): boolean {
    return now - e.lastUpdate > this.maxLiveMs;
  }

  /** Locks what it can; returns the queues now held by `clientId`. */
  tryLockBatch(group: string, mqs: MessageQueue[], clientId: string): MessageQueue[] {
    const now = this.now();
    let groupTable = this.table.get(group);
    if (!groupTable) {
      groupTable = new Map();
      this.table.set(group, groupTable);
    }
    const locked: MessageQueue[] = [];
    const seen = new Set<string>();
    for (const q of mqs) {
      const key = messageQueueKey(q);
      if (seen.has(key)) continue;
      seen.add(key);
      const e = groupTable.get(key);
      // free, ours (refresh), or abandoned by a holder silent for longer than the live time
      if (!e || e.clientId === clientId || this.expired(e, now)) {
        groupTable.set(key, { clientId, lastUpdate: now });
        locked.push(q);
      }
    }
    return locked;
  }

  unlockBatch(group: string, mqs: MessageQueue[], clientId: string): void {
    const groupTable = this.table.get(group);
    if (!groupTable) return;
    for (const q of mqs) {
      const key = messageQueueKey(q);
      const e = groupTable.get(key);
      if (e && e.clientId === clientId) groupTable.delete(key);
    }
    if (groupTable.size === 0) this.table.delete(group);
  }

  isLocked(group: string, q: MessageQueue, clientId: string): boolean {
    const e = this.table.get(group)?.get(messageQueueKey(q));
    return !!e && e.clientId === clientId && !this.expired(e, this.now());
  }

  /** Whether the group holds any unexpired lock (it then consumes orderly: retry rules differ). */
  hasLiveLock(group: string): boolean {
    const groupTable = this.table.get(group);
    if (!groupTable) return false;
    const now = this.now();
    let live = false;
    for (const [key, e] of groupTable) {
      // abandoned locks of clients that went away are dropped here, so the table does not grow forever
      if (this.expired(e, now)) groupTable.delete(key);
      else live = true;
    }
    if (groupTable.size === 0) this.table.delete(group);
    return live;
  }
}

export function lockBatchMQ(_deps: AdminDeps, locks: RebalanceLockManager): Processor {
  return (req) => {
    const body = decodeLockBatchRequestBody(req.body ?? Buffer.alloc(0));
    const lockOKMQSet = locks.tryLockBatch(body.consumerGroup, body.mqSet, body.clientId);
    return ok(encodeLockBatchResponseBody({ lockOKMQSet }));
  };
}

export function unlockBatchMQ(_deps: AdminDeps, locks: RebalanceLockManager): Processor {
  return (req) => {
    const body = decodeLockBatchRequestBody(req.body ?? Buffer.alloc(0));
    locks.unlockBatch(body.consumerGroup, body.mqSet, body.clientId);
    return ok();
  };
}
