// Client-side rebalancing (semantics.md §11, §12): per subscribed topic, split the readable queues among the
// group's clients (clustering) or take them all (broadcasting), drop queues no longer ours (committing their
// offsets first), start pulling new ones from the computed offset; orderly consumers lock queues on the broker.
import type { MessageQueue } from '../../protocol/admin.js';
import type { MessageModel, SubscriptionData } from '../../protocol/heartbeat.js';
import { isRetryTopic } from '../../common/topics.js';
import type { MQClientInstance } from '../instance.js';
import { compareMq, mqKey } from '../message-queue.js';
import type { AllocateStrategy } from './allocate.js';
import { ProcessQueue } from './process-queue.js';

export interface RebalanceHooks {
  /** False once the consumer is stopping: rebalancing ends quietly. */
  isRunning(): boolean;
  messageModel(): MessageModel;
  /** Orderly push consumption: queues must be locked on the broker before they are consumed. */
  isOrderly(): boolean;
  /** Drop queues that have not been pulled for a long time (push consumers). */
  checkPullExpired(): boolean;
  subscriptions(): Map<string, SubscriptionData>;
  /** First offset to pull from for a newly assigned queue; < 0 skips the queue this round. */
  computePullFromWhere(mq: MessageQueue): Promise<number>;
  /** Commit and release a queue this client no longer owns; false keeps it for now. */
  removeUnnecessaryMessageQueue(mq: MessageQueue, pq: ProcessQueue): Promise<boolean>;
  /** A queue was assigned: start pulling at `nextOffset`. */
  onNewQueue(mq: MessageQueue, pq: ProcessQueue, nextOffset: number): void;
  messageQueueChanged?(topic: string, mqAll: MessageQueue[], mqDivided: MessageQueue[]): void;
}

export interface QueueEntry {
  mq: MessageQueue;
  pq: ProcessQueue;
}

