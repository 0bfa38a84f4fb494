import path from 'node:path';
import { readLong } from '../../common/record-codec.js';
import { SegmentQueue } from '../commitlog/segment-queue.js';
import { put32, putLong } from '../../common/bytes.js';

export const CQ_UNIT_SIZE = 20;

export interface CqUnit {
  queueOffset: number;
  phyOffset: number;
  size: number;
  tagsCode: number;
}

/**
 * Consume queue of one (topic, queueId): 20-byte units {commitlog offset, size, tags code}; unit i is
 * queue offset i (storage.md §7). Units collected during one append round are written with one call.
 */
export class ConsumeQueue {
  readonly q: SegmentQueue;
  /** End (offset + size) of the last unit's record; -1 when empty. */
  maxPhysicOffset = -1;
  /** Byte position of the first unit still pointing into the commitlog. */
  minLogicOffset = 0;
  /** Units queued since the last commit, contiguous from byte position pendingFrom. */
  private pending: Buffer = Buffer.allocUnsafe(CQ_UNIT_SIZE * 64);
  private pendingLen = 0;
  private pendingFrom = -1;
  private pendingNext = -1;

  constructor(rootDir: string, readonly topic: string, readonly queueId: number, readonly segmentSize: number) {
    this.q = new SegmentQueue(path.join(rootDir, topic, String(queueId)), segmentSize);
  }

  load(): void {
    this.q.load();
  }

  /** Next queue offset (number of units including pending ones). */
  maxOffsetInQueue(): number {
    if (this.pendingNext >= 0) return this.pendingNext / CQ_UNIT_SIZE;
    return this.q.maxWrotePosition() / CQ_UNIT_SIZE;
  }

  minOffsetInQueue(): number {
    return this.minLogicOffset / CQ_UNIT_SIZE;
  }

  private reserve(): number {
    if (this.pendingLen + CQ_UNIT_SIZE > this.pending.length) {
      const bigger = Buffer.allocUnsafe(this.pending.length * 2);
      this.pending.copy(bigger, 0, 0, this.pendingLen);
      this.pending = bigger;
    }
    const at = this.pendingLen;
    this.pendingLen += CQ_UNIT_SIZE;
    this.pendingNext += CQ_UNIT_SIZE;
    return at;
  }

  /** Queues a unit for queue offset `queueOffset`; duplicates (already present) are ignored. */
  putUnit(queueOffset: number, phyOffset: number, size: number, tagsCode: number): void {
    const at = queueOffset * CQ_UNIT_SIZE;
    const next = this.pendingNext >= 0 ? this.pendingNext : this.q.maxWrotePosition();
    if (at < next) return;
    if (this.pendingFrom < 0) {
      this.pendingFrom = next;
      this.pendingNext = next;
    }
    // A gap (queue starting past 0, or units lost) is filled with blank units so positions stay aligned.
    while (this.pendingNext < at) {
      const o = this.reserve();
      this.pending.fill(0, o, o + CQ_UNIT_SIZE);
      put32(this.pending, o + 8, 0x7fffffff);
    }
    const o = this.reserve();
    putLong(this.pending, o, phyOffset);
    put32(this.pending, o + 8, size);
    putLong(this.pending, o + 12, tagsCode);
    this.maxPhysicOffset = phyOffset + size;
  }

  static blankUnit(): Buffer {
    const u = Buffer.alloc(CQ_UNIT_SIZE);
    put32(u, 8, 0x7fffffff);
    return u;
  }

  /** Writes queued units (split at segment boundaries). */
  commit(): void {
    // A destroyed queue (topic deleted, queue expired) must not write: its segment queue would re-create the
    // directory the delete just removed, and recovery would bring the deleted topic's queue back.
    if (this.pendingLen === 0 || this.destroyed) return;
    let pos = this.pendingFrom;
    let done = 0;
    while (done < this.pendingLen) {
      const seg = this.q.segmentForWrite(pos);
      const n = Math.min(this.pendingLen - done, seg.endOffset - pos);
      seg.write([this.pending.subarray(done, done + n)], pos - seg.fileFromOffset);
      pos += n;
      done += n;
      seg.wrotePosition = pos - seg.fileFromOffset;
    }
    this.pendingLen = 0;
    this.pendingFrom = this.pendingNext = -1;
  }

  /** Reads up to maxCount units from queue offset `from` (stops at the end of its segment). */
  readUnits(from: number, maxCount: number): CqUnit[] {
    this.commit(); // units queued by the last append round become readable from the file
    const out: CqUnit[] = [];
    const pos = from * CQ_UNIT_SIZE;
    const seg = this.q.findByOffset(pos);
    if (!seg) return out;
    const inSeg = pos - seg.fileFromOffset;
    const avail = Math.min(seg.wrotePosition - inSeg, maxCount * CQ_UNIT_SIZE);
    if (avail <= 0) return out;
    const buf = seg.read(inSeg, avail);
    for (let i = 0; i + CQ_UNIT_SIZE <= buf.length; i += CQ_UNIT_SIZE) {
      out.push({ queueOffset: from + i / CQ_UNIT_SIZE, phyOffset: readLong(buf, i), size: buf.readInt32BE(i + 8), tagsCode: readLong(buf, i + 12) });
    }
    return out;
  }

