// Consumer offsets (semantics.md §9). Clustering: kept by the broker (QUERY/UPDATE_CONSUMER_OFFSET) with an
// in-memory table committed periodically; broadcasting: a local JSON file per client and group.
import type { MessageQueue } from '../../protocol/admin.js';
import type { MQClientInstance } from '../instance.js';
import { mqKey } from '../message-queue.js';

export type ReadOffsetType = 'MEMORY' | 'READ_FROM_STORE' | 'MEMORY_FIRST_THEN_STORE';

export interface OffsetStore {
  load(): Promise<void>;
  /** `increaseOnly`: never move an offset backwards (concurrent consumption commits out of order). */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /** -1 when nothing is known; throws when the store cannot be reached. */
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Commit every known offset of the given queues; offsets of other queues are forgotten. */
  persistAll(mqs: MessageQueue[], sync?: boolean): Promise<void>;
  persist(mq: MessageQueue): Promise<void>;
  removeOffset(mq: MessageQueue): void;
  /** Known offsets of one topic (all topics when undefined). */
  offsets(topic?: string): [MessageQueue, number][];
}

/** The in-memory table both stores share. */
export abstract class MemoryOffsetTable {
  protected readonly table = new Map<string, { mq: MessageQueue; offset: number }>();

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const k = mqKey(mq);
    const cur = this.table.get(k);
    if (!cur) this.table.set(k, { mq: { ...mq }, offset });
    else if (!increaseOnly || offset > cur.offset) cur.offset = offset;
  }

  memoryOffset(mq: MessageQueue): number {
    return this.table.get(mqKey(mq))?.offset ?? -1;
  }

  removeOffset(mq: MessageQueue): void {
    this.table.delete(mqKey(mq));
  }

  offsets(topic?: string): [MessageQueue, number][] {
    return [...this.table.values()].filter((e) => topic === undefined || e.mq.topic === topic).map((e) => [{ ...e.mq }, e.offset]);
  }
}

export class RemoteBrokerOffsetStore extends MemoryOffsetTable implements OffsetStore {
  /** `strict`: a group without a stored offset reads as -1 even on a young queue (setZeroIfNotFound=false). */
  constructor(private readonly instance: MQClientInstance, private readonly group: string, private readonly strict = false) {
    super();
  }

  async load(): Promise<void> {
    // nothing local: offsets are read from the broker when a queue is assigned
  }

  private async brokerAddr(mq: MessageQueue): Promise<string> {
    let addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    if (!addr) {
      await this.instance.updateTopicRouteFromNameServer(mq.topic);
      addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    }
    if (!addr) throw new Error(`The broker[${mq.brokerName}] not exist`);
    return addr;
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== 'READ_FROM_STORE') {
      const m = this.memoryOffset(mq);
      if (m >= 0 || type === 'MEMORY') return m;
    }
    const addr = await this.brokerAddr(mq);
    const off = await this.instance.api.queryConsumerOffset(addr, this.group, mq, undefined, this.strict ? false : undefined);
    if (off >= 0) this.updateOffset(mq, off, false);
    return off;
  }

  private async commit(mq: MessageQueue, offset: number, sync: boolean): Promise<void> {
    const addr = await this.brokerAddr(mq);
    if (sync) await this.instance.api.updateConsumerOffset(addr, this.group, mq, offset);
    else await this.instance.api.updateConsumerOffsetOneway(addr, this.group, mq, offset);
  }

  async persistAll(mqs: MessageQueue[], sync = false): Promise<void> {
    const keep = new Set(mqs.map(mqKey));
    const calls: Promise<void>[] = [];
    for (const [k, e] of this.table) {
      if (!keep.has(k)) {
        this.table.delete(k);
        continue;
      }
      calls.push(this.commit(e.mq, e.offset, sync).catch((err) => {
        this.instance.logger.warn(`commit offset ${e.offset} of ${k} for ${this.group} failed: ${(err as Error).message}`);
      }));
    }
    await Promise.all(calls);
  }

  async persist(mq: MessageQueue): Promise<void> {
    const e = this.table.get(mqKey(mq));
    if (e) await this.commit(e.mq, e.offset, true);
  }
}
