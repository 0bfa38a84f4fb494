import fs from 'node:fs';
import path from 'node:path';
import type { MessageExt, MessageExtBrokerInner } from '../common/message.js';
import { decodeRecord, encodeRecordInto, RecordEncodeError, readLong, POS_BORNHOST, POS_SYSFLAG } from '../common/record-codec.js';
import { SysFlag } from '../common/sysflag.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../common/topics.js';
import { Checkpoint } from './checkpoint.js';
import { CleanupService, type CleanupRound } from './cleanup.js';
import { CommitLog, PendingPut, PendingRecord } from './commitlog/commitlog.js';
import { BlockReserver } from './commitlog/block-reserver.js';
import { PageWarmer } from './commitlog/page-warmer.js';
import { Dispatcher, DEFAULT_DELAY_LEVELS } from './dispatcher.js';
import { ensureDir } from './file-util.js';
import { FlushService } from './flush.js';
import { IndexService } from './index/index-service.js';
import { recover, type RecoveryReport } from './recovery.js';
import {
  resolveConfig, type AppendMessageResult, type ArrivedListener, type GetMessageResult, type GetMessageStatus,
  type MessageStoreConfig, type PutMessageResult, type PutMessageStatus, type ResolvedConfig, type UnitFilter,
} from './types.js';

export * from './types.js';

/** Topic names become directory names under consumequeue/: nothing that could leave it. */
export function isSafeTopicDirName(topic: string): boolean {
  return topic.length > 0 && topic !== '.' && topic !== '..' && !/[\/\\\0]/.test(topic);
}

/** Why a message cannot be stored at all (the broker validates first; the store still defends its files). */
/** The last topic that passed isSafeTopicDirName: puts of one topic come in runs, skip the regex for them. */
let lastSafeTopic = '';

function illegalMessage(m: MessageExtBrokerInner): string | null {
  if (!m || typeof m.topic !== 'string') return `illegal topic name: ${String(m?.topic)}`;
  if (m.topic !== lastSafeTopic) {
    if (!isSafeTopicDirName(m.topic)) return `illegal topic name: ${m.topic}`;
    lastSafeTopic = m.topic;
  }
  if (!Number.isInteger(m.queueId) || m.queueId < 0 || m.queueId > 0x7fffffff) return `illegal queue id: ${String(m.queueId)}`;
  if (m.body !== undefined && m.body !== null && !Buffer.isBuffer(m.body)) return 'body must be a Buffer';
  if (m.properties) for (const k in m.properties) if (typeof m.properties[k] !== 'string' && m.properties[k] != null) return `property ${k} is not a string`;
  return null;
}

const SLAB_SIZE = 4 * 1024 * 1024;
/** How long consume-queue units and index entries may stay in memory before they are written. */
const COMMIT_INTERVAL_MS = 10;

export interface StoreOpenOptions {
  /** Delay levels for SCHEDULE_TOPIC_XXXX tags codes (broker's messageDelayLevel). */
  messageDelayLevel?: string;
}

/**
 * The message store: the only door the broker uses (ARCHITECTURE.md). Appends are collected per event-loop
 * turn and written as one round (one write per segment); consume queues and index are filled in the same
 * round, so a message is readable as soon as its put resolves.
 */
export class MessageStore {
  readonly cfg: ResolvedConfig;
  private readonly cl: CommitLog;
  private readonly disp: Dispatcher;
  private readonly index: IndexService | null;
  private readonly cp: Checkpoint;
  private readonly flusher: FlushService;
  private readonly cleaner: CleanupService;
  private pending: PendingPut[] = [];
  /**
   * Records of one round are encoded one after another into this slab, so a round's records are already one
   * contiguous buffer for the commitlog write (no per-record allocation, no concat). The slab is reused from
   * its start once a round is written: nothing keeps a record buffer past its append.
   */
  private slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
  private slabPos = 0;
  private drainScheduled = false;
  private readonly syncFlush: boolean;
  private shut = false;
  readonly bootTimestamp = Date.now();
  recovery!: RecoveryReport;
  private stats = { putTimes: 0, putBytes: 0, getFound: 0, getTimes: 0, putRecent: [] as number[] };