  readUnit(queueOffset: number): CqUnit | null {
    return this.readUnits(queueOffset, 1)[0] ?? null;
  }

  /** Queue offset where the segment holding `queueOffset` ends (Apache's rollNextFile). */
  rollNextFile(queueOffset: number): number {
    const perFile = this.segmentSize / CQ_UNIT_SIZE;
    return queueOffset + perFile - (queueOffset % perFile);
  }

  /** Recovery: from the third-last segment, keep units while offset >= 0 && size > 0. */
  recover(): void {
    const segs = this.q.segments;
    if (segs.length === 0) return;
    let idx = Math.max(0, segs.length - 3);
    let end = segs[idx].fileFromOffset;
    let maxPhy = -1;
    for (; idx < segs.length; idx++) {
      const s = segs[idx];
      const buf = s.read(0, s.fileSize);
      let p = 0;
      for (; p + CQ_UNIT_SIZE <= buf.length; p += CQ_UNIT_SIZE) {
        const off = readLong(buf, p);
        const size = buf.readInt32BE(p + 8);
        if (off < 0 || size <= 0) break;
        if (size !== 0x7fffffff) maxPhy = off + size;
      }
      end = s.fileFromOffset + p;
      if (p < s.fileSize) break;
    }
    this.q.truncateTo(end);
    for (const s of this.q.segments) if (s.fileFromOffset + s.fileSize <= end) s.wrotePosition = s.flushedPosition = s.fileSize;
    this.maxPhysicOffset = maxPhy;
  }

  /** Removes units whose record starts at or beyond phyOffset. */
  truncateDirty(phyOffset: number): void {
    const segs = this.q.segments;
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = segs[i];
      const buf = s.read(0, s.wrotePosition);
      let cut = -1;
      let lastEnd = -1;
      for (let p = 0; p + CQ_UNIT_SIZE <= buf.length; p += CQ_UNIT_SIZE) {
        const off = readLong(buf, p);
        const size = buf.readInt32BE(p + 8);
        if (size === 0x7fffffff) continue;
        if (off >= phyOffset) { cut = p; break; }
        lastEnd = off + size;
      }
      if (cut < 0) {
        this.maxPhysicOffset = lastEnd >= 0 ? lastEnd : this.maxPhysicOffset;
        break;
      }
      if (cut === 0 && i > 0) {
        s.destroy();
        segs.splice(i, 1);
        continue;
      }
      s.truncateAt(cut);
      this.maxPhysicOffset = lastEnd;
      break;
    }
    if (this.q.maxWrotePosition() < this.minLogicOffset) this.minLogicOffset = this.q.maxWrotePosition();
  }

  /** Sets minLogicOffset to the first unit whose record is still in the commitlog. */
  correctMinOffset(phyMinOffset: number): void {
    const segs = this.q.segments;
    this.minLogicOffset = segs.length ? segs[0].fileFromOffset : this.minLogicOffset;
    // Read a chunk at a time and stop at the first live unit: it runs on the event loop every cleanup
    // round for every queue, and is nearly always the very first unit (reading whole 6 MB segments
    // stalled every send for ~20 ms every 10 s).
    const CHUNK = 4096 * CQ_UNIT_SIZE;
    for (const s of segs) {
      for (let at = 0; at < s.wrotePosition; at += CHUNK) {
        const buf = s.read(at, Math.min(CHUNK, s.wrotePosition - at));
        for (let p = 0; p + CQ_UNIT_SIZE <= buf.length; p += CQ_UNIT_SIZE) {
          const off = readLong(buf, p);
          const size = buf.readInt32BE(p + 8);
          if (size !== 0x7fffffff && off >= phyMinOffset) {
            this.minLogicOffset = s.fileFromOffset + at + p;
            return;
          }
        }
        if (buf.length < Math.min(CHUNK, s.wrotePosition - at)) break;
      }
      this.minLogicOffset = s.fileFromOffset + s.wrotePosition;
    }
  }

  /** Deletes leading segments whose last unit points below phyMinOffset (the last segment stays). */
  deleteExpired(phyMinOffset: number): number {
    this.commit();
    let n = 0;
    const segs = this.q.segments;
    while (segs.length - n > 1) {
      const s = segs[n];
      const last = s.read(s.fileSize - CQ_UNIT_SIZE, CQ_UNIT_SIZE);
      const off = readLong(last, 0);
      const size = last.readInt32BE(8);
      if (size > 0 && off + size <= phyMinOffset) n++;
      else break;
    }
    if (n) this.q.removeFirst(n);
    this.correctMinOffset(phyMinOffset);
    return n;
  }

  flush(): Promise<void[]> {
    this.commit();
    return Promise.all(this.q.segments.filter((s) => s.flushedPosition < s.wrotePosition).map((s) => s.flush()));
  }

  flushSync(): void {
    this.commit();
    for (const s of this.q.segments) if (s.flushedPosition < s.wrotePosition) s.flushSync();
  }

  close(): void {
    this.q.close();
  }

  /** Set once its files are deleted (lookups that cached this queue must look again). */
  destroyed = false;

  destroy(): void {
    this.destroyed = true;
    // Units still waiting for the batched commit die with the queue.
    this.pendingLen = 0;
    this.pendingFrom = this.pendingNext = -1;
    this.q.destroyAll();
  }
}
