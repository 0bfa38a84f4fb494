import fs from 'node:fs';
import path from 'node:path';
import { continueJavaHash, javaStringHashCode } from '../../common/tags.js';
import { ensureDir } from '../file-util.js';
import type { BlockReserver } from '../commitlog/block-reserver.js';
import { INDEX_HEADER_SIZE, IndexFile, indexFileSize, indexKeyHash } from './index-file.js';

/** Index entries are reserved this far ahead (a second of 1 KB sends at 400k keys/s). */
const ENTRY_WINDOW = 8 * 1024 * 1024;
/** The periodic flush writes the slot tables this often (Linux writes dirty mapped pages back within 30 s). */
const SLOT_FLUSH_INTERVAL_MS = 30_000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** Index file name: local time yyyyMMddHHmmssSSS. */
export function indexFileName(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}` +
    `${pad(d.getSeconds())}${pad(d.getMilliseconds(), 3)}`;
}

/** The index files of a store: key → commitlog offsets (storage.md §8). */
export class IndexService {
  files: IndexFile[] = [];
  readonly dir: string;
  /** ASYNC_FLUSH: entry blocks reserved ahead of the event loop's entry writes (see BlockReserver). */
  reserver: BlockReserver | null = null;

  constructor(root: string, readonly slotNum: number, readonly indexNum: number, readonly now: () => number) {
    this.dir = path.join(root, 'index');
  }

  /** Loads index files; after a crash, files newer than the checkpoint's index timestamp are dropped. */
  load(abnormal: boolean, indexMsgTimestamp: number): void {
    if (!fs.existsSync(this.dir)) return;
    const names = fs.readdirSync(this.dir).filter((n) => /^\d{17}$/.test(n)).sort();
    const expected = indexFileSize(this.slotNum, this.indexNum);
    for (let i = 0; i < names.length; i++) {
      const file = path.join(this.dir, names[i]!);
      // A crash between creating a file and sizing it leaves it short (often empty): the index is derived
      // data, so it goes, and recovery re-indexes from the end of the file before it.
      const size = fs.statSync(file).size;
      if (size < INDEX_HEADER_SIZE || (i === names.length - 1 && size !== expected)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      const f = new IndexFile(file, this.slotNum, this.indexNum, false);
      if (abnormal && f.header.endTimestamp > indexMsgTimestamp) {
        f.destroy();
        continue;
      }
      this.files.push(f);
    }
    const last = this.last();
    if (abnormal && last && !last.isFull()) last.rebuildSlots();
  }

  last(): IndexFile | undefined {
    return this.files[this.files.length - 1];
  }

  /** End commitlog offset covered by the index (records before it are already indexed). */
  endPhyOffset(): number {
    return this.last()?.header.endPhyOffset ?? 0;
  }

  private writable(): IndexFile {
    let f = this.last();
    if (f && !f.isFull()) return f;
    ensureDir(this.dir);
    let t = this.now();
    let name = indexFileName(t);
    while (fs.existsSync(path.join(this.dir, name))) name = indexFileName(++t);
    if (f) f.flush();
    const prev = f ? { phy: f.header.endPhyOffset, ts: f.header.endTimestamp } : undefined;
    f = new IndexFile(path.join(this.dir, name), this.slotNum, this.indexNum, true, prev);
    this.files.push(f);
    return f;
  }

  /** Index keys of one record: UNIQ_KEY and each space-separated KEYS token, as "topic#key". */
  buildIndex(topic: string, properties: Record<string, string>, phyOffset: number, storeTimestamp: number): void {
    const last = this.last();
    // Already indexed (recovery re-dispatch): Apache skips offsets below endPhyOffset; the record at it too.
    if (last && (phyOffset < last.header.endPhyOffset || (phyOffset === last.header.endPhyOffset && last.header.indexCount > 1))) return;
    const uniq = properties.UNIQ_KEY;
    const seed = this.topicSeed(topic);
    if (uniq) this.putKey(continueJavaHash(seed, uniq), phyOffset, storeTimestamp);
    const keys = properties.KEYS;
    if (keys) {
      for (const k of keys.split(' ')) if (k.length > 0) this.putKey(continueJavaHash(seed, k), phyOffset, storeTimestamp);
    }
  }

  private lastTopic = '';
  private lastSeed = 0;
  /** Hash of "topic#": index keys are "topic#key", hashed on from here (same value, no concatenation). */
  private topicSeed(topic: string): number {
    if (topic !== this.lastTopic) {
      this.lastSeed = javaStringHashCode(`${topic}#`);
      this.lastTopic = topic;
    }
    return this.lastSeed;
  }

  private putKey(javaHash: number, phyOffset: number, storeTimestamp: number): void {
    const hash = indexKeyHash(javaHash);
    let f = this.writable();
    if (!f.putKey(hash, phyOffset, storeTimestamp)) {
      f.commitEntries();
      f = this.writable();
      f.putKey(hash, phyOffset, storeTimestamp);
    }
  }

  commit(): void {
    const f = this.last();
    if (!f) return;
    f.commitEntries();
    this.reserver?.ahead(f, f.entriesEnd(), ENTRY_WINDOW);
  }

  query(topic: string, key: string, maxNum: number, begin: number, end: number): number[] {
    this.commit();
    const out: number[] = [];
    const hash = indexKeyHash(javaStringHashCode(`${topic}#${key}`));
    for (let i = this.files.length - 1; i >= 0 && out.length < maxNum; i--) {
      const f = this.files[i];
      if (f.isTimeMatched(begin, end)) f.selectPhyOffsets(out, hash, maxNum, begin, end);
      if (f.header.beginTimestamp < begin) break;
    }
    return [...new Set(out)];
  }

  /** Flushes dirty files off the main thread; resolves the end timestamp now durable. */
  async flushAsync(): Promise<number> {
    const ts = this.last()?.header.endTimestamp ?? 0;
    const now = Date.now();
    const withSlots = now - this.slotsFlushedAt >= SLOT_FLUSH_INTERVAL_MS;
    if (withSlots) this.slotsFlushedAt = now;
    await Promise.all(this.files.filter((f) => f.isDirty()).map((f) => f.flushAsync(withSlots)));
    return ts;
  }

  /** When the periodic flush last wrote the slot tables (see IndexFile.flushAsync). */
  private slotsFlushedAt = Date.now();

  /** Flushes dirty files; returns the end timestamp now durable (for the checkpoint). */
  flush(): number {
    for (const f of this.files) if (f.isDirty()) f.flush();
    return this.last()?.header.endTimestamp ?? 0;
  }

  /** Deletes files (never the last) whose endPhyOffset is below the commitlog min offset. */
  deleteExpired(phyMinOffset: number): number {
    let n = 0;
    while (this.files.length > 1 && this.files[0].header.endPhyOffset < phyMinOffset) {
      this.files.shift()!.destroy();
      n++;
    }
    return n;
  }

  /** Drops files covering records at or beyond phyOffset (recovery cut the commitlog before them). */
  truncateBeyond(phyOffset: number): void {
    while (this.files.length && this.files[this.files.length - 1].header.endPhyOffset >= phyOffset) {
      this.files.pop()!.destroy();
    }
  }

  close(): void {
    for (const f of this.files) f.close();
  }
}
