/**
 * Broker side of transactions (semantics.md §8): END_TRANSACTION decisions and the check-back round.
 * Progress of the check round is kept as consumer offsets of group CID_RMQ_SYS_TRANS on the half and op
 * topics (consumerOffset.json), and every decision is an op record in the store, so the whole state
 * survives a restart.
 */
import type { Logger } from '../../common/logger.js';
import { silentLogger } from '../../common/logger.js';
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { decodeRecord } from '../../common/record-codec.js';
import {
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC,
} from '../../common/topics.js';
import { isPutOk } from '../../store/types.js';
import type { StorePort } from '../schedule/store-port.js';
import {
  buildCommittedMessage, buildHalfCopy, buildOpMessage, HALF_QUEUE_ID, parseOpBody, TRANS_CHECK_GROUP,
} from './half-message.js';

/** Where the check round keeps its offsets (ConsumerOffsetManager satisfies it). */
export interface ProgressStore {
  query(group: string, topic: string, queueId: number): number;
  commit(group: string, topic: string, queueId: number, offset: number): void;
}

export interface CheckRequest {
  producerGroup: string;
  tranStateTableOffset: number;
  commitLogOffset: number;
  msgId: string;
  transactionId: string;
  offsetMsgId: string;
  /** The half message with topic/queue already set to the real ones. */
  message: MessageExt;
}

/** Sends CHECK_TRANSACTION_STATE to one live producer of the group; false when none is connected. */
export type SendCheck = (req: CheckRequest) => boolean | Promise<boolean>;

export interface TransactionConfig {
  transactionTimeOut: number;
  transactionCheckMax: number;
  transactionCheckInterval: number;
  /** Hours a half message is kept before being discarded unchecked (fileReservedTime). */
  fileReservedTime: number;
}

export interface EndTransactionRequest {
  producerGroup: string;
  tranStateTableOffset: number;
  commitLogOffset: number;
  /** 8 commit, 12 rollback (0 is ignored by the caller). */
  commitOrRollback: number;
  fromTransactionCheck: boolean;
}

export type EndResult = { code: 0 } | { code: number; remark: string };

const COMMIT = 8;
const ROLLBACK = 12;
/** Max time spent walking the half queue in one round (Apache: 60 s). */
const MAX_ROUND_MS = 60_000;

export class TransactionService {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private round: Promise<void> | null = null;
  /** Half queue offsets with a decision whose op record may not have been read back yet. */
  private readonly decided = new Set<number>();

