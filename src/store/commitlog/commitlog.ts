import fs from 'node:fs';
import { BLANK_MAGIC, checkRecord, patchRecord, recordStoreHostBytes, type RecordMeta } from '../../common/record-codec.js';
import { offsetMsgIdFromHostBytes } from '../../common/msgid.js';
import { isDispatchedType } from '../../common/sysflag.js';
import { ensureDir } from '../file-util.js';
import type { AppendMessageResult, PutMessageStatus } from '../types.js';
import type { Segment } from './segment.js';
import { SegmentQueue } from './segment-queue.js';

/** One record to append, already encoded (offsets and store time are patched in at append time). */
export interface PendingRecord {
  buf: Buffer;
  topic: string;
  queueId: number;
  sysFlag: number;
  tagsCode: number | undefined;
  properties: Record<string, string>;
}

/** One put (a single message or a batch of one topic/queue) waiting for the next append round. */
export interface PendingPut {
  records: PendingRecord[];
  totalSize: number;
  waitFlush: boolean;
  resolve: (status: PutMessageStatus, result: AppendMessageResult | null, remark?: string) => void;
}

/** A record that became readable and must reach consume queues / index / waiting pulls. */
export interface DispatchRequest {
  topic: string;
  queueId: number;
  queueOffset: number;
  phyOffset: number;
  size: number;
  sysFlag: number;
  storeTimestamp: number;
  tagsCode: number | undefined;
  properties: Record<string, string> | null;
  propertiesString?: string;
}

export interface AppendRoundResult {
  dispatch: DispatchRequest[];
  /** Puts written in this round with the end offset each must see flushed. */
  done: { put: PendingPut; result: AppendMessageResult; endOffset: number }[];
  failed: { put: PendingPut; status: PutMessageStatus; remark: string }[];
}

const BLANK_LENGTH = 8;

let lastHostKey = -1;
let lastHostPort = -1;
let lastHostHex = '';
/** Uppercase hex of an IPv4 store host (address + port), cached for the common single-host case. */
function storeHostHex(hb: Buffer): string {
  const a = hb.readUInt32BE(0);
  const p = hb.readUInt32BE(4);
  if (a !== lastHostKey || p !== lastHostPort) {
    lastHostKey = a;
    lastHostPort = p;
    lastHostHex = hb.toString('hex').toUpperCase();
  }
  return lastHostHex;
}

/**
 * One buffer holding the chunk's records in order: a view of their common backing memory when they were
 * encoded back to back (the store encodes a round into one slab), otherwise a copy.
 */
