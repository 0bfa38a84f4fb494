/** Builds the message a delay level or the timer re-puts to the real topic when it is due. */
import type { MessageExt, MessageExtBrokerInner } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { decodeRecord } from '../../common/record-codec.js';
import { tagsString2tagsCode } from '../../common/tags.js';

/** Decodes a stored record keeping the body exactly as stored (compressed bodies stay compressed). */
export function decodeStored(buf: Buffer): MessageExt | null {
  return decodeRecord(buf, 0, { decompress: false, copyBody: true });
}

/**
 * Apache's messageTimeup: real topic and queue from REAL_TOPIC / REAL_QID, same body, flag, sysFlag, born
 * time/host, reconsume times; DELAY and the TIMER_DELIVER_MS / TIMER_DELAY_SEC properties removed; WAIT=false.
 * REAL_TOPIC / REAL_QID stay in the properties (they say where it came from).
 */
export function buildDueMessage(m: MessageExt, opts: { clearReal?: boolean } = {}): MessageExtBrokerInner | null {
  const props = { ...m.properties };
  const topic = props[MessageConst.REAL_TOPIC];
  const qid = Number.parseInt(props[MessageConst.REAL_QUEUE_ID] ?? '', 10);
  if (!topic || !Number.isInteger(qid) || qid < 0) return null;
  delete props[MessageConst.DELAY_TIME_LEVEL];
  delete props[MessageConst.TIMER_DELIVER_MS];
  delete props[MessageConst.TIMER_DELAY_SEC];
  if (opts.clearReal) {
    delete props[MessageConst.REAL_TOPIC];
    delete props[MessageConst.REAL_QUEUE_ID];
  }
  props[MessageConst.WAIT_STORE_MSG_OK] = 'false';
  return {
    topic, queueId: qid, flag: m.flag, body: m.body, properties: props, sysFlag: m.sysFlag,
    bornTimestamp: m.bornTimestamp, bornHost: m.bornHost, storeHost: m.storeHost, reconsumeTimes: m.reconsumeTimes,
    preparedTransactionOffset: m.preparedTransactionOffset, tagsCode: tagsString2tagsCode(props[MessageConst.TAGS]),
  };
}
