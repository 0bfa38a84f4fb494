import path from 'node:path';
import fs from 'node:fs';
import { string2messageProperties } from '../common/properties.js';
import { isDispatchedType, transactionType, SysFlag } from '../common/sysflag.js';
import { tagsString2tagsCode } from '../common/tags.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../common/topics.js';
import type { DispatchRequest } from './commitlog/commitlog.js';
import type { Segment } from './commitlog/segment.js';
import { ConsumeQueue } from './consumequeue/consume-queue.js';
import type { IndexService } from './index/index-service.js';
import type { ArrivedListener } from './types.js';

/** Parses "1s 5s 10s 30s 1m …" into delays in ms; level n (1-based) is entry n−1. */
export function parseDelayLevels(text: string): number[] {
  const unit: Record<string, number> = { s: 1000, m: 60000, h: 3600000, d: 86400000 };
  return text.trim().split(/\s+/).map((t) => {
    const m = /^(\d+)([smhd])$/.exec(t);
    if (!m) throw new Error(`bad delay level: ${t}`);
    return Number(m[1]) * unit[m[2]];
  });
}

export const DEFAULT_DELAY_LEVELS = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

/** Consume queues of a store plus the dispatch of appended records into them and the index. */
export class Dispatcher {
  readonly cqs = new Map<string, ConsumeQueue>();
  readonly cqRoot: string;
  private touched = new Set<ConsumeQueue>();
  private listeners: ArrivedListener[] = [];
  private delays: number[];
  /** Store timestamp of the last record dispatched. */
  lastDispatchedTimestamp = 0;
  /** Called with each consume-queue segment created from now on (block reservation under ASYNC_FLUSH). */
  segmentCreated: ((s: Segment) => void) | null = null;

  constructor(root: string, readonly cqSegmentSize: number, readonly index: IndexService | null, delayLevels = DEFAULT_DELAY_LEVELS) {
    this.cqRoot = path.join(root, 'consumequeue');
    this.delays = parseDelayLevels(delayLevels);
  }

  onArrived(cb: ArrivedListener): void {
    this.listeners.push(cb);
  }

  /** Opens every consume queue found on disk. */
  loadAll(): void {
    if (!fs.existsSync(this.cqRoot)) return;
    for (const topic of fs.readdirSync(this.cqRoot)) {
      const tdir = path.join(this.cqRoot, topic);
      if (!fs.statSync(tdir).isDirectory()) continue;
      for (const q of fs.readdirSync(tdir)) {
        if (!/^\d+$/.test(q)) continue;
        const cq = new ConsumeQueue(this.cqRoot, topic, Number(q), this.cqSegmentSize);
        cq.q.onCreate = this.segmentCreated;
        cq.load();
        this.cqs.set(`${topic}-${q}`, cq);
      }
    }
  }

  find(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.cqs.get(`${topic}-${queueId}`);
  }

  /** topic → queueId → queue, in front of `cqs` for the dispatch path (no key string per record). */
  private readonly byTopic = new Map<string, ConsumeQueue[]>();

  findOrCreate(topic: string, queueId: number): ConsumeQueue {
    let list = this.byTopic.get(topic);
    const hit = list?.[queueId];
    // a destroyed queue (topic deleted, expired) was removed from cqs: look again
    if (hit && !hit.destroyed) return hit;
    const key = `${topic}-${queueId}`;
    let cq = this.cqs.get(key);
    if (!cq) {
      cq = new ConsumeQueue(this.cqRoot, topic, queueId, this.cqSegmentSize);
      cq.q.onCreate = this.segmentCreated;
      this.cqs.set(key, cq);
    }
    if (queueId < 1024) {
      if (!list) {
        if (this.byTopic.size > 65536) this.byTopic.clear();
        list = [];
        this.byTopic.set(topic, list);
      }
      list[queueId] = cq;
    }
    return cq;
  }

  tagsCodeOf(r: DispatchRequest, props: Record<string, string>): number {
    if (r.topic === RMQ_SYS_SCHEDULE_TOPIC) {
      const level = Number(props.DELAY);
      if (level > 0) {
        const delay = this.delays[Math.min(level, this.delays.length) - 1] ?? 0;
        return r.storeTimestamp + delay;
      }
    }
    return r.tagsCode ?? tagsString2tagsCode(props.TAGS);
  }

  /** Adds units and index keys; call commit() after a batch of these. */
  dispatch(r: DispatchRequest, indexToo = true): void {
    const props = r.properties ?? string2messageProperties(r.propertiesString ?? '');
    r.properties = props;
    if (isDispatchedType(r.sysFlag)) {
      const cq = this.findOrCreate(r.topic, r.queueId);
      const tagsCode = this.tagsCodeOf(r, props);
      r.tagsCode = tagsCode;
      cq.putUnit(r.queueOffset, r.phyOffset, r.size, tagsCode);
      this.touched.add(cq);
    }
    if (indexToo && this.index && transactionType(r.sysFlag) !== SysFlag.TRANSACTION_ROLLBACK_TYPE) {
      this.index.buildIndex(r.topic, props, r.phyOffset, r.storeTimestamp);
    }
    this.lastDispatchedTimestamp = r.storeTimestamp;
  }

  commit(): void {
    for (const cq of this.touched) cq.commit();
    this.touched.clear();
    this.index?.commit();
  }

  /** Wakes listeners (long polling) for records that are now readable. */
  notify(reqs: DispatchRequest[]): void {
    if (this.listeners.length === 0) return;
    for (const r of reqs) {
      if (!isDispatchedType(r.sysFlag)) continue;
      for (const l of this.listeners) {
        try {
          l(r.topic, r.queueId, r.queueOffset, r.tagsCode ?? 0, r.storeTimestamp, r.properties ?? {});
        } catch {
          // A listener failure must not break the append path.
        }
      }
    }
  }

  async flush(): Promise<void> {
    await Promise.all([...this.cqs.values()].map((cq) => cq.flush()));
  }

  flushSync(): void {
    for (const cq of this.cqs.values()) cq.flushSync();
  }

  close(): void {
    for (const cq of this.cqs.values()) cq.close();
  }
}
