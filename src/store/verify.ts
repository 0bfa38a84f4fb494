import fs from 'node:fs';
import path from 'node:path';
import { bodyCrc } from '../common/crc32.js';
import { checkRecord, readLong } from '../common/record-codec.js';
import { string2messageProperties } from '../common/properties.js';
import { isDispatchedType } from '../common/sysflag.js';
import { javaStringHashCode, tagsString2tagsCode } from '../common/tags.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../common/topics.js';
import { CHECKPOINT_SIZE, Checkpoint } from './checkpoint.js';
import { Segment } from './commitlog/segment.js';
import { scanSegment } from './commitlog/scanner.js';
import { CQ_UNIT_SIZE } from './consumequeue/consume-queue.js';
import { listSegmentFiles, readAt } from './file-util.js';
import { INDEX_ENTRY_SIZE, INDEX_HEADER_SIZE, indexKeyHash, readIndexHeader } from './index/index-file.js';

export type ProblemKind =
  | 'crc' | 'magic' | 'size' | 'torn-tail' | 'truncated-segment' | 'continuity' | 'phy-offset'
  | 'cq-past-commitlog' | 'cq-not-a-record' | 'cq-wrong-size' | 'cq-wrong-tags-hash' | 'cq-wrong-queue' | 'cq-truncated-segment'
  | 'index-header' | 'index-entry' | 'checkpoint';

export interface Problem {
  kind: ProblemKind;
  file: string;
  /** Commitlog (physical) offset concerned, when there is one. */
  phyOffset: number | null;
  detail: string;
}

export interface VerifySection {
  files: number;
  records: number;
  bytes: number;
  problems: number;
}

export interface VerifyReport {
  storeDir: string;
  ok: boolean;
  commitlog: VerifySection & { minOffset: number; maxOffset: number };
  consumequeue: VerifySection & { queues: number };
  index: VerifySection;
  checkpoint: VerifySection;
  problems: Problem[];
}

export class StoreUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnreadableError';
  }
}

export interface VerifyOptions {
  /** Called with (bytes done, bytes total) while commitlog segments are scanned. */
  onProgress?: (done: number, total: number) => void;
  /** Max problems collected (default 1000). */
  maxProblems?: number;
  /** Hash slots per index file; derived from the file size when absent. */
  maxHashSlotNum?: number;
}

interface RecInfo {
  topic: string;
  queueId: number;
  queueOffset: number;
  size: number;
  sysFlag: number;
  storeTimestamp: number;
  tagsCode: number;
  keys: string[];
}

const DELAY_MS = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200].map((s) => s * 1000);

/** Whether a segment file holds no record at all: its first record's length is zero (or the file is empty). */
function segmentIsEmpty(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false; // reported when the segment itself is opened
  }
  try {
    const head = readAt(fd, 0, 4);
    return head.length < 4 || head.readInt32BE(0) === 0;
  } finally {
    fs.closeSync(fd);
  }
}

function mostCommonSize(sizes: number[]): number {
  const count = new Map<number, number>();
  for (const s of sizes) count.set(s, (count.get(s) ?? 0) + 1);
  let best = sizes[0] ?? 0;
  for (const [s, n] of count) if (n > (count.get(best) ?? 0) || (n === count.get(best) && s > best)) best = s;
  return best;
}