  constructor(
    private readonly store: StorePort,
    private readonly progress: ProgressStore,
    private readonly cfg: TransactionConfig,
    private readonly sendCheck: SendCheck,
    private readonly opts: { storeHost: string; logger?: Logger; now?: () => number; beforeDiscard?: () => void },
  ) {
    this.logger = opts.logger ?? silentLogger;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.cfg.transactionCheckInterval);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.round) await this.round.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.check().catch((e) => this.logger.error(`transaction check: ${(e as Error).message}`))
        .finally(() => {
          this.round = null;
          this.schedule(this.cfg.transactionCheckInterval);
        });
    }, ms);
    this.timer.unref?.();
  }

  // ---------------------------------------------------------------- END_TRANSACTION

  async endTransaction(req: EndTransactionRequest): Promise<EndResult> {
    if (req.commitOrRollback !== COMMIT && req.commitOrRollback !== ROLLBACK) return { code: 0 };
    const half = await this.store.lookMessageByOffset(req.commitLogOffset);
    if (!half || half.topic !== RMQ_SYS_TRANS_HALF_TOPIC) {
      return { code: 1, remark: 'Find prepared transaction message failed' };
    }
    if (half.properties[MessageConst.PRODUCER_GROUP] !== req.producerGroup) {
      return { code: 1, remark: 'The producer group wrong' };
    }
    if (half.queueOffset !== req.tranStateTableOffset) {
      return { code: 1, remark: 'The transaction state table offset wrong' };
    }
    if (half.commitLogOffset !== req.commitLogOffset) return { code: 1, remark: 'The commit log offset wrong' };
    if (this.decided.has(half.queueOffset)) return { code: 0 };
    if (req.commitOrRollback === COMMIT) {
      const real = buildCommittedMessage(half);
      if (!real) return { code: 1, remark: 'The half message has no REAL_TOPIC/REAL_QID' };
      const put = await this.store.putMessage(real);
      if (!isPutOk(put)) return { code: 1, remark: `store the committed message failed: ${put.status}` };
    }
    await this.writeOp([half.queueOffset]);
    return { code: 0 };
  }

  private async writeOp(halfOffsets: number[]): Promise<void> {
    const put = await this.store.putMessage(buildOpMessage(halfOffsets, this.opts.storeHost));
    if (!isPutOk(put)) {
      this.logger.warn(`transaction: op record for ${halfOffsets.join(',')} not stored (${put.status})`);
      return;
    }
    for (const o of halfOffsets) this.decided.add(o);
  }

  // ---------------------------------------------------------------- check-back

  /** Reads op records from `from`; returns the decided half offsets and the op offset of each. */
  private async readOps(from: number): Promise<Array<{ opOffset: number; halfOffsets: number[] }>> {
    const out: Array<{ opOffset: number; halfOffsets: number[] }> = [];
    const max = this.store.getMaxOffsetInQueue(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID);
    let off = from;
    while (off < max) {
      const r = await this.store.getMessage(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID, off, 32);
      if (r.messageCount === 0) {
        if (r.nextBeginOffset > off) { off = r.nextBeginOffset; continue; }
        break;
      }
      for (let i = 0; i < r.messages.length; i++) {
        const m = decodeRecord(r.messages[i]);
        out.push({ opOffset: r.queueOffsets[i], halfOffsets: m ? parseOpBody(m.body) : [] });
      }
      off = r.nextBeginOffset;
    }
    return out;
  }

  /** One check round over the half queue. */
  async check(): Promise<void> {
    const start = this.now();
    const halfMin = this.store.getMinOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID);
    const halfMax = this.store.getMaxOffsetInQueue(RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID);
    let halfOffset = this.progress.query(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID);
    if (halfOffset < halfMin) halfOffset = halfMin;
    let opOffset = this.progress.query(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID);
    if (opOffset < 0) opOffset = this.store.getMinOffsetInQueue(RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID);
    const ops = await this.readOps(opOffset);
    const done = new Set<number>(this.decided);
    for (const op of ops) for (const h of op.halfOffsets) done.add(h);

    let offset = halfOffset;
    while (offset < halfMax && this.now() - start < MAX_ROUND_MS) {
      if (done.has(offset)) { offset++; continue; }
      const r = await this.store.getMessage(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID, offset, 1);
      if (r.messageCount === 0) {
        if (r.nextBeginOffset > offset) { offset = r.nextBeginOffset; continue; }
        break;
      }
      const half = decodeRecord(r.messages[0], 0, { decompress: false, copyBody: true });
      if (!half) { offset++; continue; }
      if (!(await this.handle(half, start))) break;
      offset++;
    }

    // Op records below the first one that still names a half offset ≥ the new half progress can go.
    let newOp = opOffset;
    for (const op of ops) {
      if (op.halfOffsets.some((h) => h >= offset)) break;
      newOp = op.opOffset + 1;
    }
    for (const d of [...this.decided]) if (d < offset) this.decided.delete(d);
    this.progress.commit(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_HALF_TOPIC, HALF_QUEUE_ID, offset);
    this.progress.commit(TRANS_CHECK_GROUP, RMQ_SYS_TRANS_OP_HALF_TOPIC, HALF_QUEUE_ID, newOp);
  }

  /** Handles one undecided half message; false = stop the round here (not yet due). */
  private async handle(half: MessageExt, roundStart: number): Promise<boolean> {
    const now = this.now();
    const checkTimes = Number.parseInt(half.properties[MessageConst.TRANSACTION_CHECK_TIMES] ?? '0', 10) || 0;
    const expired = half.bornTimestamp < now - this.cfg.fileReservedTime * 3600_000;
    if (checkTimes >= this.cfg.transactionCheckMax || expired) {
      await this.discard(half);
      return true;
    }
    if (half.storeTimestamp >= roundStart) return false;
    let immunity = this.cfg.transactionTimeOut;
    const imm = half.properties[MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS];
    if (imm !== undefined) {
      const secs = Number.parseInt(imm, 10);
      if (Number.isFinite(secs) && secs >= 0) immunity = Math.max(secs * 1000, this.cfg.transactionTimeOut);
    }
    const age = now - half.bornTimestamp;
    if (age >= 0 && age <= immunity) return false;

    const props: Record<string, string> = { ...half.properties, [MessageConst.TRANSACTION_CHECK_TIMES]: String(checkTimes + 1) };
    const put = await this.store.putMessage(buildHalfCopy(half, props));
    const res = put.appendResult;
    if (!isPutOk(put) || !res) {
      this.logger.warn(`transaction check: re-append of half ${half.queueOffset} failed (${put.status})`);
      return false;
    }
    const group = props[MessageConst.PRODUCER_GROUP] ?? '';
    const uniq = props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? '';
    const message: MessageExt = {
      ...half, properties: props, queueOffset: res.logicsOffset, commitLogOffset: res.wroteOffset,
      msgId: res.msgId, storeTimestamp: res.storeTimestamp,
      topic: props[MessageConst.REAL_TOPIC] ?? half.topic,
      queueId: Number.parseInt(props[MessageConst.REAL_QUEUE_ID] ?? '0', 10) || 0,
    };
    try {
      const sent = await this.sendCheck({
        producerGroup: group, tranStateTableOffset: res.logicsOffset, commitLogOffset: res.wroteOffset,
        msgId: uniq, transactionId: uniq, offsetMsgId: res.msgId, message,
      });
      if (!sent) this.logger.info(`transaction check: no live producer of group ${group} for ${uniq}`);
    } catch (e) {
      this.logger.warn(`transaction check to group ${group} failed: ${(e as Error).message}`);
    }
    return true;
  }

  /** Gives up on a half message (checked too often or too old): kept in TRANS_CHECK_MAX_TIME_TOPIC. */
  private async discard(half: MessageExt): Promise<void> {
    this.opts.beforeDiscard?.();
    const copy = buildHalfCopy(half, { ...half.properties });
    copy.topic = RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC;
    copy.queueId = 0;
    const put = await this.store.putMessage(copy);
    if (!isPutOk(put)) this.logger.warn(`transaction: discard of half ${half.queueOffset} failed (${put.status})`);
    this.logger.info(`transaction: half message ${half.properties[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? half.msgId} discarded after ${half.properties[MessageConst.TRANSACTION_CHECK_TIMES] ?? 0} checks`);
  }
}
