// TransactionProducer (Apache TransactionMQProducer): sends a half message, runs the local transaction, and
// ends it with END_TRANSACTION (commit / rollback / unknown); answers the broker's CHECK_TRANSACTION_STATE
// with the checkLocalTransaction callback.
import type { Message, MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { decodeOffsetMsgId } from '../../common/msgid.js';
import { TransactionType } from '../../protocol/transaction.js';
import { MQClientError } from '../errors.js';
import { Producer, type ProducerOptions, type SendResult, type TransactionCheckRequest } from './producer.js';

export type LocalTransactionState = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'UNKNOW';

export interface TransactionListener {
  /** Runs the local transaction after the half message is stored; null/undefined counts as UNKNOW. */
  executeLocalTransaction(msg: Message, arg: unknown): LocalTransactionState | null | undefined | Promise<LocalTransactionState | null | undefined>;
  /** Answers a broker check-back for a transaction left unknown. */
  checkLocalTransaction(msg: MessageExt): LocalTransactionState | null | undefined | Promise<LocalTransactionState | null | undefined>;
}

export interface TransactionSendResult extends SendResult {
  localTransactionState: LocalTransactionState;
}

export interface TransactionProducerOptions extends ProducerOptions {
  transactionListener?: TransactionListener;
}

function stateToType(s: LocalTransactionState): number {
  return s === 'COMMIT_MESSAGE' ? TransactionType.COMMIT : s === 'ROLLBACK_MESSAGE' ? TransactionType.ROLLBACK : TransactionType.NOT_TYPE;
}

export class TransactionProducer extends Producer {
  private listener?: TransactionListener;

  constructor(opts: TransactionProducerOptions = {}) {
    super(opts);
    this.listener = opts.transactionListener;
    this.setTransactionCheckHandler((req) => void this.onCheck(req));
  }

  /**
   * Starts and waits until it is known to the brokers (the shared start's createTopicKey route and heartbeat):
   * a producer restarted before a check-back must be reachable for it.
   */
  override async start(): Promise<void> {
    await super.start();
    await this.announced;
  }

  setTransactionListener(l: TransactionListener): void {
    this.listener = l;
  }

  /** Half message → local transaction → END_TRANSACTION (oneway, to the broker that stored the half message). */
  async sendMessageInTransaction(msg: Message, arg?: unknown): Promise<TransactionSendResult> {
    const listener = this.listener;
    if (!listener) throw new MQClientError('TransactionListener is null');
    delete msg.properties[MessageConst.DELAY_TIME_LEVEL];
    msg.properties[MessageConst.TRANSACTION_PREPARED] = 'true';
    msg.properties[MessageConst.PRODUCER_GROUP] = this.group;
    let sent: SendResult;
    try {
      sent = await this.send(msg);
    } catch (e) {
      throw new MQClientError(`send message in transaction failed: ${(e as Error).message}`);
    }
    let state: LocalTransactionState = 'UNKNOW';
    let localError: unknown;
    if (sent.sendStatus === 'SEND_OK') {
      if (sent.transactionId) msg.properties[MessageConst.TRANSACTION_ID] = sent.transactionId;
      try {
        state = (await listener.executeLocalTransaction(msg, arg)) ?? 'UNKNOW';
      } catch (e) {
        localError = e;
        state = 'UNKNOW';
      }
    } else {
      state = 'ROLLBACK_MESSAGE';
    }
    try {
      await this.endTransaction(sent, state, localError);
    } catch (e) {
      this.instance.logger.warn(`end transaction of ${sent.msgId} failed: ${(e as Error).message}`);
    }
    return { ...sent, localTransactionState: state };
  }

  private async endTransaction(sent: SendResult, state: LocalTransactionState, localError: unknown): Promise<void> {
    const id = decodeOffsetMsgId(sent.offsetMsgId || sent.msgId);
    await this.instance.api.endTransactionOneway(sent.brokerAddr, {
      producerGroup: this.group,
      tranStateTableOffset: sent.queueOffset,
      commitLogOffset: id.offset,
      commitOrRollback: stateToType(state),
      fromTransactionCheck: false,
      msgId: sent.msgId,
      transactionId: sent.transactionId,
    }, localError ? `executeLocalTransactionBranch exception: ${String(localError)}` : undefined);
  }

  private async onCheck(req: TransactionCheckRequest): Promise<void> {
    const listener = this.listener;
    if (!listener) {
      this.instance.logger.warn(`CHECK_TRANSACTION_STATE for ${this.group} but no transaction listener`);
      return;
    }
    const msg = req.msg;
    const h = req.header;
    if (h.transactionId) msg.properties[MessageConst.TRANSACTION_ID] = h.transactionId;
    let state: LocalTransactionState = 'UNKNOW';
    let remark: string | undefined;
    try {
      state = (await listener.checkLocalTransaction(msg)) ?? 'UNKNOW';
    } catch (e) {
      remark = `checkLocalTransactionState Exception: ${String(e)}`;
    }
    const uniqueKey = msg.properties[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? msg.msgId;
    try {
      await this.instance.api.endTransactionOneway(req.brokerAddr, {
        producerGroup: this.group,
        tranStateTableOffset: Number(h.tranStateTableOffset),
        commitLogOffset: Number(h.commitLogOffset),
        commitOrRollback: stateToType(state),
        fromTransactionCheck: true,
        msgId: uniqueKey,
        transactionId: h.transactionId,
      }, remark);
    } catch (e) {
      this.instance.logger.warn(`answer to transaction check of ${uniqueKey} failed: ${(e as Error).message}`);
    }
  }
}
