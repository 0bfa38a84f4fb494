import fs from 'node:fs';
import { readLong } from '../../common/record-codec.js';
import { readAt } from '../file-util.js';
import { get32, put32, putLong } from '../../common/bytes.js';

export const INDEX_HEADER_SIZE = 40;
export const INDEX_ENTRY_SIZE = 20;
const HASH_SLOT_SIZE = 4;
const INVALID_INDEX = 0;
const PAGE_SIZE = 4096;
const SLOTS_PER_PAGE = PAGE_SIZE / HASH_SLOT_SIZE;
const SLOT_PAGE_SHIFT = 10; // log2(SLOTS_PER_PAGE)

export interface IndexHeader {
  beginTimestamp: number;
  endTimestamp: number;
  beginPhyOffset: number;
  endPhyOffset: number;
  hashSlotCount: number;
  indexCount: number;
}

export function indexFileSize(slotNum: number, indexNum: number): number {
  return INDEX_HEADER_SIZE + slotNum * HASH_SLOT_SIZE + indexNum * INDEX_ENTRY_SIZE;
}

export function readIndexHeader(buf: Buffer): IndexHeader {
  return {
    beginTimestamp: readLong(buf, 0), endTimestamp: readLong(buf, 8), beginPhyOffset: readLong(buf, 16),
    endPhyOffset: readLong(buf, 24), hashSlotCount: buf.readInt32BE(32), indexCount: buf.readInt32BE(36),
  };
}

/** keyHash as IndexFile.indexKeyHashMethod: abs(String.hashCode), MIN_VALUE → 0. */
export function indexKeyHash(javaHash: number): number {
  const a = Math.abs(javaHash);
  return a > 0x7fffffff ? 0 : a;
}

/**
 * One hash index file (storage.md §8). The file being written keeps its slot table in memory; entries are
 * written as they are added (one write per append round), slots and header when flushed. A crash loses at
 * most the unflushed slot updates, which recovery rebuilds from the commitlog.
 */
export class IndexFile {
  readonly fd: number;
  header: IndexHeader;
  /** Slot table as stored (big-endian int32s), for the file being written. */
  private slots: Buffer | null = null;
  /**
   * Pages (4 KiB = 1024 slots) of the slot table changed since the last flush. Keys hash uniformly, so a
   * busy second dirties most pages: a flush writes page runs, not single slots, and off the main thread.
   */
  private dirtyPages: Uint8Array = new Uint8Array(0);
  private anyDirtyPage = false;
  private headerDirty = false;
  private pending: Buffer = Buffer.allocUnsafe(INDEX_ENTRY_SIZE * 256);
  private pendingLen = 0;
  private pendingFrom = 0;
  readonly fileSize: number;
  /** Blocks reserved (BlockReserver) up to here; starts at the entries, which the event loop writes. */
  allocatedPosition: number;

  constructor(readonly file: string, readonly slotNum: number, readonly indexNum: number, create: boolean,
    prevEnd?: { phy: number; ts: number }) {
    this.fd = fs.openSync(file, create ? 'w+' : 'r+');
    this.fileSize = indexFileSize(slotNum, indexNum);
    if (create) {
      fs.ftruncateSync(this.fd, this.fileSize);
      const phy = prevEnd?.phy ?? 0;
      const ts = prevEnd?.ts ?? 0;
      this.header = { beginTimestamp: ts, endTimestamp: ts, beginPhyOffset: phy, endPhyOffset: phy, hashSlotCount: 0, indexCount: 1 };
      this.headerDirty = true;
      this.slots = Buffer.alloc(slotNum * HASH_SLOT_SIZE);
      this.dirtyPages = new Uint8Array(Math.ceil(slotNum / SLOTS_PER_PAGE));
    } else {
      this.header = readIndexHeader(readAt(this.fd, 0, INDEX_HEADER_SIZE));
      if (this.header.indexCount < 1) this.header.indexCount = 1;
    }
    this.allocatedPosition = this.entriesEnd();
  }

  /** File position after the last entry (committed or pending). */
  entriesEnd(): number {
    return INDEX_HEADER_SIZE + this.slotNum * HASH_SLOT_SIZE + this.header.indexCount * INDEX_ENTRY_SIZE;
  }

  isFull(): boolean {
    return this.header.indexCount >= this.indexNum;
  }

  /** Loads the slot table to keep writing into this file. */
  makeWritable(): void {
    if (this.slots) return;
    const raw = readAt(this.fd, INDEX_HEADER_SIZE, this.slotNum * HASH_SLOT_SIZE);
    this.slots = raw.length === this.slotNum * HASH_SLOT_SIZE ? raw : Buffer.concat([raw, Buffer.alloc(this.slotNum * HASH_SLOT_SIZE - raw.length)]);
    this.dirtyPages = new Uint8Array(Math.ceil(this.slotNum / SLOTS_PER_PAGE));

  }

