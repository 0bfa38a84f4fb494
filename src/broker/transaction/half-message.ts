/**
 * Half (prepared) messages and op records (semantics.md §8). A transactional send is parked in
 * RMQ_SYS_TRANS_HALF_TOPIC queue 0 as a NOT_TYPE record with its real topic/queue in properties; each
 * commit/rollback decision is an op message in RMQ_SYS_TRANS_OP_HALF_TOPIC (tag "d", body = half queue
 * offsets, each followed by ',', the 5.x form; 4.9.8's bare "<offset>" is read too).
 */
import type { MessageExt, MessageExtBrokerInner } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { resetTransactionType, SysFlag, transactionType } from '../../common/sysflag.js';
import { tagsString2tagsCode } from '../../common/tags.js';
import { RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC } from '../../common/topics.js';

export const HALF_QUEUE_ID = 0;
export const OP_TAG = 'd';
export const TRANS_CHECK_GROUP = 'CID_RMQ_SYS_TRANS';

/** True for a send that must become a half message (TRAN_MSG=true; the PREPARED sysFlag bit). */
export function isTransactionPrepared(msg: MessageExtBrokerInner): boolean {
  return msg.properties[MessageConst.TRANSACTION_PREPARED] === 'true' ||
    transactionType(msg.sysFlag) === SysFlag.TRANSACTION_PREPARED_TYPE;
}

/** Rewrites a prepared send into its half message, in place. */
export function transformHalfMessage(msg: MessageExtBrokerInner): void {
  const p = msg.properties;
  p[MessageConst.REAL_TOPIC] = msg.topic;
  p[MessageConst.REAL_QUEUE_ID] = String(msg.queueId);
  const uniq = p[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX];
  if (uniq) p[MessageConst.TRANSACTION_ID] = uniq;
  msg.sysFlag = resetTransactionType(msg.sysFlag, SysFlag.TRANSACTION_NOT_TYPE);
  msg.topic = RMQ_SYS_TRANS_HALF_TOPIC;
  msg.queueId = HALF_QUEUE_ID;
  msg.tagsCode = tagsString2tagsCode(p[MessageConst.TAGS]);
}

/** The committed message built from a half message (commit: COMMIT_TYPE, prepared offset = half offset). */
export function buildCommittedMessage(half: MessageExt): MessageExtBrokerInner | null {
  const props = { ...half.properties };
  const topic = props[MessageConst.REAL_TOPIC];
  const qid = Number.parseInt(props[MessageConst.REAL_QUEUE_ID] ?? '', 10);
  if (!topic || !Number.isInteger(qid) || qid < 0) return null;
  delete props[MessageConst.REAL_TOPIC];
  delete props[MessageConst.REAL_QUEUE_ID];
  delete props[MessageConst.TRANSACTION_PREPARED];
  props[MessageConst.WAIT_STORE_MSG_OK] = 'false';
  return {
    topic, queueId: qid, flag: half.flag, body: half.body, properties: props,
    sysFlag: resetTransactionType(half.sysFlag, SysFlag.TRANSACTION_COMMIT_TYPE),
    bornTimestamp: half.bornTimestamp, bornHost: half.bornHost, storeHost: half.storeHost,
    reconsumeTimes: half.reconsumeTimes, preparedTransactionOffset: half.commitLogOffset,
    tagsCode: tagsString2tagsCode(props[MessageConst.TAGS]),
  };
}

/** A copy of a half message appended again to the half topic (check-back bookkeeping). */
export function buildHalfCopy(half: MessageExt, properties: Record<string, string>): MessageExtBrokerInner {
  return {
    topic: RMQ_SYS_TRANS_HALF_TOPIC, queueId: half.queueId, flag: half.flag, body: half.body, properties,
    sysFlag: half.sysFlag, bornTimestamp: half.bornTimestamp, bornHost: half.bornHost, storeHost: half.storeHost,
    reconsumeTimes: half.reconsumeTimes, preparedTransactionOffset: half.preparedTransactionOffset,
    tagsCode: tagsString2tagsCode(properties[MessageConst.TAGS]),
  };
}

export function buildOpMessage(halfQueueOffsets: number[], storeHost: string): MessageExtBrokerInner {
  return {
    topic: RMQ_SYS_TRANS_OP_HALF_TOPIC, queueId: HALF_QUEUE_ID, flag: 0,
    body: Buffer.from(halfQueueOffsets.map((o) => `${o},`).join(''), 'utf8'),
    properties: { [MessageConst.TAGS]: OP_TAG, [MessageConst.WAIT_STORE_MSG_OK]: 'false' },
    sysFlag: 0, bornTimestamp: Date.now(), bornHost: storeHost, storeHost, reconsumeTimes: 0,
    preparedTransactionOffset: 0, tagsCode: tagsString2tagsCode(OP_TAG),
  };
}

/** Half queue offsets named by an op message body ("1,2,3," or "7"). */
export function parseOpBody(body: Buffer): number[] {
  return body.toString('utf8').split(',').map((s) => s.trim()).filter((s) => /^\d+$/.test(s)).map(Number);
}