function joinChunk(bufs: Buffer[]): Buffer {
  const first = bufs[0]!;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < bufs.length; i++) {
    const b = bufs[i]!;
    if (b.buffer !== first.buffer || b.byteOffset !== end) return Buffer.concat(bufs);
    end += b.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** The commit log: segments of records, append by rounds (one write per round per segment). */
export class CommitLog {
  readonly q: SegmentQueue;
  /** Next write offset (= max offset). */
  writeOffset = 0;
  /** Offset up to which data is known to be on disk. */
  flushedOffset = 0;
  /** (topic-queueId) → next queue offset. */
  readonly topicQueueTable = new Map<string, number>();
  /** Store timestamp of the last appended record. */
  lastStoreTimestamp = 0;
  /**
   * Write zeros ahead of the data (SYNC_FLUSH): a later fdatasync then only writes data blocks instead of
   * committing a block allocation in the journal every group commit.
   */
  preallocate = false;
  private static readonly PREALLOC_CHUNK = 4 * 1024 * 1024;
  private static zeros: Buffer | null = null;

  constructor(readonly dir: string, readonly segmentSize: number, readonly now: () => number) {
    this.q = new SegmentQueue(dir, segmentSize);
  }

  /** topic → queueId → `${topic}-${queueId}`: the table key without building a string per record. */
  private readonly keyCache = new Map<string, string[]>();

  private queueKey(topic: string, queueId: number): string {
    let keys = this.keyCache.get(topic);
    if (!keys) {
      if (this.keyCache.size > 65536) this.keyCache.clear();
      keys = [];
      this.keyCache.set(topic, keys);
    }
    return keys[queueId] ?? (queueId < 1024 ? (keys[queueId] = `${topic}-${queueId}`) : `${topic}-${queueId}`);
  }

  load(): void {
    ensureDir(this.dir);
    this.q.load();
  }

  minOffset(): number {
    const f = this.q.first();
    return f ? f.fileFromOffset : 0;
  }

  /** Appends all pending puts; each put's records land contiguously in one segment. */
  appendRound(puts: PendingPut[]): AppendRoundResult {
    const out: AppendRoundResult = { dispatch: [], done: [], failed: [] };
    const now = this.now();
    const startOffset = this.writeOffset;
    const touchedQueues = new Map<string, number | undefined>();
    try {
      return this.appendRoundInner(puts, out, now, startOffset, touchedQueues);
    } catch (err) {
      this.rollbackQueues(touchedQueues);
      throw err;
    }
  }

  private rollbackQueues(touched: Map<string, number | undefined>): void {
    for (const [k, v] of touched) {
      if (v === undefined) this.topicQueueTable.delete(k);
      else this.topicQueueTable.set(k, v);
    }
  }

  private appendRoundInner(puts: PendingPut[], out: AppendRoundResult, now: number, startOffset: number,
    touchedQueues: Map<string, number | undefined>): AppendRoundResult {
    let pos = this.writeOffset;
    let seg: Segment = this.q.segmentForWrite(pos);
    let chunk: Buffer[] = [];
    let chunkStart = pos;
    const writes: { seg: Segment; bufs: Buffer[]; at: number; end: number }[] = [];
    const closeChunk = (end: number) => {
      if (chunk.length) writes.push({ seg, bufs: chunk, at: chunkStart - seg.fileFromOffset, end: end - seg.fileFromOffset });
      chunk = [];
    };
    for (const put of puts) {
      if (put.totalSize + BLANK_LENGTH > this.segmentSize) {
        out.failed.push({ put, status: 'MESSAGE_ILLEGAL', remark: `message of ${put.totalSize} bytes does not fit a commitlog segment` });
        continue;
      }
      const left = seg.endOffset - pos;
      if (put.totalSize + BLANK_LENGTH > left) {
        const blank = Buffer.alloc(BLANK_LENGTH);
        blank.writeInt32BE(left, 0);
        blank.writeInt32BE(BLANK_MAGIC, 4);
        chunk.push(blank);
        closeChunk(seg.endOffset);
        pos = seg.endOffset;
        seg = this.q.segmentForWrite(pos);
        chunkStart = pos;
      }
      const first = pos;
      let firstQueueOffset = -1;
      const ids: string[] = [];
      for (const r of put.records) {
        let qo = 0;
        if (isDispatchedType(r.sysFlag)) {
          const key = this.queueKey(r.topic, r.queueId);
          const cur = this.topicQueueTable.get(key);
          if (!touchedQueues.has(key)) touchedQueues.set(key, cur);
          qo = cur ?? 0;
          this.topicQueueTable.set(key, qo + 1);
        }
        if (firstQueueOffset < 0) firstQueueOffset = qo;
        patchRecord(r.buf, 0, qo, pos, now);
        const hb = recordStoreHostBytes(r.buf, 0);
        ids.push(hb.length === 8 ? storeHostHex(hb) + pos.toString(16).toUpperCase().padStart(16, '0') : offsetMsgIdFromHostBytes(hb, pos));
        chunk.push(r.buf);
        out.dispatch.push({
          topic: r.topic, queueId: r.queueId, queueOffset: qo, phyOffset: pos, size: r.buf.length, sysFlag: r.sysFlag,
          storeTimestamp: now, tagsCode: r.tagsCode, properties: r.properties,
        });
        pos += r.buf.length;
      }
      out.done.push({
        put,
        endOffset: pos,
        result: {
          wroteOffset: first, wroteBytes: pos - first, msgId: ids.length === 1 ? ids[0]! : ids.join(','), queueOffset: firstQueueOffset,
          logicsOffset: firstQueueOffset, storeTimestamp: now, msgNum: put.records.length,
        },
      });
    }
    closeChunk(pos);
    try {
      for (const w of writes) {
        // One contiguous buffer per segment: a single memcpy pass beats a long iovec list.
        w.seg.write(w.bufs.length > 1 ? [joinChunk(w.bufs)] : w.bufs, w.at);
        w.seg.wrotePosition = w.end;
      }
    } catch (err) {
      // Nothing of this round is acknowledged: roll the counters back; recovery/next round overwrite the bytes.
      this.rollbackQueues(touchedQueues);
      const s = this.q.findByOffset(startOffset);
      if (s) s.wrotePosition = startOffset - s.fileFromOffset;
      const remark = `commitlog write failed: ${(err as Error).message}`;
      for (const d of out.done) out.failed.push({ put: d.put, status: 'UNKNOWN_ERROR', remark });
      out.done = [];
      out.dispatch = [];
      return out;
    }
    this.writeOffset = pos;
    if (this.preallocate) this.allocateAhead();
    if (out.dispatch.length) this.lastStoreTimestamp = now;
    return out;
  }

  private allocateAhead(): void {
    const seg = this.q.findByOffset(this.writeOffset) ?? this.q.last();
    if (!seg) return;
    const pos = this.writeOffset - seg.fileFromOffset;
    if (seg.allocatedPosition - pos >= CommitLog.PREALLOC_CHUNK / 4 || seg.allocatedPosition >= seg.fileSize) return;
    const from = Math.max(seg.allocatedPosition, pos);
    const to = Math.min(seg.fileSize, from + CommitLog.PREALLOC_CHUNK);
    CommitLog.zeros ??= Buffer.alloc(CommitLog.PREALLOC_CHUNK);
    try {
      seg.write([CommitLog.zeros.subarray(0, to - from)], from);
      seg.allocatedPosition = to;
    } catch {
      // Preallocation is an optimisation only; a full disk shows up on the next real write.
    }
  }

  /** Bytes [phy, phy+size) if they are all within written data of one segment. */
  read(phy: number, size: number): Buffer | null {
    if (phy < 0 || size <= 0 || phy + size > this.writeOffset) return null;
    const seg = this.q.findByOffset(phy);
    if (!seg) return null;
    const at = phy - seg.fileFromOffset;
    if (at + size > seg.fileSize) return null;
    const b = seg.read(at, size);
    return b.length === size ? b : null;
  }

  /** The record starting at phy (its size read from the record itself). */
  readRecord(phy: number): Buffer | null {
    const head = this.read(phy, 4);
    if (!head) return null;
    const size = head.readInt32BE(0);
    if (size <= 0) return null;
    return this.read(phy, size);
  }

  /** Parses the record at phy; null when not a valid record. */
  readMeta(phy: number, checkCRC = false): RecordMeta | null {
    const buf = this.readRecord(phy);
    if (!buf) return null;
    const c = checkRecord(buf, 0, buf.length, checkCRC);
    return c.kind === 'record' ? c.meta : null;
  }

  /** Flushes segments holding [flushedOffset, writeOffset); returns the offset now durable. */
  async flush(): Promise<number> {
    const target = this.writeOffset;
    if (target <= this.flushedOffset) return this.flushedOffset;
    const segs = this.q.segments.filter((s) => s.endOffset > this.flushedOffset && s.fileFromOffset < target);
    await Promise.all(segs.map((s) => s.flush()));
    if (target > this.flushedOffset) this.flushedOffset = target;
    return this.flushedOffset;
  }

  flushSync(): void {
    for (const s of this.q.segments) if (s.endOffset > this.flushedOffset) s.flushSync();
    this.flushedOffset = this.writeOffset;
  }

  /** Deletes expired segments (never the last). Returns the number deleted. */
  deleteExpired(expiredBefore: number, force: boolean, max: number): number {
    const segs = this.q.segments;
    let n = 0;
    while (n < max && segs.length - n > 1) {
      const s = segs[n];
      if (!force && s.lastModified() > expiredBefore) break;
      n++;
    }
    if (n) this.q.removeFirst(n);
    return n;
  }

  close(): void {
    this.q.close();
  }

  static exists(dir: string): boolean {
    return fs.existsSync(dir);
  }
}