  /**
   * Rebuilds the slot table from the entries (after a crash the slots on disk may be from a later flush than
   * the header): for each entry in order, its slot points at it; hashSlotCount is recounted. Written at once.
   */
  rebuildSlots(): void {
    const slots = Buffer.alloc(this.slotNum * HASH_SLOT_SIZE);
    const entriesAt = INDEX_HEADER_SIZE + this.slotNum * HASH_SLOT_SIZE;
    const WINDOW = 65536;
    const win = Buffer.allocUnsafe(WINDOW * INDEX_ENTRY_SIZE);
    let used = 0;
    for (let n = 1; n < this.header.indexCount; n += WINDOW) {
      const count = Math.min(WINDOW, this.header.indexCount - n);
      const buf = readAt(this.fd, entriesAt + n * INDEX_ENTRY_SIZE, count * INDEX_ENTRY_SIZE, win);
      for (let k = 0; k * INDEX_ENTRY_SIZE + INDEX_ENTRY_SIZE <= buf.length; k++) {
        const hash = buf.readInt32BE(k * INDEX_ENTRY_SIZE);
        const slot = (hash >>> 0) % this.slotNum;
        if (slots.readInt32BE(slot * HASH_SLOT_SIZE) === 0) used++;
        slots.writeInt32BE(n + k, slot * HASH_SLOT_SIZE);
      }
    }
    this.slots = slots;
    this.dirtyPages = new Uint8Array(Math.ceil(this.slotNum / SLOTS_PER_PAGE));
    this.anyDirtyPage = false;
    this.header.hashSlotCount = used;
    fs.writeSync(this.fd, slots, 0, slots.length, INDEX_HEADER_SIZE);
    this.headerDirty = true;
    this.commitEntries();
    for (const [pos, buf] of this.takeDirty()) fs.writeSync(this.fd, buf, 0, buf.length, pos);
  }

  private slotValue(slot: number): number {
    if (this.slots) return this.slots.readInt32BE(slot * HASH_SLOT_SIZE);
    return readAt(this.fd, INDEX_HEADER_SIZE + slot * HASH_SLOT_SIZE, 4).readInt32BE(0);
  }

  /** Adds key → phyOffset; false when the file is full. */
  putKey(keyHash: number, phyOffset: number, storeTimestamp: number): boolean {
    if (this.isFull()) return false;
    this.makeWritable();
    const slots = this.slots!;
    const h = this.header;
    const slot = keyHash % this.slotNum;
    let prev = get32(slots, slot * HASH_SLOT_SIZE);
    if (prev <= INVALID_INDEX || prev > h.indexCount) prev = INVALID_INDEX;
    let timeDiff = h.beginTimestamp <= 0 ? 0 : Math.floor((storeTimestamp - h.beginTimestamp) / 1000);
    timeDiff = Math.max(0, Math.min(0x7fffffff, timeDiff));
    if (this.pendingLen === 0) this.pendingFrom = h.indexCount;
    if (this.pendingLen + INDEX_ENTRY_SIZE > this.pending.length) {
      const bigger = Buffer.allocUnsafe(this.pending.length * 2);
      this.pending.copy(bigger, 0, 0, this.pendingLen);
      this.pending = bigger;
    }
    const e = this.pending;
    const o = this.pendingLen;
    put32(e, o, keyHash);
    putLong(e, o + 4, phyOffset);
    put32(e, o + 12, timeDiff);
    put32(e, o + 16, prev);
    this.pendingLen += INDEX_ENTRY_SIZE;
    put32(slots, slot * HASH_SLOT_SIZE, h.indexCount);
    this.dirtyPages[slot >>> SLOT_PAGE_SHIFT] = 1;
    this.anyDirtyPage = true;
    if (h.indexCount <= 1) {
      h.beginPhyOffset = phyOffset;
      h.beginTimestamp = storeTimestamp;
    }
    if (prev === INVALID_INDEX) h.hashSlotCount++;
    h.indexCount++;
    h.endPhyOffset = phyOffset;
    h.endTimestamp = storeTimestamp;
    this.headerDirty = true;
    return true;
  }

  /** Writes entries added since the last call (one write). */
  commitEntries(): void {
    if (this.pendingLen === 0) return;
    const pos = INDEX_HEADER_SIZE + this.slotNum * HASH_SLOT_SIZE + this.pendingFrom * INDEX_ENTRY_SIZE;
    fs.writeSync(this.fd, this.pending, 0, this.pendingLen, pos);
    this.pendingLen = 0;
  }