  private constructor(cfg: ResolvedConfig, opts: StoreOpenOptions) {
    this.cfg = cfg;
    ensureDir(cfg.storePathRootDir);
    this.cl = new CommitLog(cfg.storePathCommitLog, cfg.mappedFileSizeCommitLog, cfg.now);
    this.syncFlush = cfg.flushDiskType === 'SYNC_FLUSH';
    this.cl.preallocate = this.syncFlush;
    this.index = cfg.messageIndexEnable ? new IndexService(cfg.storePathRootDir, cfg.maxHashSlotNum, cfg.maxIndexNum, cfg.now) : null;
    this.disp = new Dispatcher(cfg.storePathRootDir, cfg.mappedFileSizeConsumeQueue, this.index, opts.messageDelayLevel ?? DEFAULT_DELAY_LEVELS);
    if (!this.syncFlush) {
      const reserver = new BlockReserver();
      this.cl.reserver = reserver;
      this.cl.warmer = new PageWarmer();
      this.disp.segmentCreated = (seg) => reserver.whole(seg);
      if (this.index) this.index.reserver = reserver;
    }
    this.cp = new Checkpoint(path.join(cfg.storePathRootDir, 'checkpoint'));
    this.flusher = new FlushService(cfg, this.cl, this.disp, this.index, this.cp);
    this.cleaner = new CleanupService(cfg, this.cl, this.disp, this.index);
  }

  /** Opens (creating if needed) and recovers a store. */
  static async open(config: MessageStoreConfig, opts: StoreOpenOptions = {}): Promise<MessageStore> {
    const cfg = resolveConfig(config);
    const s = new MessageStore(cfg, opts);
    const abortFile = path.join(cfg.storePathRootDir, 'abort');
    const abnormal = fs.existsSync(abortFile);
    // Mark the store as running before recovery writes anything: a crash during recovery is abnormal too.
    fs.writeFileSync(abortFile, String(process.pid));
    s.cl.load();
    s.disp.loadAll();
    s.index?.load(abnormal, s.cp.indexMsgTimestamp);
    s.recovery = recover(s.cl, s.disp, s.cp, abnormal, cfg.checkCRCOnRecover, !!s.index);
    fs.writeFileSync(path.join(cfg.storePathRootDir, 'lock'), 'lock');
    s.flusher.start();
    s.cleaner.start();
    return s;
  }

