import { checkRecord, type RecordMeta } from '../../common/record-codec.js';
import type { Segment } from './segment.js';

export type ScanItem =
  | { kind: 'record'; phy: number; meta: RecordMeta; buf: Buffer; at: number }
  | { kind: 'blank'; phy: number; size: number }
  | { kind: 'invalid'; phy: number; reason: 'magic' | 'size' | 'crc' | 'truncated'; detail: string; zero: boolean }
  | { kind: 'end'; phy: number };

const WINDOW = 4 * 1024 * 1024;

/**
 * Walks the records of one segment from `fromPos` with windowed reads. Stops after a blank record, an invalid
 * record (`zero` = the bytes there are all zero, i.e. the end of written data) or the segment end.
 * `meta.bodyStart` and `at` are positions in `buf`.
 */
export function* scanSegment(seg: Segment, checkCRC: boolean, fromPos = 0): Generator<ScanItem> {
  let pos = fromPos;
  let buf: Buffer = Buffer.alloc(0);
  let bufStart = 0;
  const size = seg.fileSize;
  while (pos < size) {
    if (pos < bufStart || pos + 8 > bufStart + buf.length) {
      bufStart = pos;
      buf = seg.read(pos, Math.min(WINDOW, size - pos));
      if (buf.length === 0) break;
    }
    let r = checkRecord(buf, pos - bufStart, buf.length, checkCRC);
    if (r.kind === 'invalid' && r.reason === 'truncated' && bufStart + buf.length < size) {
      const want = buf.readInt32BE(pos - bufStart);
      bufStart = pos;
      buf = seg.read(pos, Math.min(Math.max(WINDOW, want > 0 ? want : 0), size - pos));
      r = checkRecord(buf, 0, buf.length, checkCRC);
    }
    const phy = seg.fileFromOffset + pos;
    if (r.kind === 'record') {
      yield { kind: 'record', phy, meta: r.meta, buf, at: pos - bufStart };
      pos += r.meta.size;
      continue;
    }
    if (r.kind === 'blank') {
      yield { kind: 'blank', phy, size: r.size };
      return;
    }
    const at = pos - bufStart;
    const head = buf.subarray(at, Math.min(buf.length, at + 64));
    yield { kind: 'invalid', phy, reason: r.reason, detail: r.detail, zero: head.every((b) => b === 0) };
    return;
  }
  yield { kind: 'end', phy: seg.fileFromOffset + pos };
}