  isDirty(): boolean {
    return this.headerDirty || this.anyDirtyPage || this.pendingLen > 0;
  }

  /** Writes dirty slot pages and the header, then fdatasync (shutdown, file switch). */
  flush(): void {
    this.commitEntries();
    for (const [pos, buf] of this.takeDirty()) fs.writeSync(this.fd, buf, 0, buf.length, pos);
    fs.fdatasyncSync(this.fd);
  }

  /**
   * Same as flush with the writes and the fdatasync on the thread pool. The slot table (20 MB by default, and
   * a busy second dirties nearly all of it) only when `withSlots`: the store writes it every 30 s, as the
   * kernel would write back Apache's mapped slot pages. Nothing depends on it sooner: readers use the table
   * in memory, and after a crash the last file's slots are rebuilt from its entries (which go out every
   * flush). Writes go one at a time in chunks of 1 MB: a single 20 MB copy held a core for ~10 ms, long
   * enough to stall the event loop and the clients beside it.
   */
  async flushAsync(withSlots = true): Promise<void> {
    this.commitEntries();
    for (const [pos, buf] of this.takeDirty(withSlots)) {
      for (let at = 0; at < buf.length; at += 1024 * 1024) {
        const n = Math.min(1024 * 1024, buf.length - at);
        await new Promise<void>((resolve, reject) => {
          fs.write(this.fd, buf, at, n, pos + at, (err) => (err ? reject(err) : resolve()));
        });
      }
    }
    await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * File positions and bytes to write: runs of dirty slot pages (views of the live table: a slot changed while
   * the write is on the thread pool is marked dirty again and written by the next flush), then the header.
   */
  private takeDirty(withSlots = true): Array<[number, Buffer]> {
    const out: Array<[number, Buffer]> = [];
    if (withSlots && this.slots && this.anyDirtyPage) {
      const pages = this.dirtyPages;
      const slotBytes = this.slotNum * HASH_SLOT_SIZE;
      let p = 0;
      while (p < pages.length) {
        if (!pages[p]) { p++; continue; }
        let q = p;
        while (q < pages.length && pages[q]) pages[q++] = 0;
        const from = p * PAGE_SIZE;
        const to = Math.min(slotBytes, q * PAGE_SIZE);
        out.push([INDEX_HEADER_SIZE + from, this.slots.subarray(from, to)]);
        p = q;
      }
      this.anyDirtyPage = false;
    }
    if (this.headerDirty) {
      const hb = Buffer.alloc(INDEX_HEADER_SIZE);
      const h = this.header;
      putLong(hb, 0, h.beginTimestamp);
      putLong(hb, 8, h.endTimestamp);
      putLong(hb, 16, h.beginPhyOffset);
      putLong(hb, 24, h.endPhyOffset);
      hb.writeInt32BE(h.hashSlotCount, 32);
      hb.writeInt32BE(h.indexCount, 36);
      out.push([0, hb]);
      this.headerDirty = false;
    }
    return out;
  }

  isTimeMatched(begin: number, end: number): boolean {
    const h = this.header;
    return (begin < h.beginTimestamp && end > h.endTimestamp) ||
      (begin >= h.beginTimestamp && begin <= h.endTimestamp) || (end >= h.beginTimestamp && end <= h.endTimestamp);
  }

  /** Offsets of entries whose key hash matches and whose time is within [begin, end], newest first. */
  selectPhyOffsets(out: number[], keyHash: number, maxNum: number, begin: number, end: number): void {
    const h = this.header;
    let cur = this.slotValue(keyHash % this.slotNum);
    const entriesAt = INDEX_HEADER_SIZE + this.slotNum * HASH_SLOT_SIZE;
    const e = Buffer.allocUnsafe(INDEX_ENTRY_SIZE);
    let guard = 0;
    while (cur > INVALID_INDEX && cur < h.indexCount && out.length < maxNum && guard++ < this.indexNum) {
      readAt(this.fd, entriesAt + cur * INDEX_ENTRY_SIZE, INDEX_ENTRY_SIZE, e);
      const hash = e.readInt32BE(0);
      const phy = readLong(e, 4);
      const timeDiff = e.readInt32BE(12);
      const prev = e.readInt32BE(16);
      if (timeDiff < 0) break;
      const t = h.beginTimestamp + timeDiff * 1000;
      if (hash === keyHash && t >= begin && t <= end) out.push(phy);
      if (prev <= INVALID_INDEX || prev > h.indexCount || prev === cur || t < begin) break;
      cur = prev;
    }
  }

  close(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }

  destroy(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }
}
