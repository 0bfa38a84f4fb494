/**
 * CONSUMER_SEND_MSG_BACK (36), semantics.md §10: a message the consumer failed goes to %RETRY%<group> parked
 * in the schedule topic at level 3 + reconsumeTimes (or the level asked for), or, past maxReconsumeTimes or with
 * a negative level, to %DLQ%<group> (created on demand, 1 queue, perm RW). The copy keeps body, flag, properties,
 * born time/host and UNIQ_KEY, and records RETRY_TOPIC and ORIGIN_MESSAGE_ID, so the original id and keys stay
 * queryable.
 */
import type { MessageExtBrokerInner } from '../../../common/message.js';
import { MessageConst } from '../../../common/message-const.js';
import { isWriteable, PERM_READ, PERM_WRITE } from '../../../common/perm.js';
import { tagsString2tagsCode } from '../../../common/tags.js';
import { getDLQTopic, getRetryTopic } from '../../../common/topics.js';
import { ResponseCode } from '../../../protocol/codes.js';
import { ConsumerSendMsgBackRequestHeader } from '../../../protocol/send.js';
import { RemotingCommand } from '../../../remoting/command.js';
import { isPutOk } from '../../../store/types.js';
import type { BrokerContext } from '../../context.js';
import { DelayLevels } from '../../schedule/delay-levels.js';
import { transformDelayLevelMessage } from '../../schedule/schedule-rewrite.js';
import { decodeOrFail } from '../offsets.js';
import { SUBSCRIPTION_GROUP_FAQ } from '../util.js';

/** Version V3_4_9: from here on the header's maxReconsumeTimes is honoured. */
const V3_4_9 = 121;

function fail(code: number, remark: string): RemotingCommand {
  return RemotingCommand.createResponse(code, remark);
}

export async function processSendMsgBack(ctx: BrokerContext, req: RemotingCommand, levels: DelayLevels): Promise<RemotingCommand> {
  const h = decodeOrFail(ConsumerSendMsgBackRequestHeader, req);
  if (h instanceof RemotingCommand) return h;
  const group = h.group as string;
  const gc = ctx.groups.findOrCreate(group);
  if (!gc) return fail(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group} ${SUBSCRIPTION_GROUP_FAQ}`);
  if (!isWriteable(ctx.config.brokerPermission)) {
    return fail(ResponseCode.NO_PERMISSION, `the broker[${ctx.config.brokerIP1}] sending message is forbidden`);
  }
  if (gc.retryQueueNums <= 0) return RemotingCommand.createResponse(ResponseCode.SUCCESS);

  const retryTopic = getRetryTopic(group);
  const rtc = ctx.topics.get(retryTopic) ?? ctx.topics.createWithoutTemplate(retryTopic, gc.retryQueueNums, PERM_WRITE | PERM_READ, h.unitMode ? 0x2 : 0);
  if (!isWriteable(rtc.perm)) return fail(ResponseCode.NO_PERMISSION, `the topic[${retryTopic}] sending message is forbidden`);

  const offset = h.offset as number;
  const orig = await ctx.store.lookMessageByOffset(offset).catch(() => null);
  if (!orig) return fail(ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${offset}`);

  const props: Record<string, string> = { ...orig.properties };
  if (props[MessageConst.RETRY_TOPIC] === undefined) props[MessageConst.RETRY_TOPIC] = orig.topic;

  let maxReconsumeTimes = gc.retryMaxTimes;
  if (req.version >= V3_4_9 && h.maxReconsumeTimes !== undefined && h.maxReconsumeTimes !== null) maxReconsumeTimes = h.maxReconsumeTimes;
  let delayLevel = h.delayLevel as number;
  let topic = retryTopic;
  let queueId = Math.floor(Math.random() * 99999999) % rtc.writeQueueNums;
  const reconsumeTimes = orig.reconsumeTimes;
  const toDLQ = reconsumeTimes >= maxReconsumeTimes || delayLevel < 0;
  if (toDLQ) {
    topic = getDLQTopic(group);
    const dtc = ctx.topics.get(topic) ?? ctx.topics.createWithoutTemplate(topic, 1, PERM_WRITE | PERM_READ, 0);
    if (!isWriteable(dtc.perm)) return fail(ResponseCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden`);
    queueId = 0;
    delete props[MessageConst.DELAY_TIME_LEVEL];
  } else {
    if (delayLevel === 0) delayLevel = 3 + reconsumeTimes;
    props[MessageConst.DELAY_TIME_LEVEL] = String(delayLevel);
  }
  props[MessageConst.ORIGIN_MESSAGE_ID] = orig.properties[MessageConst.ORIGIN_MESSAGE_ID] || orig.msgId;

  const msg: MessageExtBrokerInner = {
    topic, queueId, flag: orig.flag, body: orig.body, properties: props, sysFlag: orig.sysFlag,
    bornTimestamp: orig.bornTimestamp, bornHost: orig.bornHost, storeHost: ctx.storeHost,
    reconsumeTimes: reconsumeTimes + 1, preparedTransactionOffset: 0, tagsCode: tagsString2tagsCode(props[MessageConst.TAGS]),
  };
  if (!toDLQ) transformDelayLevelMessage(msg, levels);
  const put = await ctx.store.putMessage(msg);
  if (!isPutOk(put)) return fail(ResponseCode.SYSTEM_ERROR, put.status);
  return RemotingCommand.createResponse(ResponseCode.SUCCESS);
}
