import fs from 'node:fs';
import path from 'node:path';
import type { MessageExt } from '../common/message.js';
import { decodeRecord, readLong } from '../common/record-codec.js';
import { Segment } from './commitlog/segment.js';
import { scanSegment } from './commitlog/scanner.js';
import { CQ_UNIT_SIZE } from './consumequeue/consume-queue.js';
import { listSegmentFiles } from './file-util.js';
import { StoreUnreadableError } from './verify.js';

export interface DumpOptions {
  topic?: string;
  queueId?: number;
  /** Queue offset to start from (needs topic and queueId). */
  offset?: number;
  /** Commitlog offset of the first record to print. */
  phyOffset?: number;
  count?: number;
}

export interface DumpedRecord {
  phyOffset: number;
  size: number;
  msgId: string;
  uniqKey: string | null;
  keys: string | null;
  tags: string | null;
  topic: string;
  queueId: number;
  queueOffset: number;
  sysFlag: number;
  flag: number;
  bornHost: string;
  bornTimestamp: number;
  storeHost: string;
  storeTimestamp: number;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  properties: Record<string, string>;
  bodySize: number;
  bodyPreview: string;
}

/** Printable preview of a body: UTF-8 text with control characters escaped, cut at `max` characters. */
export function bodyPreview(body: Buffer, max = 64): string {
  const text = body.subarray(0, max * 4).toString('utf8');
  let out = '';
  for (const ch of text) {
    if (out.length >= max) { out += '…'; break; }
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f || c === 0xfffd ? `\\x${(c & 0xff).toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

function toDumped(m: MessageExt): DumpedRecord {
  return {
    phyOffset: m.commitLogOffset, size: m.storeSize, msgId: m.msgId, uniqKey: m.properties.UNIQ_KEY ?? null,
    keys: m.properties.KEYS ?? null, tags: m.properties.TAGS ?? null, topic: m.topic, queueId: m.queueId,
    queueOffset: m.queueOffset, sysFlag: m.sysFlag, flag: m.flag, bornHost: m.bornHost, bornTimestamp: m.bornTimestamp,
    storeHost: m.storeHost, storeTimestamp: m.storeTimestamp, reconsumeTimes: m.reconsumeTimes,
    preparedTransactionOffset: m.preparedTransactionOffset, properties: m.properties, bodySize: m.body.length,
    bodyPreview: bodyPreview(m.body),
  };
}

/** Offline listing of records of a store directory (`mqctl store dump`). */
export function* dumpStore(storeDir: string, opts: DumpOptions = {}): Generator<DumpedRecord> {
  const clDir = path.join(storeDir, 'commitlog');
  if (!fs.existsSync(clDir)) throw new StoreUnreadableError(`no commitlog directory in ${storeDir}`);
  const files = listSegmentFiles(clDir);
  const segs = files.map((f) => Segment.openReadOnly(f.file, f.offset, f.size));
  let left = opts.count ?? 20;
  const matches = (m: { topic: string; queueId: number }) =>
    (opts.topic === undefined || m.topic === opts.topic) && (opts.queueId === undefined || m.queueId === opts.queueId);
  try {
    const readAtPhy = (phy: number, size: number): MessageExt | null => {
      const seg = segs.find((s) => phy >= s.fileFromOffset && phy < s.fileFromOffset + s.fileSize);
      if (!seg) return null;
      const buf = seg.read(phy - seg.fileFromOffset, size);
      return decodeRecord(buf, 0, { strict: true });
    };
    if (opts.offset !== undefined && opts.phyOffset === undefined) {
      if (opts.topic === undefined || opts.queueId === undefined) throw new Error('--offset needs --topic and --queue');
      const cqDir = path.join(storeDir, 'consumequeue', opts.topic, String(opts.queueId));
      let qo = opts.offset;
      for (const cf of listSegmentFiles(cqDir)) {
        const buf = fs.readFileSync(cf.file);
        const firstQo = cf.offset / CQ_UNIT_SIZE;
        if (qo >= firstQo + buf.length / CQ_UNIT_SIZE) continue;
        for (let p = Math.max(0, (qo - firstQo) * CQ_UNIT_SIZE); p + CQ_UNIT_SIZE <= buf.length && left > 0; p += CQ_UNIT_SIZE) {
          const phy = readLong(buf, p);
          const size = buf.readInt32BE(p + 8);
          if (size <= 0) return;
          if (size === 0x7fffffff) continue;
          const m = readAtPhy(phy, size);
          if (m) { left--; yield toDumped(m); }
          qo++;
        }
        if (left <= 0) return;
      }
      return;
    }
    const from = opts.phyOffset ?? (segs[0]?.fileFromOffset ?? 0);
    for (const seg of segs) {
      if (seg.fileFromOffset + seg.fileSize <= from) continue;
      const start = from > seg.fileFromOffset ? from - seg.fileFromOffset : 0;
      for (const it of scanSegment(seg, false, start)) {
        if (it.kind !== 'record') break;
        if (!matches(it.meta)) continue;
        const m = decodeRecord(it.buf, it.at, { strict: true });
        if (!m) continue;
        yield toDumped(m);
        if (--left <= 0) return;
      }
    }
  } finally {
    for (const s of segs) s.close();
  }
}