  // ---------------------------------------------------------------- put

  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    return this.putMessages([msg]);
  }

  /** Appends messages of one topic/queue as one contiguous run with consecutive queue offsets. */
  putMessages(batch: MessageExtBrokerInner[]): Promise<PutMessageResult> {
    const refused = this.checkStoreStatus();
    if (refused) return Promise.resolve({ status: refused, appendResult: null, remark: this.refuseRemark(refused) });
    if (batch.length === 0) return Promise.resolve({ status: 'MESSAGE_ILLEGAL', appendResult: null, remark: 'empty batch' });
    const records: PendingRecord[] = [];
    let total = 0;
    let waitFlush = false;
    for (let i = 0; i < batch.length; i++) {
      const msg = batch[i]!;
      const bad = illegalMessage(msg);
      if (bad) return Promise.resolve({ status: 'MESSAGE_ILLEGAL', appendResult: null, remark: bad });
      if (msg.body && msg.body.length > this.cfg.maxMessageSize) {
        return Promise.resolve({ status: 'MESSAGE_ILLEGAL', appendResult: null, remark: `message body size ${msg.body.length} exceeds ${this.cfg.maxMessageSize}` });
      }
      let size: number;
      try {
        size = encodeRecordInto(msg, this.slab, this.slabPos);
        if (size < 0) {
          // The slab is full: records already in it stay valid (they keep referencing it); a new one starts.
          this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, -size));
          this.slabPos = 0;
          size = encodeRecordInto(msg, this.slab, 0);
        }
      } catch (err) {
        const status: PutMessageStatus = err instanceof RecordEncodeError ? err.status : 'MESSAGE_ILLEGAL';
        return Promise.resolve({ status, appendResult: null, remark: (err as Error).message });
      }
      records.push(new PendingRecord(this.slab, this.slabPos, size, msg.topic, msg.queueId, msg.sysFlag, msg.tagsCode, msg.properties ?? {}));
      this.slabPos += size;
      total += size;
      if (this.syncFlush && msg.properties?.WAIT !== 'false') waitFlush = true;
    }
    return new Promise<PutMessageResult>((resolve) => {
      this.pending.push(new PendingPut(records, total, waitFlush, resolve));
      if (!this.drainScheduled) {
        // setImmediate (not a microtask): every put arriving in this I/O phase joins the round, and timers
        // (flush, cleanup) still run under a producer that never yields.
        this.drainScheduled = true;
        setImmediate(this.drain);
      }
    });
  }

  private checkStoreStatus(): PutMessageStatus | null {
    if (this.shut) return 'SERVICE_NOT_AVAILABLE';
    if (this.cfg.brokerRole === 'SLAVE') return 'SERVICE_NOT_AVAILABLE';
    if (this.cleaner.diskFull) return 'SERVICE_NOT_AVAILABLE';
    return null;
  }

  private refuseRemark(s: PutMessageStatus): string {
    if (this.shut) return 'message store has shut down';
    if (this.cfg.brokerRole === 'SLAVE') return 'message store is a slave';
    if (this.cleaner.diskFull) return `disk full: usage ${this.cleaner.lastUsage.toFixed(1)}% above ${this.cfg.diskSpaceWarningLevelRatio}%`;
    return s;
  }

  private readonly drain = (): void => {
    this.drainScheduled = false;
    const puts = this.pending;
    this.pending = [];
    if (puts.length === 0) return;
    // Every record encoded so far belongs to `puts`; once they are written the slab can be refilled.
    this.slabPos = 0;
    let round: ReturnType<CommitLog['appendRound']>;
    try {
      round = this.cl.appendRound(puts);
    } catch (err) {
      // E.g. a new segment file cannot be created (disk full, too many open files): nothing was acknowledged.
      for (const p of puts) p.settle('CREATE_MAPPED_FILE_FAILED', null, `commitlog append failed: ${(err as Error).message}`);
      return;
    }
    for (const f of round.failed) f.settle(f.failStatus ?? 'UNKNOWN_ERROR', null, f.failRemark);
    try {
      for (const d of round.dispatch) this.disp.dispatch(d);
      // Consume-queue and index writes are batched across rounds: readers commit them on demand
      // (ConsumeQueue.readUnits, IndexService.query), flushes commit first, a crash re-dispatches them.
      this.scheduleCommit();
    } catch (err) {
      // Records are in the commitlog; recovery rebuilds consume queues from it.
      this.dispatchError = (err as Error).message;
    }
    let waits: PendingPut[] | null = null;
    for (const put of round.done) {
      const r = put.result!;
      this.stats.putTimes += r.msgNum;
      this.stats.putBytes += r.wroteBytes;
      if (!put.waitFlush) put.settle('PUT_OK', r);
      else (waits ??= []).push(put);
    }
    if (waits) this.flusher.waitFlushed(waits);
    this.disp.notify(round.dispatch);
  };

  private dispatchError: string | null = null;
  private commitScheduled = false;

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    // A short timer, not every round: one write per touched queue every few milliseconds instead of one per
    // queue per round (readers commit on demand, so nothing waits for it).
    setTimeout(() => {
      this.commitScheduled = false;
      try {
        this.disp.commit();
      } catch (err) {
        this.dispatchError = (err as Error).message;
      }
    }, COMMIT_INTERVAL_MS).unref();
  }

  // ---------------------------------------------------------------- get

  async getMessage(group: string, topic: string, queueId: number, offset: number, maxMsgNums: number,
    filter?: UnitFilter): Promise<GetMessageResult> {
    void group;
    this.stats.getTimes++;
    const res: GetMessageResult = {
      status: 'NO_MESSAGE_IN_QUEUE', nextBeginOffset: offset, minOffset: 0, maxOffset: 0, messages: [], queueOffsets: [],
      bufferTotalSize: 0, messageCount: 0, suggestPullingFromSlave: false,
    };
    const cq = this.disp.find(topic, queueId);
    if (!Number.isSafeInteger(offset) || offset < 0) {
      res.status = 'OFFSET_TOO_SMALL';
      res.nextBeginOffset = cq ? cq.minOffsetInQueue() : 0;
      return res;
    }
    if (!cq) {
      res.status = 'NO_MATCHED_LOGIC_QUEUE';
      res.nextBeginOffset = 0;
      return res;
    }
    const minOffset = cq.minOffsetInQueue();
    const maxOffset = cq.maxOffsetInQueue();
    res.minOffset = minOffset;
    res.maxOffset = maxOffset;
    if (maxOffset === 0) { res.status = 'NO_MESSAGE_IN_QUEUE'; res.nextBeginOffset = 0; return res; }
    if (offset < minOffset) { res.status = 'OFFSET_TOO_SMALL'; res.nextBeginOffset = minOffset; return res; }
    if (offset === maxOffset) { res.status = 'OFFSET_OVERFLOW_ONE'; res.nextBeginOffset = offset; return res; }
    if (offset > maxOffset) {
      res.status = 'OFFSET_OVERFLOW_BADLY';
      res.nextBeginOffset = maxOffset;
      return res;
    }
    const maxUnits = Math.max(16000 / 20, maxMsgNums);
    const units = cq.readUnits(offset, Math.min(maxUnits, maxOffset - offset));
    if (units.length === 0) {
      res.status = 'OFFSET_FOUND_NULL';
      res.nextBeginOffset = cq.rollNextFile(offset);
      return res;
    }
    const minPhy = this.cl.minOffset();
    const maxBytes = this.cfg.maxTransferBytesOnMessageInMemory;
    const maxCount = Math.min(maxMsgNums, this.cfg.maxTransferCountOnMessageInMemory);
    let status: GetMessageStatus = 'NO_MATCHED_MESSAGE';
    let next = offset;
    // Select units first, then read their records with as few reads as possible (contiguous runs).
    const chosen: { phy: number; size: number; qo: number }[] = [];
    let bytes = 0;
    for (const u of units) {
      if (chosen.length > 0 && (chosen.length >= maxCount || bytes + u.size > maxBytes)) break;
      next = u.queueOffset + 1;
      if (u.size === 0x7fffffff && u.phyOffset === 0) continue; // blank filler unit
      if (u.phyOffset < minPhy) { status = 'MESSAGE_WAS_REMOVING'; continue; }
      if (filter && !filter(u.tagsCode, { phyOffset: u.phyOffset, size: u.size })) {
        if (status !== 'MESSAGE_WAS_REMOVING') status = 'NO_MATCHED_MESSAGE';
        continue;
      }
      chosen.push({ phy: u.phyOffset, size: u.size, qo: u.queueOffset });
      bytes += u.size;
    }
    let i = 0;
    while (i < chosen.length) {
      let j = i;
      while (j + 1 < chosen.length && chosen[j + 1].phy === chosen[j].phy + chosen[j].size && chosen[j + 1].phy + chosen[j + 1].size - chosen[i].phy <= 4 * 1024 * 1024) j++;
      const from = chosen[i].phy;
      const len = chosen[j].phy + chosen[j].size - from;
      const data = this.cl.read(from, len);
      if (data) {
        for (let k = i; k <= j; k++) {
          const at = chosen[k].phy - from;
          res.messages.push(data.subarray(at, at + chosen[k].size));
          res.queueOffsets.push(chosen[k].qo);
          res.bufferTotalSize += chosen[k].size;
        }
      } else if (res.messages.length === 0) {
        status = 'MESSAGE_WAS_REMOVING';
      }
      i = j + 1;
    }
    res.messageCount = res.messages.length;
    if (res.messageCount > 0) { status = 'FOUND'; this.stats.getFound++; }
    res.status = status;
    res.nextBeginOffset = next;
    return res;
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.disp.find(topic, queueId)?.maxOffsetInQueue() ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.disp.find(topic, queueId)?.minOffsetInQueue() ?? 0;
  }

  private storeTimeAt(phy: number): number {
    const head = this.cl.read(phy, POS_BORNHOST + 20 + 8);
    if (!head) {
      const small = this.cl.read(phy, POS_BORNHOST + 16);
      if (!small) return -1;
      return readLong(small, POS_BORNHOST + 8);
    }
    const bornLen = head.readInt32BE(POS_SYSFLAG) & SysFlag.BORNHOST_V6 ? 20 : 8;
    return readLong(head, POS_BORNHOST + bornLen);
  }

  /**
   * SEARCH_OFFSET_BY_TIMESTAMP (requests.md): LOWER = first offset stored at or after `timestamp` (max when
   * all are older); UPPER = last offset stored at or before it (max−1 when all are older, 0 when all are newer).
   */
  async getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number, boundary: 'LOWER' | 'UPPER' = 'LOWER'): Promise<number> {
    const cq = this.disp.find(topic, queueId);
    if (!cq) return 0;
    let lo = cq.minOffsetInQueue();
    let hi = cq.maxOffsetInQueue() - 1;
    if (hi < lo) return cq.maxOffsetInQueue();
    const timeOf = (qo: number): number => {
      const u = cq.readUnit(qo);
      if (!u || u.size === 0x7fffffff) return -1;
      return this.storeTimeAt(u.phyOffset);
    };
    if (boundary === 'LOWER') {
      if (timeOf(hi) < timestamp) return hi + 1;
      let ans = hi;
      while (lo <= hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (timeOf(mid) >= timestamp) { ans = mid; hi = mid - 1; } else lo = mid + 1;
      }
      return ans;
    }
    if (timeOf(lo) > timestamp) return 0; // 5.x: UPPER before every message answers 0
    let ans = lo;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (timeOf(mid) <= timestamp) { ans = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return ans;
  }

  async getEarliestMessageTime(topic: string, queueId: number): Promise<number> {
    const cq = this.disp.find(topic, queueId);
    if (!cq) return -1;
    const u = cq.readUnit(cq.minOffsetInQueue());
    return u ? this.storeTimeAt(u.phyOffset) : -1;
  }

  async getMessageStoreTimeStamp(topic: string, queueId: number, offset: number): Promise<number> {
    const u = this.disp.find(topic, queueId)?.readUnit(offset);
    return u ? this.storeTimeAt(u.phyOffset) : -1;
  }

  /** Units [from, from + count) of one consume queue (QUERY_CONSUME_QUEUE); null when the queue does not exist. */
  getConsumeQueueUnits(topic: string, queueId: number, from: number, count: number):
    { minOffset: number; maxOffset: number; units: Array<{ queueOffset: number; phyOffset: number; size: number; tagsCode: number }> } | null {
    const cq = this.disp.find(topic, queueId);
    if (!cq) return null;
    const minOffset = cq.minOffsetInQueue();
    const maxOffset = cq.maxOffsetInQueue();
    const units: Array<{ queueOffset: number; phyOffset: number; size: number; tagsCode: number }> = [];
    let at = Math.max(from, minOffset);
    const end = Math.min(from + count, maxOffset);
    while (at < end) {
      // readUnits stops at a segment end: continue from where it stopped
      const got = cq.readUnits(at, end - at);
      if (got.length === 0) break;
      units.push(...got);
      at += got.length;
    }
    return { minOffset, maxOffset, units };
  }

  async getCommitLogOffsetInQueue(topic: string, queueId: number, offset: number): Promise<number> {
    return this.disp.find(topic, queueId)?.readUnit(offset)?.phyOffset ?? 0;
  }

  async lookMessageByOffset(phyOffset: number): Promise<MessageExt | null> {
    const buf = this.cl.readRecord(phyOffset);
    return buf ? decodeRecord(buf, 0, { strict: true }) : null;
  }

  async selectOneMessageByOffset(phyOffset: number, size?: number): Promise<Buffer | null> {
    return size ? this.cl.read(phyOffset, size) : this.cl.readRecord(phyOffset);
  }

  /** Index lookup by key (KEYS token or UNIQ_KEY) within [begin, end] store time, at most maxNum (≤ 64). */
  async queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): Promise<{ phyOffsets: number[]; messages: Buffer[] }> {
    const out = { phyOffsets: [] as number[], messages: [] as Buffer[] };
    if (!this.index) return out;
    const offsets = this.index.query(topic, key, Math.min(Math.max(maxNum, 0), 64), begin, end);
    for (const phy of offsets) {
      const buf = this.cl.readRecord(phy);
      if (!buf) continue;
      const m = decodeRecord(buf, 0, { strict: true, decompress: false });
      if (!m || m.topic !== topic) continue;
      const keys = (m.properties.KEYS ?? '').split(' ');
      if (m.properties.UNIQ_KEY !== key && !keys.includes(key)) continue; // hash collision
      out.phyOffsets.push(phy);
      out.messages.push(buf);
    }
    return out;
  }

  getMinPhyOffset(): number {
    return this.cl.minOffset();
  }

  getMaxPhyOffset(): number {
    return this.cl.writeOffset;
  }

  /** Store time of the first message in the commitlog (-1 when empty). */
  getEarliestMessageTimeStamp(): number {
    const min = this.cl.minOffset();
    return min < this.cl.writeOffset ? this.storeTimeAt(min) : -1;
  }

  onMessageArrived(cb: ArrivedListener): void {
    this.disp.onArrived(cb);
  }

  /** Topic/queue → next queue offset (Apache's topicQueueTable). */
  getTopicQueueTable(): Map<string, number> {
    return new Map(this.cl.topicQueueTable);
  }

  /** Topics that have consume queues. */
  getTopics(): Set<string> {
    return new Set([...this.disp.cqs.values()].map((c) => c.topic));
  }

  getQueueIds(topic: string): number[] {
    return [...this.disp.cqs.values()].filter((c) => c.topic === topic).map((c) => c.queueId).sort((a, b) => a - b);
  }

  async deleteTopics(topics: Set<string>): Promise<void> {
    for (const [key, cq] of [...this.disp.cqs]) {
      if (!topics.has(cq.topic)) continue;
      cq.destroy();
      this.disp.cqs.delete(key);
      this.cl.topicQueueTable.delete(key);
    }
    for (const t of topics) if (isSafeTopicDirName(t)) fs.rmSync(path.join(this.disp.cqRoot, t), { recursive: true, force: true });
  }

  /** Deletes consume queues of topics not in `retain` (the schedule topic and retry/DLQ of kept groups stay). */
  async cleanUnusedTopic(retain: Set<string>): Promise<void> {
    const gone = new Set<string>();
    for (const cq of this.disp.cqs.values()) {
      if (!retain.has(cq.topic) && cq.topic !== RMQ_SYS_SCHEDULE_TOPIC) gone.add(cq.topic);
    }
    await this.deleteTopics(gone);
  }

  /** Destroys consume queues whose every unit points below the commitlog min offset. */
  async cleanExpiredConsumerQueue(): Promise<void> {
    const minPhy = this.cl.minOffset();
    for (const [key, cq] of [...this.disp.cqs]) {
      if (cq.topic === RMQ_SYS_SCHEDULE_TOPIC) continue;
      if (cq.maxPhysicOffset !== -1 && cq.maxPhysicOffset <= minPhy) {
        cq.destroy();
        this.disp.cqs.delete(key);
        this.cl.topicQueueTable.delete(key);
      }
    }
  }

  /** One cleanup round now (the timer runs it every cleanResourceInterval). */
  runCleanup(): CleanupRound {
    return this.cleaner.run();
  }

  /** DELETE_EXPIRED_COMMITLOG admin request. */
  executeDeleteFilesManually(): void {
    this.cleaner.executeDeleteFilesManually();
  }

  isDiskFull(): boolean {
    return this.cleaner.diskFull;
  }

  /** Flush everything now (commitlog, queues, index, checkpoint). */
  async flush(): Promise<void> {
    await this.cl.flush();
    await this.flusher.flushLogics();
  }

  getRuntimeInfo(): Record<string, string> {
    const up = Date.now() - this.bootTimestamp;
    const sec = Math.floor(up / 1000);
    const usage = this.cleaner.usage();
    let capacity = 'Total : 0';
    try {
      const s = fs.statfsSync(this.cfg.storePathCommitLog);
      const gb = (n: number) => (n / 1024 / 1024 / 1024).toFixed(2);
      capacity = `Total : ${gb(s.blocks * s.bsize)} GiB, Free : ${gb(s.bavail * s.bsize)} GiB.`;
    } catch {
      // statfs unavailable
    }
    const avg = this.stats.putTimes ? this.stats.putBytes / this.stats.putTimes : 0;
    return {
      bootTimestamp: String(this.bootTimestamp),
      runtime: `[ ${Math.floor(sec / 86400)} days, ${Math.floor(sec / 3600) % 24} hours, ${Math.floor(sec / 60) % 60} minutes, ${sec % 60} seconds ]`,
      putMessageTimesTotal: String(this.stats.putTimes),
      putMessageSizeTotal: String(this.stats.putBytes),
      putMessageAverageSize: String(avg),
      getFoundTimesTotal: String(this.stats.getFound),
      getMessageTimesTotal: String(this.stats.getTimes),
      dispatchBehindBytes: '0',
      pageCacheLockTimeMills: '0',
      commitLogDiskRatio: String(usage),
      [`commitLogDiskRatio_${this.cfg.storePathCommitLog}`]: String(usage),
      consumeQueueDiskRatio: String(usage),
      commitLogDirCapacity: capacity,
      earliestMessageTimeStamp: String(this.getEarliestMessageTimeStamp()),
      commitLogMinOffset: String(this.getMinPhyOffset()),
      commitLogMaxOffset: String(this.getMaxPhyOffset()),
      remainHowManyDataToFlush: String(Math.max(0, this.cl.writeOffset - this.cl.flushedOffset)),
      remainHowManyDataToCommit: '0',
      remainTransientStoreBufferNumbs: '2147483647',
      ...(this.flusher.lastError ? { lastFlushError: this.flusher.lastError } : {}),
      ...(this.dispatchError ? { lastDispatchError: this.dispatchError } : {}),
    };
  }

  isShutdown(): boolean {
    return this.shut;
  }

  /** Flushes everything, writes the checkpoint, removes the abort file. */
  async shutdown(): Promise<void> {
    if (this.shut) return;
    if (this.pending.length) this.drain();
    this.shut = true;
    this.disp.commit();
    this.cleaner.stop();
    await this.flusher.stop();
    this.cl.reserver?.close();
    this.cl.warmer?.close();
    this.cl.close();
    this.disp.close();
    this.index?.close();
    this.cp.close();
    fs.rmSync(path.join(this.cfg.storePathRootDir, 'abort'), { force: true });
  }
}
