import fs from 'node:fs';
import { BLANK_MAGIC, checkRecord, patchRecord, POS_SYSFLAG, recordStoreHostBytes, type RecordMeta } from '../../common/record-codec.js';
import { offsetMsgIdFromHostBytes } from '../../common/msgid.js';
import { isDispatchedType, SysFlag } from '../../common/sysflag.js';
import { ensureDir } from '../file-util.js';
import type { AppendMessageResult, PutMessageResult, PutMessageStatus } from '../types.js';
import type { Segment } from './segment.js';
import type { BlockReserver } from './block-reserver.js';
import type { PageWarmer } from './page-warmer.js';
import { SegmentQueue } from './segment-queue.js';
import { hex16 } from '../../common/bytes.js';

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

/**
 * One record to append, already encoded (offsets and store time are patched in at append time). Once
 * appended the same object says where it landed and is the record's dispatch request: one object per
 * message on the put path, not three.
 */
export class PendingRecord implements DispatchRequest {
  queueOffset = 0;
  phyOffset = 0;
  storeTimestamp = 0;
  /** The encoded record is buf[at, at + size) (the store encodes a round's records back to back into one slab). */
  constructor(readonly buf: Buffer, readonly at: number, readonly size: number, readonly topic: string, readonly queueId: number,
    readonly sysFlag: number, public tagsCode: number | undefined, public properties: Record<string, string>) {}
}

/** One put (a single message or a batch of one topic/queue) waiting for the next append round. */
export class PendingPut {
  /** Set by the round that wrote it. */
  result: AppendResult | null = null;
  /** Commitlog offset after its last record: what must be durable before a SYNC_FLUSH put answers. */
  endOffset = 0;
  /** Set when the round refused or failed it. */
  failStatus: PutMessageStatus | null = null;
  failRemark = '';
  constructor(readonly records: PendingRecord[], readonly totalSize: number, readonly waitFlush: boolean,
    private readonly resolve: (r: PutMessageResult) => void) {}

  /** Answers the put (the store calls this once). */
  settle(status: PutMessageStatus, appendResult: AppendMessageResult | null, remark?: string): void {
    this.resolve({ status, appendResult, remark });
  }
}

/**
 * Append result of one put. The offset msgId is built only when read (the broker's answer needs it; a
 * store-internal put such as a delayed or transactional copy usually does not): store host as hex + offset.
 */
export class AppendResult implements AppendMessageResult {
  private id: string | undefined;
  constructor(readonly wroteOffset: number, readonly wroteBytes: number, readonly queueOffset: number,
    readonly storeTimestamp: number, readonly msgNum: number, private readonly hostHex: string,
    /** Commitlog offsets of a batch's records (null for one message). */
    private readonly offsets: number[] | null, ids?: string) {
    this.id = ids;
  }

  get logicsOffset(): number {
    return this.queueOffset;
  }

  get msgId(): string {
    if (this.id === undefined) {
      const one = (phy: number): string => this.hostHex + hex16(phy);
      this.id = this.offsets ? this.offsets.map(one).join(',') : one(this.wroteOffset);
    }
    return this.id;
  }

  toJSON(): AppendMessageResult {
    return { wroteOffset: this.wroteOffset, wroteBytes: this.wroteBytes, msgId: this.msgId, queueOffset: this.queueOffset,
      logicsOffset: this.queueOffset, storeTimestamp: this.storeTimestamp, msgNum: this.msgNum };
  }
}

export interface AppendRoundResult {
  /** Records written in this round, in commitlog order. */
  dispatch: PendingRecord[];
  /** Puts written in this round (result and endOffset set). */
  done: PendingPut[];
  /** Puts refused (failStatus and failRemark set). */
  failed: PendingPut[];
}

const BLANK_LENGTH = 8;

let lastHostKey = -1;
let lastHostPort = -1;
let lastHostHex = '';
/** Uppercase hex of the IPv4 store host (address + port) at buf[at], cached for the common single-host case. */
function storeHostHex(buf: Buffer, at: number): string {
  const a = buf.readUInt32BE(at);
  const p = buf.readUInt32BE(at + 4);
  if (a !== lastHostKey || p !== lastHostPort) {
    lastHostKey = a;
    lastHostPort = p;
    lastHostHex = buf.toString('hex', at, at + 8).toUpperCase();
  }
  return lastHostHex;
}

