import { checkRecord } from '../common/record-codec.js';
import { string2messageProperties } from '../common/properties.js';
import { SysFlag, transactionType } from '../common/sysflag.js';
import type { Checkpoint } from './checkpoint.js';
import type { CommitLog } from './commitlog/commitlog.js';
import { scanSegment } from './commitlog/scanner.js';
import type { Dispatcher } from './dispatcher.js';

export interface RecoveryReport {
  abnormal: boolean;
  startOffset: number;
  endOffset: number;
  recordsScanned: number;
  recordsDispatched: number;
  /** Why the scan stopped (invalid record), if it did before a clean end. */
  cutReason?: string;
}

/**
 * Recovery on open (storage.md §10): recover consume queues, scan the commitlog from the right segment
 * (normal: third-last; abnormal: last segment whose first record is older than the checkpoint), stop at the
 * first invalid record, re-dispatch what the consume queues / index miss, cut everything beyond.
 */
export function recover(cl: CommitLog, disp: Dispatcher, cp: Checkpoint, abnormal: boolean, checkCRC: boolean,
  indexEnabled: boolean): RecoveryReport {
  for (const cq of disp.cqs.values()) cq.recover();
  const segs = cl.q.segments;
  const report: RecoveryReport = { abnormal, startOffset: 0, endOffset: 0, recordsScanned: 0, recordsDispatched: 0 };
  if (segs.length === 0) {
    for (const cq of disp.cqs.values()) cq.destroy();
    disp.cqs.clear();
    cl.writeOffset = cl.flushedOffset = 0;
    return report;
  }
  let start = Math.max(0, segs.length - 3);
  if (abnormal) {
    const minTs = indexEnabled ? cp.minTimestampIndex() : cp.minTimestamp();
    start = 0;
    for (let i = segs.length - 1; i >= 0; i--) {
      const head = segs[i].read(0, Math.min(segs[i].fileSize, 4096));
      const c = checkRecord(head, 0, head.length, false);
      let ok = c.kind === 'record';
      if (!ok && c.kind === 'invalid' && c.reason === 'truncated') {
        const size = head.readInt32BE(0);
        const full = size > 0 && size <= segs[i].fileSize ? segs[i].read(0, size) : head;
        const c2 = checkRecord(full, 0, full.length, false);
        ok = c2.kind === 'record' && c2.meta.storeTimestamp !== 0 && c2.meta.storeTimestamp <= minTs;
      } else if (c.kind === 'record') {
        ok = c.meta.storeTimestamp !== 0 && c.meta.storeTimestamp <= minTs;
      }
      if (ok) { start = i; break; }
    }
  }
  report.startOffset = segs[start].fileFromOffset;
  // What to re-dispatch (storage.md §10): after a crash, every scanned record (units already present are skipped);
  // after a clean shutdown, only records beyond the newest one a consume queue holds. Re-dispatching more would
  // bring back the queues of a topic deleted before the shutdown.
  const dispatchFrom = abnormal ? report.startOffset : Math.max(report.startOffset, maxPhyOffsetInCQ(disp));
  let end = segs[start].fileFromOffset;
  let sinceCommit = 0;
  const dispatchOne = (phy: number, m: { topic: string; queueId: number; queueOffset: number; size: number; sysFlag: number;
    storeTimestamp: number; propertiesString: string }) => {
    disp.dispatch({ topic: m.topic, queueId: m.queueId, queueOffset: m.queueOffset, phyOffset: phy, size: m.size,
      sysFlag: m.sysFlag, storeTimestamp: m.storeTimestamp, tagsCode: undefined, properties: null, propertiesString: m.propertiesString });
    report.recordsDispatched++;
    if (++sinceCommit >= 4096) { disp.commit(); sinceCommit = 0; }
  };
  outer: for (let i = start; i < segs.length; i++) {
    const seg = segs[i];
    for (const it of scanSegment(seg, checkCRC)) {
      if (it.kind === 'record') {
        report.recordsScanned++;
        if (it.phy >= dispatchFrom) dispatchOne(it.phy, it.meta);
        end = it.phy + it.meta.size;
        cl.lastStoreTimestamp = it.meta.storeTimestamp;
      } else if (it.kind === 'blank' || it.kind === 'end') {
        end = seg.endOffset;
        seg.wrotePosition = seg.flushedPosition = seg.fileSize;
        continue outer;
      } else {
        end = it.phy;
        if (!it.zero) report.cutReason = `${it.reason} at ${it.phy}: ${it.detail}`;
        break outer;
      }
    }
  }
  disp.commit();
  // Cut the commitlog, the consume queues and the index at the last valid record.
  cl.q.truncateTo(end);
  cl.writeOffset = cl.flushedOffset = end;
  report.endOffset = end;
  // Nothing after the cut may be claimed as flushed.
  if (cp.physicMsgTimestamp > cl.lastStoreTimestamp) cp.physicMsgTimestamp = cl.lastStoreTimestamp;
  if (cp.logicsMsgTimestamp > cl.lastStoreTimestamp) cp.logicsMsgTimestamp = cl.lastStoreTimestamp;
  for (const cq of disp.cqs.values()) cq.truncateDirty(end);
  const idx = disp.index;
  if (idx) {
    idx.truncateBeyond(end);
    const from = Math.max(idx.endPhyOffset(), cl.minOffset());
    const indexedFrom = Math.min(dispatchFrom, end);
    if (from < indexedFrom) reindex(cl, disp, from, indexedFrom);
  }
  // Queue offset table and min offsets from the consume queues.
  cl.topicQueueTable.clear();
  const minPhy = cl.minOffset();
  for (const [key, cq] of disp.cqs) {
    cl.topicQueueTable.set(key, cq.maxOffsetInQueue());
    cq.correctMinOffset(minPhy);
  }
  return report;
}

/** End (offset + size) of the newest record any consume queue holds; -1 when they are all empty. */
function maxPhyOffsetInCQ(disp: Dispatcher): number {
  let max = -1;
  for (const cq of disp.cqs.values()) if (cq.maxPhysicOffset > max) max = cq.maxPhysicOffset;
  return max;
}

/** Index-only pass over [from, to): records the index lost when its newest file was dropped. */
function reindex(cl: CommitLog, disp: Dispatcher, from: number, to: number): void {
  const seg0 = cl.q.findByOffset(from);
  if (!seg0) return;
  let n = 0;
  for (const seg of cl.q.segments) {
    if (seg.endOffset <= from || seg.fileFromOffset >= to) continue;
    for (const it of scanSegment(seg, false, seg === seg0 ? from - seg.fileFromOffset : 0)) {
      if (it.kind !== 'record' || it.phy >= to) break;
      const m = it.meta;
      if (transactionType(m.sysFlag) === SysFlag.TRANSACTION_ROLLBACK_TYPE) continue;
      disp.index!.buildIndex(m.topic, string2messageProperties(m.propertiesString), it.phy, m.storeTimestamp);
      if (++n % 4096 === 0) disp.index!.commit();
    }
  }
  disp.index!.commit();
}

