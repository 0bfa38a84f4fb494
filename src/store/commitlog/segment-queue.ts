import fs from 'node:fs';
import { ensureDir, listSegmentFiles } from '../file-util.js';
import { Segment } from './segment.js';

export class StoreLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLoadError';
  }
}

/** An ordered run of contiguous segments (Apache's MappedFileQueue). */
export class SegmentQueue {
  segments: Segment[] = [];
  /** Called with each segment this queue creates (not with loaded ones): block reservation. */
  onCreate: ((s: Segment) => void) | null = null;

  constructor(readonly dir: string, readonly segmentSize: number) {}

  /** Opens existing segments; a zero-length last file is deleted, any other size mismatch refuses the load. */
  load(): void {
    const files = listSegmentFiles(this.dir);
    files.forEach((f, i) => {
      if (f.size === this.segmentSize) return;
      if (i === files.length - 1 && f.size === 0) {
        fs.rmSync(f.file, { force: true });
        return;
      }
      throw new StoreLoadError(`${f.file} length ${f.size} does not match segment size ${this.segmentSize}`);
    });
    for (const f of files) {
      if (f.size === 0) continue;
      const s = new Segment(this.dir, f.offset, this.segmentSize, false);
      s.wrotePosition = s.flushedPosition = this.segmentSize;
      this.segments.push(s);
    }
  }

  last(): Segment | undefined {
    return this.segments[this.segments.length - 1];
  }

  first(): Segment | undefined {
    return this.segments[0];
  }

  /** The segment to write at `offset` (creating it, and the directory, when needed). */
  segmentForWrite(offset: number): Segment {
    const last = this.last();
    if (last && offset >= last.fileFromOffset && offset < last.endOffset) return last;
    // never open a segment we already have as a new one: creating truncates its file
    const known = this.findByOffset(offset);
    if (known) return known;
    ensureDir(this.dir);
    const from = offset - (offset % this.segmentSize);
    const s = new Segment(this.dir, from, this.segmentSize, true);
    this.segments.push(s);
    this.onCreate?.(s);
    return s;
  }

  findByOffset(offset: number): Segment | undefined {
    const segs = this.segments;
    if (segs.length === 0) return undefined;
    const first = segs[0];
    if (offset < first.fileFromOffset) return undefined;
    const i = Math.floor((offset - first.fileFromOffset) / this.segmentSize);
    const s = segs[i];
    if (s && offset >= s.fileFromOffset && offset < s.endOffset) return s;
    return segs.find((x) => offset >= x.fileFromOffset && offset < x.endOffset);
  }

  minOffset(): number {
    return this.segments.length ? this.segments[0].fileFromOffset : 0;
  }

  maxWrotePosition(): number {
    const l = this.last();
    return l ? l.fileFromOffset + l.wrotePosition : 0;
  }

  /** Sets the logical end: later segments deleted, the rest of the containing one zeroed. */
  truncateTo(offset: number): void {
    const keep: Segment[] = [];
    for (const s of this.segments) {
      if (s.fileFromOffset + this.segmentSize <= offset) {
        keep.push(s);
      } else if (s.fileFromOffset <= offset) {
        s.truncateAt(offset - s.fileFromOffset);
        s.wrotePosition = s.flushedPosition = offset - s.fileFromOffset;
        keep.push(s);
      } else {
        s.destroy();
      }
    }
    this.segments = keep;
  }

  /** Removes (and deletes) the last segment. */
  removeLast(): void {
    this.segments.pop()?.destroy();
  }

  /** Removes the first n segments (cleanup). */
  removeFirst(n: number): Segment[] {
    const gone = this.segments.splice(0, n);
    for (const s of gone) s.destroy();
    return gone;
  }

  destroyAll(): void {
    for (const s of this.segments) s.destroy();
    this.segments = [];
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  close(): void {
    for (const s of this.segments) s.close();
  }
}