/** Byte ranges to write in order; records encoded back to back in one buffer merge into one range. */
class WriteRuns {
  private readonly bufs: Buffer[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  add(buf: Buffer, start: number, end: number): void {
    const n = this.bufs.length - 1;
    if (n >= 0 && this.bufs[n] === buf && this.ends[n] === start) this.ends[n] = end;
    else {
      this.bufs.push(buf);
      this.starts.push(start);
      this.ends.push(end);
    }
  }

  get empty(): boolean {
    return this.bufs.length === 0;
  }

  /** One buffer holding every range in order: a view when there is one range, else a copy. */
  join(): Buffer {
    const views = this.bufs.map((b, i) => b.subarray(this.starts[i], this.ends[i]));
    return views.length === 1 ? views[0]! : Buffer.concat(views);
  }
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
  /** ASYNC_FLUSH: blocks reserved a window ahead of the writes (see BlockReserver). */
  reserver: BlockReserver | null = null;
  /** ASYNC_FLUSH: reserved blocks read into the page cache just ahead of the writes (see PageWarmer). */
  warmer: PageWarmer | null = null;
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
    let chunk = new WriteRuns();
    let chunkStart = pos;
    const writes: { seg: Segment; data: WriteRuns; at: number; end: number }[] = [];
    const closeChunk = (end: number) => {
      if (!chunk.empty) writes.push({ seg, data: chunk, at: chunkStart - seg.fileFromOffset, end: end - seg.fileFromOffset });
      chunk = new WriteRuns();
    };
    for (const put of puts) {
      if (put.totalSize + BLANK_LENGTH > this.segmentSize) {
        put.failStatus = 'MESSAGE_ILLEGAL';
        put.failRemark = `message of ${put.totalSize} bytes does not fit a commitlog segment`;
        out.failed.push(put);
        continue;
      }
      const left = seg.endOffset - pos;
      if (put.totalSize + BLANK_LENGTH > left) {
        const blank = Buffer.alloc(BLANK_LENGTH);
        blank.writeInt32BE(left, 0);
        blank.writeInt32BE(BLANK_MAGIC, 4);
        chunk.add(blank, 0, BLANK_LENGTH);
        closeChunk(seg.endOffset);
        pos = seg.endOffset;
        seg = this.q.segmentForWrite(pos);
        chunkStart = pos;
      }
      const first = pos;
      let firstQueueOffset = -1;
      let hostHex = '';
      let ids: string[] | null = null;
      const records = put.records;
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        let qo = 0;
        if (isDispatchedType(r.sysFlag)) {
          const key = this.queueKey(r.topic, r.queueId);
          const cur = this.topicQueueTable.get(key);
          if (!touchedQueues.has(key)) touchedQueues.set(key, cur);
          qo = cur ?? 0;
          this.topicQueueTable.set(key, qo + 1);
        }
        if (firstQueueOffset < 0) firstQueueOffset = qo;
        const storeHostAt = patchRecord(r.buf, r.at, qo, pos, now);
        r.queueOffset = qo;
        r.phyOffset = pos;
        r.storeTimestamp = now;
        if (ids === null) {
          // IPv4 store host (the sysFlag bit): the id is host hex + offset, built when asked for
          const v4 = (r.buf[r.at + POS_SYSFLAG + 3]! & SysFlag.STOREHOSTADDRESS_V6) === 0;
          if (v4 && (i === 0 || storeHostHex(r.buf, storeHostAt) === hostHex)) hostHex = storeHostHex(r.buf, storeHostAt);
          else ids = records.slice(0, i).map((x) => offsetMsgIdFromHostBytes(recordStoreHostBytes(x.buf, x.at), x.phyOffset));
        }
        if (ids !== null) ids.push(offsetMsgIdFromHostBytes(recordStoreHostBytes(r.buf, r.at), pos));
        chunk.add(r.buf, r.at, r.at + r.size);
        out.dispatch.push(r);
        pos += r.size;
      }
      put.endOffset = pos;
      put.result = new AppendResult(first, pos - first, firstQueueOffset, now, records.length, hostHex,
        records.length > 1 && ids === null ? records.map((x) => x.phyOffset) : null, ids === null ? undefined : ids.join(','));
      out.done.push(put);
    }
    closeChunk(pos);
    try {
      for (const w of writes) {
        // One contiguous buffer per segment: a single memcpy pass beats a long iovec list.
        w.seg.write([w.data.join()], w.at);
        w.seg.wrotePosition = w.end;
      }
    } catch (err) {
      // Nothing of this round is acknowledged: roll the counters back; recovery/next round overwrite the bytes.
      this.rollbackQueues(touchedQueues);
      // A segment opened for this round holds nothing valid: drop it, so the next round (which starts again
      // at startOffset, in the segment before) does not find a later segment last in the queue.
      while ((this.q.last()?.fileFromOffset ?? -1) > startOffset) this.q.removeLast();
      const s = this.q.findByOffset(startOffset);
      if (s) s.wrotePosition = startOffset - s.fileFromOffset;
      const remark = `commitlog write failed: ${(err as Error).message}`;
      for (const put of out.done) {
        put.result = null;
        put.failStatus = 'UNKNOWN_ERROR';
        put.failRemark = remark;
        out.failed.push(put);
      }
      out.done = [];
      out.dispatch = [];
      return out;
    }
    this.writeOffset = pos;
    if (this.preallocate) this.allocateAhead();
    else if (this.reserver) {
      const last = this.q.last();
      if (last) {
        this.reserver.ahead(last, pos - last.fileFromOffset);
        this.warmer?.ahead(last, pos - last.fileFromOffset);
      }
    }
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