export class Rebalancer {
  readonly processQueueTable = new Map<string, QueueEntry>();
  readonly topicSubscribeInfoTable = new Map<string, MessageQueue[]>();
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly instance: MQClientInstance,
    private readonly group: string,
    public strategy: AllocateStrategy,
    private readonly hooks: RebalanceHooks,
  ) {}

  /** Runs a rebalance; a call made while one runs schedules exactly one more run afterwards. */
  doRebalance(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.rebalanceOnce();
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async rebalanceOnce(): Promise<void> {
    const subs = this.hooks.subscriptions();
    for (const topic of subs.keys()) {
      if (!this.hooks.isRunning()) return;
      try {
        await this.rebalanceByTopic(topic);
      } catch (e) {
        if (!isRetryTopic(topic) && this.hooks.isRunning()) this.instance.logger.warn(`rebalance of ${this.group}/${topic} failed: ${(e as Error).message}`);
      }
    }
    // queues of topics no longer subscribed
    for (const [k, e] of [...this.processQueueTable]) {
      if (!subs.has(e.mq.topic)) {
        e.pq.dropped = true;
        this.processQueueTable.delete(k);
      }
    }
  }

  private async rebalanceByTopic(topic: string): Promise<void> {
    const mqSet = this.topicSubscribeInfoTable.get(topic);
    if (!mqSet) {
      if (!isRetryTopic(topic)) this.instance.logger.warn(`doRebalance, ${this.group}, but the topic[${topic}] not exist.`);
      return;
    }
    let divided: MessageQueue[];
    if (this.hooks.messageModel() === 'BROADCASTING') {
      divided = [...mqSet];
    } else {
      const cidAll = await this.instance.findConsumerIdList(topic, this.group);
      if (cidAll.length === 0) {
        this.instance.logger.warn(`doRebalance, ${this.group} ${topic}, get consumer id list failed`);
        return;
      }
      const mqAll = [...mqSet].sort(compareMq);
      const cids = [...cidAll].sort();
      divided = this.strategy.allocate(this.group, this.instance.clientId, mqAll, cids);
    }
    const changed = await this.updateProcessQueueTable(topic, divided);
    if (changed) this.hooks.messageQueueChanged?.(topic, mqSet, divided);
  }

  private async updateProcessQueueTable(topic: string, mqSet: MessageQueue[]): Promise<boolean> {
    let changed = false;
    const wanted = new Set(mqSet.map(mqKey));
    for (const [k, e] of [...this.processQueueTable]) {
      if (e.mq.topic !== topic) continue;
      const expired = this.hooks.checkPullExpired() && e.pq.isPullExpired();
      if (!wanted.has(k) || expired) {
        e.pq.dropped = true;
        if (await this.hooks.removeUnnecessaryMessageQueue(e.mq, e.pq)) {
          this.processQueueTable.delete(k);
          changed = true;
        }
      }
    }
    for (const mq of mqSet) {
      if (!this.hooks.isRunning()) break;
      const k = mqKey(mq);
      if (this.processQueueTable.has(k)) continue;
      if (this.hooks.isOrderly() && !(await this.lock(mq))) continue;
      let next: number;
      try {
        next = await this.hooks.computePullFromWhere(mq);
      } catch (e) {
        if (this.hooks.isRunning()) this.instance.logger.warn(`compute pull offset of ${k} failed: ${(e as Error).message}`);
        continue;
      }
      if (next < 0) continue;
      const pq = new ProcessQueue();
      if (this.hooks.isOrderly()) {
        pq.locked = true;
        pq.lastLockTimestamp = Date.now();
      }
      this.processQueueTable.set(k, { mq: { ...mq }, pq });
      this.hooks.onNewQueue(mq, pq, next);
      changed = true;
    }
    return changed;
  }

  /** Drops and forgets one queue (offset reset, offset moved). */
  removeProcessQueue(mq: MessageQueue): ProcessQueue | undefined {
    const e = this.processQueueTable.get(mqKey(mq));
    if (!e) return undefined;
    e.pq.dropped = true;
    this.processQueueTable.delete(mqKey(mq));
    return e.pq;
  }

  assignedQueues(): MessageQueue[] {
    return [...this.processQueueTable.values()].map((e) => e.mq);
  }

  // ------------------------------------------------------------------ orderly locks

  private lockBody(mqs: MessageQueue[]) {
    return { consumerGroup: this.group, clientId: this.instance.clientId, mqSet: mqs };
  }

  /** LOCK_BATCH_MQ for one queue; marks its process queue locked. */
  async lock(mq: MessageQueue): Promise<boolean> {
    const addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    if (!addr) return false;
    try {
      const locked = await this.instance.api.lockBatchMQ(addr, this.lockBody([mq]), 1000);
      const ok = locked.some((m) => mqKey(m) === mqKey(mq));
      const e = this.processQueueTable.get(mqKey(mq));
      if (e && ok) {
        e.pq.locked = true;
        e.pq.lastLockTimestamp = Date.now();
      }
      return ok;
    } catch (err) {
      this.instance.logger.warn(`lock ${mqKey(mq)} failed: ${(err as Error).message}`);
      return false;
    }
  }

  /** Re-locks every assigned queue, broker by broker; queues the broker refuses are marked unlocked. */
  async lockAll(): Promise<void> {
    const byBroker = new Map<string, QueueEntry[]>();
    for (const e of this.processQueueTable.values()) {
      const list = byBroker.get(e.mq.brokerName) ?? [];
      list.push(e);
      byBroker.set(e.mq.brokerName, list);
    }
    for (const [brokerName, entries] of byBroker) {
      const addr = this.instance.findBrokerAddressInPublish(brokerName);
      if (!addr) continue;
      try {
        const locked = new Set((await this.instance.api.lockBatchMQ(addr, this.lockBody(entries.map((e) => e.mq)), 1000)).map(mqKey));
        const now = Date.now();
        for (const e of entries) {
          if (locked.has(mqKey(e.mq))) {
            e.pq.locked = true;
            e.pq.lastLockTimestamp = now;
          } else {
            e.pq.locked = false;
          }
        }
      } catch (err) {
        this.instance.logger.warn(`lockBatchMQ to ${addr} failed: ${(err as Error).message}`);
      }
    }
  }

  async unlock(mq: MessageQueue, oneway: boolean): Promise<void> {
    const addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    if (!addr) return;
    try {
      await this.instance.api.unlockBatchMQ(addr, this.lockBody([mq]), oneway, 1000);
    } catch (err) {
      this.instance.logger.warn(`unlock ${mqKey(mq)} failed: ${(err as Error).message}`);
    }
  }

  async unlockAll(oneway: boolean): Promise<void> {
    const byBroker = new Map<string, MessageQueue[]>();
    for (const e of this.processQueueTable.values()) {
      const list = byBroker.get(e.mq.brokerName) ?? [];
      list.push(e.mq);
      byBroker.set(e.mq.brokerName, list);
    }
    await Promise.all([...byBroker].map(async ([brokerName, mqs]) => {
      const addr = this.instance.findBrokerAddressInPublish(brokerName);
      if (!addr) return;
      try {
        await this.instance.api.unlockBatchMQ(addr, this.lockBody(mqs), oneway, 1000);
      } catch (err) {
        this.instance.logger.warn(`unlockBatchMQ to ${addr} failed: ${(err as Error).message}`);
      }
      for (const m of mqs) {
        const e = this.processQueueTable.get(mqKey(m));
        if (e) e.pq.locked = false;
      }
    }));
  }
}
