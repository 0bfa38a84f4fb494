// Broadcasting offsets in a local file: <dir>/<clientId>/<group>/offsets.json (dir default ~/.rocketmq_offsets,
// or ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR), written as OffsetSerializeWrapper JSON via a temp file and rename,
// the previous version kept as offsets.json.bak.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, copyFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { MessageQueue } from '../../protocol/admin.js';
import { messageQueueFromJson, messageQueueToJson } from '../../protocol/admin.js';
import { asNumber, encodeJson, mapEntries, parseObjectBody } from '../../protocol/body.js';
import { MemoryOffsetTable, type OffsetStore, type ReadOffsetType } from './offset-store.js';

export function defaultLocalOffsetStoreDir(): string {
  return process.env.ROCKETMQ_CLIENT_LOCAL_OFFSET_STORE_DIR ?? join(homedir(), '.rocketmq_offsets');
}

export class LocalFileOffsetStore extends MemoryOffsetTable implements OffsetStore {
  readonly path: string;

  constructor(clientId: string, group: string, baseDir = defaultLocalOffsetStoreDir()) {
    super();
    this.path = join(baseDir, clientId, group, 'offsets.json');
  }

  private readFile(path: string): [MessageQueue, number][] | null {
    if (!existsSync(path)) return null;
    const text = readFileSync(path, 'utf8');
    if (!text.trim()) return null;
    const o = parseObjectBody(text, 'OffsetSerializeWrapper');
    return mapEntries(o.offsetTable).map(([k, v]) => [messageQueueFromJson(k), asNumber(v, 0)]);
  }

  async load(): Promise<void> {
    let entries: [MessageQueue, number][] | null;
    try {
      entries = this.readFile(this.path);
    } catch {
      entries = this.readFile(this.path + '.bak');
    }
    for (const [mq, off] of entries ?? []) this.updateOffset(mq, off, false);
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    const m = this.memoryOffset(mq);
    if (type === 'MEMORY' || m >= 0) return m;
    let entries: [MessageQueue, number][] | null = null;
    try {
      entries = this.readFile(this.path);
    } catch {
      entries = null;
    }
    const hit = entries?.find(([q]) => q.topic === mq.topic && q.brokerName === mq.brokerName && q.queueId === mq.queueId);
    if (!hit) return -1;
    this.updateOffset(mq, hit[1], false);
    return hit[1];
  }

  private write(): void {
    const entries = this.offsets();
    const body = encodeJson({ offsetTable: new Map(entries.map(([mq, off]) => [messageQueueToJson(mq), off])) }, { pretty: true });
    mkdirSync(join(this.path, '..'), { recursive: true });
    if (existsSync(this.path)) copyFileSync(this.path, this.path + '.bak');
    writeFileSync(this.path + '.tmp', body);
    renameSync(this.path + '.tmp', this.path);
  }

  async persistAll(mqs: MessageQueue[]): Promise<void> {
    if (mqs.length === 0) return;
    this.write();
  }

  async persist(): Promise<void> {
    this.write();
  }
}
