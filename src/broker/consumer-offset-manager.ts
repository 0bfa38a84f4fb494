/**
 * Committed consumer offsets (semantics.md §9): "topic@group" -> queueId -> next offset to consume.
 * Kept in memory, persisted to <storePathRootDir>/config/consumerOffset.json every flushConsumerOffsetInterval
 * and at shutdown.
 */
import path from 'node:path';
import { stringifyFastjson } from '../common/fastjson.js';
import type { Logger } from '../common/logger.js';
import { decodeConsumerOffsetWrapper } from '../protocol/admin.js';
import { parseObjectBody } from '../protocol/body.js';
import { type DataVersion, dataVersionFromJson, dataVersionToJson, newDataVersion, nextDataVersion } from '../protocol/route.js';
import { loadConfigFile, writeConfigFileAtomic, writeConfigFileAtomicAsync } from './config-file.js';

const SEP = '@';

export function offsetKey(topic: string, group: string): string {
  return topic + SEP + group;
}

/** Split "topic@group"; topics cannot contain '@', groups could in theory, so split at the first one. */
export function splitOffsetKey(key: string): { topic: string; group: string } | undefined {
  const i = key.indexOf(SEP);
  if (i <= 0) return undefined;
  return { topic: key.slice(0, i), group: key.slice(i + 1) };
}

export class ConsumerOffsetManager {
  private readonly offsets = new Map<string, Map<number, number>>();
  dataVersion: DataVersion = newDataVersion();
  readonly file: string;
  private dirty = false;

  constructor(
    storePathRootDir: string,
    private readonly logger: Logger,
  ) {
    this.file = path.join(storePathRootDir, 'config', 'consumerOffset.json');
  }

  load(): void {
    const parsed = loadConfigFile(
      this.file,
      (t) => {
        const w = decodeConsumerOffsetWrapper(t);
        const o = parseObjectBody(t, 'consumerOffset.json');
        return { w, dv: o.dataVersion ? dataVersionFromJson(o.dataVersion) : undefined };
      },
      this.logger,
    );
    if (!parsed) return;
    for (const [k, m] of Object.entries(parsed.w.offsetTable)) this.offsets.set(k, new Map(m));
    if (parsed.dv) this.dataVersion = parsed.dv;
  }

  /** Committed offset, or -1 when none is stored. */
  query(group: string, topic: string, queueId: number): number {
    return this.offsets.get(offsetKey(topic, group))?.get(queueId) ?? -1;
  }

  commit(group: string, topic: string, queueId: number, offset: number): void {
    const key = offsetKey(topic, group);
    let m = this.offsets.get(key);
    if (!m) {
      m = new Map();
      this.offsets.set(key, m);
    }
    m.set(queueId, offset);
    this.dirty = true;
  }

  /** All offsets of one topic@group, or undefined. */
  queryAll(group: string, topic: string): Map<number, number> | undefined {
    return this.offsets.get(offsetKey(topic, group));
  }

  /** The live table: "topic@group" -> queueId -> offset. */
  table(): Map<string, Map<number, number>> {
    return this.offsets;
  }

  groupsOfTopic(topic: string): string[] {
    const out = new Set<string>();
    for (const k of this.offsets.keys()) {
      const p = splitOffsetKey(k);
      if (p && p.topic === topic) out.add(p.group);
    }
    return [...out];
  }

  topicsOfGroup(group: string): string[] {
    const out = new Set<string>();
    for (const k of this.offsets.keys()) {
      const p = splitOffsetKey(k);
      if (p && p.group === group) out.add(p.topic);
    }
    return [...out];
  }

  removeTopic(topic: string): void {
    for (const k of [...this.offsets.keys()]) if (splitOffsetKey(k)?.topic === topic) this.offsets.delete(k);
    this.dirty = true;
  }

  removeGroup(group: string): void {
    for (const k of [...this.offsets.keys()]) if (splitOffsetKey(k)?.group === group) this.offsets.delete(k);
    this.dirty = true;
  }

  removeOffset(group: string, topic: string): void {
    this.offsets.delete(offsetKey(topic, group));
    this.dirty = true;
  }

  /** consumerOffset.json text; compact for GET_ALL_CONSUMER_OFFSET, pretty for the file. */
  encode(pretty: boolean): string {
    const offsetTable: Record<string, Map<number, number>> = {};
    const groupTopicMap: Record<string, string[]> = {};
    for (const [k, m] of this.offsets) {
      offsetTable[k] = new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
      const p = splitOffsetKey(k);
      if (p) (groupTopicMap[p.group] ??= []).push(p.topic);
    }
    return stringifyFastjson({ dataVersion: dataVersionToJson(this.dataVersion), groupTopicMap, offsetTable }, { pretty });
  }

  /** Write consumerOffset.json now (shutdown, admin changes). */
  persist(): void {
    try {
      if (this.dirty) this.dataVersion = nextDataVersion(this.dataVersion);
      this.dirty = false;
      writeConfigFileAtomic(this.file, this.encode(true));
    } catch (e) {
      this.logger.error(`persist ${this.file} failed: ${(e as Error).message}`);
    }
  }

  private writing: Promise<void> | undefined;

  /** Periodic persist: only when something changed, off the event loop, one write at a time. */
  persistIfDirty(): Promise<void> {
    if (!this.dirty || this.writing) return this.writing ?? Promise.resolve();
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.dirty = false;
    const text = this.encode(true);
    this.writing = writeConfigFileAtomicAsync(this.file, text)
      .catch((e: unknown) => {
        this.dirty = true;
        this.logger.error(`persist ${this.file} failed: ${(e as Error).message}`);
      })
      .finally(() => {
        this.writing = undefined;
      });
    return this.writing;
  }

  /** Wait for a periodic write in progress (before the final synchronous persist at shutdown). */
  async settle(): Promise<void> {
    await this.writing;
  }
}