/** Offline integrity check of a store directory (`mqctl store verify`). Never writes. */
export function verifyStore(storeDir: string, opts: VerifyOptions = {}): VerifyReport {
  const maxProblems = opts.maxProblems ?? 1000;
  const clDir = path.join(storeDir, 'commitlog');
  if (!fs.existsSync(storeDir) || !fs.statSync(storeDir).isDirectory()) throw new StoreUnreadableError(`not a directory: ${storeDir}`);
  if (!fs.existsSync(clDir)) throw new StoreUnreadableError(`no commitlog directory in ${storeDir}`);
  const report: VerifyReport = {
    storeDir, ok: true,
    commitlog: { files: 0, records: 0, bytes: 0, problems: 0, minOffset: 0, maxOffset: 0 },
    consumequeue: { files: 0, records: 0, bytes: 0, problems: 0, queues: 0 },
    index: { files: 0, records: 0, bytes: 0, problems: 0 },
    checkpoint: { files: 0, records: 0, bytes: 0, problems: 0 },
    problems: [],
  };
  const add = (section: VerifySection, p: Problem) => {
    section.problems++;
    if (report.problems.length < maxProblems) report.problems.push(p);
  };

  // ---- commitlog
  let files: ReturnType<typeof listSegmentFiles>;
  try {
    files = listSegmentFiles(clDir);
  } catch (err) {
    throw new StoreUnreadableError(`cannot read ${clDir}: ${(err as Error).message}`);
  }
  const segSize = mostCommonSize(files.map((f) => f.size));
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  const records = new Map<number, RecInfo>();
  let done = 0;
  let maxStoreTs = 0;
  // Segments at the end that hold nothing yet: Apache's broker creates the next one or two ahead of the writer
  // (AllocateMappedFileService), and a store copied or crashed while running has them.
  let lastWithData = files.length - 1;
  while (lastWithData > 0 && segmentIsEmpty(files[lastWithData].file)) lastWithData--;
  let expectedNext = files.length ? files[0].offset : 0;
  report.commitlog.minOffset = expectedNext;
  for (let fi = 0; fi < files.length; fi++) {
    const f = files[fi];
    report.commitlog.files++;
    report.commitlog.bytes += f.size;
    if (f.offset !== expectedNext) {
      add(report.commitlog, { kind: 'continuity', file: f.file, phyOffset: f.offset, detail: `segment starts at ${f.offset}, expected ${expectedNext}` });
    }
    expectedNext = f.offset + segSize;
    if (f.size !== segSize) {
      add(report.commitlog, { kind: 'truncated-segment', file: f.file, phyOffset: f.offset + f.size, detail: `length ${f.size}, segment size ${segSize}` });
    }
    let seg: Segment;
    try {
      seg = Segment.openReadOnly(f.file, f.offset, f.size);
    } catch (err) {
      throw new StoreUnreadableError(`cannot open ${f.file}: ${(err as Error).message}`);
    }
    try {
      let endedClean = false;
      for (const it of scanSegment(seg, false)) {
        if (it.kind === 'record') {
          const m = it.meta;
          report.commitlog.records++;
          if (bodyCrc(it.buf.subarray(m.bodyStart, m.bodyStart + m.bodyLength)) !== m.bodyCRC) {
            add(report.commitlog, { kind: 'crc', file: f.file, phyOffset: it.phy, detail: 'body CRC mismatch' });
          }
          if (m.physicalOffset !== it.phy) {
            add(report.commitlog, { kind: 'phy-offset', file: f.file, phyOffset: it.phy, detail: `PHYSICALOFFSET field ${m.physicalOffset}` });
          }
          const props = string2messageProperties(m.propertiesString);
          let tagsCode = tagsString2tagsCode(props.TAGS);
          if (m.topic === RMQ_SYS_SCHEDULE_TOPIC && Number(props.DELAY) > 0) {
            tagsCode = m.storeTimestamp + (DELAY_MS[Math.min(Number(props.DELAY), DELAY_MS.length) - 1] ?? 0);
          }
          const keys: string[] = [];
          if (props.UNIQ_KEY) keys.push(props.UNIQ_KEY);
          if (props.KEYS) keys.push(...props.KEYS.split(' ').filter((k) => k.length > 0));
          records.set(it.phy, { topic: m.topic, queueId: m.queueId, queueOffset: m.queueOffset, size: m.size, sysFlag: m.sysFlag,
            storeTimestamp: m.storeTimestamp, tagsCode, keys });
          if (m.storeTimestamp > maxStoreTs) maxStoreTs = m.storeTimestamp;
          report.commitlog.maxOffset = it.phy + m.size;
        } else if (it.kind === 'blank') {
          endedClean = true;
          if (it.phy + it.size !== f.offset + segSize) {
            add(report.commitlog, { kind: 'size', file: f.file, phyOffset: it.phy, detail: `blank record length ${it.size} does not reach the segment end` });
          }
          report.commitlog.maxOffset = Math.max(report.commitlog.maxOffset, f.offset + segSize);
        } else if (it.kind === 'end') {
          endedClean = true;
        } else if (it.zero) {
          // End of written data: only legitimate in the last segment that holds any, or in an empty one after it.
          endedClean = fi >= lastWithData;
          if (!endedClean) add(report.commitlog, { kind: 'continuity', file: f.file, phyOffset: it.phy, detail: 'segment data ends without a blank record before the next segment' });
        } else {
          endedClean = true;
          const kind: ProblemKind = it.reason === 'truncated' ? 'torn-tail' : it.reason === 'crc' ? 'crc' : it.reason;
          add(report.commitlog, { kind, file: f.file, phyOffset: it.phy, detail: it.detail });
        }
      }
      void endedClean;
    } finally {
      seg.close();
    }
    done += f.size;
    opts.onProgress?.(done, totalBytes);
  }
  const clMax = report.commitlog.maxOffset;
  const clMin = report.commitlog.minOffset;

  // ---- consume queues
  const cqRoot = path.join(storeDir, 'consumequeue');
  if (fs.existsSync(cqRoot)) {
    for (const topic of fs.readdirSync(cqRoot).sort()) {
      const tdir = path.join(cqRoot, topic);
      if (!fs.statSync(tdir).isDirectory()) continue;
      for (const q of fs.readdirSync(tdir).sort((a, b) => Number(a) - Number(b))) {
        if (!/^\d+$/.test(q)) continue;
        const queueId = Number(q);
        report.consumequeue.queues++;
        const cqFiles = listSegmentFiles(path.join(tdir, q));
        const cqSize = mostCommonSize(cqFiles.map((x) => x.size));
        for (const cf of cqFiles) {
          report.consumequeue.files++;
          report.consumequeue.bytes += cf.size;
          if (cf.size !== cqSize || cf.size % CQ_UNIT_SIZE !== 0) {
            add(report.consumequeue, { kind: 'cq-truncated-segment', file: cf.file, phyOffset: null, detail: `length ${cf.size}, segment size ${cqSize}` });
          }
          const buf = fs.readFileSync(cf.file);
          for (let p = 0; p + CQ_UNIT_SIZE <= buf.length; p += CQ_UNIT_SIZE) {
            const phy = readLong(buf, p);
            const size = buf.readInt32BE(p + 8);
            const tags = readLong(buf, p + 12);
            if (phy === 0 && size === 0 && tags === 0) break; // end of units
            if (size === 0x7fffffff && phy === 0) continue; // blank filler
            report.consumequeue.records++;
            const qo = (cf.offset + p) / CQ_UNIT_SIZE;
            if (phy < clMin) continue; // points to a deleted segment: normal after cleanup
            if (phy + size > clMax || phy >= clMax) {
              add(report.consumequeue, { kind: 'cq-past-commitlog', file: cf.file, phyOffset: phy, detail: `unit ${qo} ends at ${phy + size}, commitlog ends at ${clMax}` });
              continue;
            }
            const rec = records.get(phy);
            if (!rec) {
              add(report.consumequeue, { kind: 'cq-not-a-record', file: cf.file, phyOffset: phy, detail: `unit ${qo} does not point at a valid record` });
              continue;
            }
            if (rec.size !== size) {
              add(report.consumequeue, { kind: 'cq-wrong-size', file: cf.file, phyOffset: phy, detail: `unit ${qo} size ${size}, record size ${rec.size}` });
            }
            if (rec.topic !== topic || rec.queueId !== queueId || rec.queueOffset !== qo || !isDispatchedType(rec.sysFlag)) {
              add(report.consumequeue, { kind: 'cq-wrong-queue', file: cf.file, phyOffset: phy,
                detail: `unit ${topic}/${queueId}/${qo} points at record of ${rec.topic}/${rec.queueId}/${rec.queueOffset}` });
            }
            if (tags !== rec.tagsCode && tags > -2147483649) {
              add(report.consumequeue, { kind: 'cq-wrong-tags-hash', file: cf.file, phyOffset: phy, detail: `unit ${qo} tags code ${tags}, expected ${rec.tagsCode}` });
            }
          }
        }
      }
    }
  }

  // ---- index
  const idxDir = path.join(storeDir, 'index');
  if (fs.existsSync(idxDir)) {
    for (const name of fs.readdirSync(idxDir).filter((n) => /^\d{17}$/.test(n)).sort()) {
      const file = path.join(idxDir, name);
      report.index.files++;
      const fd = fs.openSync(file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        report.index.bytes += size;
        const hb = Buffer.alloc(INDEX_HEADER_SIZE);
        fs.readSync(fd, hb, 0, INDEX_HEADER_SIZE, 0);
        const h = readIndexHeader(hb);
        const entriesBytes = h.indexCount * INDEX_ENTRY_SIZE;
        // Slot count is not in the header: derive it from the file size and the configured proportions.
        const slotNum = opts.maxHashSlotNum ?? deriveSlotNum(size);
        if (h.indexCount < 1 || slotNum < 0 || INDEX_HEADER_SIZE + slotNum * 4 + entriesBytes > size) {
          add(report.index, { kind: 'index-header', file, phyOffset: null, detail: `indexCount ${h.indexCount} does not fit file of ${size} bytes` });
          continue;
        }
        const entriesAt = INDEX_HEADER_SIZE + slotNum * 4;
        // Entries are read in windows (a full Apache index file holds 400 MB of them).
        const WINDOW = 65536;
        const eb = Buffer.alloc(Math.min(entriesBytes, WINDOW * INDEX_ENTRY_SIZE));
        let winStart = -1;
        // Entry hashes, to check slot chains (skipped for huge files to bound memory).
        const hashes = h.indexCount <= 8_000_000 ? new Int32Array(h.indexCount) : null;
        for (let n = 1; n < h.indexCount; n++) {
          if (winStart < 0 || n >= winStart + WINDOW) {
            winStart = n;
            const len = Math.min(WINDOW, h.indexCount - n) * INDEX_ENTRY_SIZE;
            fs.readSync(fd, eb, 0, len, entriesAt + n * INDEX_ENTRY_SIZE);
          }
          const o = (n - winStart) * INDEX_ENTRY_SIZE;
          const hash = eb.readInt32BE(o);
          const phy = readLong(eb, o + 4);
          const timeDiff = eb.readInt32BE(o + 12);
          const prev = eb.readInt32BE(o + 16);
          report.index.records++;
          if (hashes) hashes[n] = hash;
          if (hashes && prev > 0 && prev < n && hashes[prev] % slotNum !== hash % slotNum) {
            add(report.index, { kind: 'index-entry', file, phyOffset: phy, detail: `entry ${n}: chained to entry ${prev} of another hash slot` });
            continue;
          }
          if (phy < clMin) continue;
          const rec = records.get(phy);
          const bad = (detail: string) => add(report.index, { kind: 'index-entry', file, phyOffset: phy, detail: `entry ${n}: ${detail}` });
          if (prev < 0 || prev >= n) { bad(`previous entry ${prev} is not older`); continue; }
          if (timeDiff < 0) { bad(`negative time diff ${timeDiff}`); continue; }
          if (!rec) { bad(phy >= clMax ? `offset ${phy} past commitlog end ${clMax}` : `offset ${phy} is not a record`); continue; }
          if (!rec.keys.some((k) => indexKeyHash(javaStringHashCode(`${rec.topic}#${k}`)) === hash)) bad('key hash matches no key of the record');
        }
        if (hashes) {
          const slots = Buffer.alloc(slotNum * 4);
          fs.readSync(fd, slots, 0, slots.length, INDEX_HEADER_SIZE);
          let used = 0;
          for (let slot = 0; slot < slotNum; slot++) {
            const v = slots.readInt32BE(slot * 4);
            if (v === 0) continue;
            used++;
            if (v < 0 || v >= h.indexCount || hashes[v] % slotNum !== slot) {
              add(report.index, { kind: 'index-entry', file, phyOffset: null, detail: `hash slot ${slot} points at entry ${v}, which is not in that slot` });
            }
          }
          if (used !== h.hashSlotCount) {
            add(report.index, { kind: 'index-header', file, phyOffset: null, detail: `hashSlotCount ${h.hashSlotCount}, ${used} slots in use` });
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  // ---- checkpoint
  const cpFile = path.join(storeDir, 'checkpoint');
  if (fs.existsSync(cpFile)) {
    report.checkpoint.files = 1;
    const cp = Checkpoint.read(cpFile);
    report.checkpoint.bytes = cp.size;
    if (cp.size !== CHECKPOINT_SIZE) add(report.checkpoint, { kind: 'checkpoint', file: cpFile, phyOffset: null, detail: `length ${cp.size}, expected ${CHECKPOINT_SIZE}` });
    for (const [k, v] of [['physicMsgTimestamp', cp.physicMsgTimestamp], ['logicsMsgTimestamp', cp.logicsMsgTimestamp]] as const) {
      if (v < 0 || (records.size > 0 && v > maxStoreTs)) {
        add(report.checkpoint, { kind: 'checkpoint', file: cpFile, phyOffset: null, detail: `${k} ${v} is after the last stored message (${maxStoreTs})` });
      }
    }
  }
  report.ok = report.problems.length === 0 && report.commitlog.problems + report.consumequeue.problems + report.index.problems + report.checkpoint.problems === 0;
  return report;
}

/** Index files are 40 + slots×4 + entries×20 with entries = 4 × slots in Apache's defaults; other ratios are tried too. */
export function deriveSlotNum(size: number): number {
  const body = size - INDEX_HEADER_SIZE;
  for (const ratio of [4, 1, 2, 8, 16, 0.5]) {
    const slots = body / (4 + ratio * INDEX_ENTRY_SIZE);
    if (Number.isInteger(slots) && Number.isInteger(slots * ratio)) return slots;
  }
  return -1;
}
