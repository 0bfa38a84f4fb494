/**
 * PULL_MESSAGE (11) / LITE_PULL_MESSAGE (361): requests.md §4, semantics.md §9.
 * Checks in Apache's order, tag-hash filtering in the store, an optional SQL92 property filter from the filter
 * module, offset correction, commit-offset piggyback, and long polling via PullHoldService.
 */
import { checkRecord } from '../../common/record-codec.js';
import { string2messageProperties } from '../../common/properties.js';
import { isReadable } from '../../common/perm.js';
import { javaStringHashCode, parseTagExpression } from '../../common/tags.js';
import { isRetryTopic } from '../../common/topics.js';
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import type { SubscriptionData } from '../../protocol/heartbeat.js';
import { ForbiddenType, PullMessageRequestHeader, PullSysFlag } from '../../protocol/pull.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { Channel, RemotingServer } from '../../remoting/server.js';
import type { GetMessageResult, UnitFilter } from '../../store/types.js';
import type { BrokerContext, PropertyFilter } from '../context.js';
import type { PullHoldService } from '../longpoll/pull-hold.js';
import { APPLY_TOPIC_FAQ, SUBSCRIPTION_GROUP_FAQ } from './util.js';

interface PullFilter {
  /** Consume-queue stage: tags code match. */
  unit?: (tagsCode: number | bigint) => boolean;
  /** After reading: SQL92 over properties. */
  props?: PropertyFilter;
}

function fail(res: RemotingCommand, code: number, remark: string, forbiddenType?: number): RemotingCommand {
  res.code = code;
  res.remark = remark;
  if (forbiddenType !== undefined) res.setField('forbiddenType', forbiddenType);
  return res;
}

/** SubscriptionData the way FilterAPI.build makes it for a TAG expression. */
export function buildTagSubscription(topic: string, expr: string | undefined, subVersion: number): SubscriptionData {
  const p = parseTagExpression(expr);
  return {
    topic,
    subString: p.all ? '*' : (expr ?? '*'),
    tagsSet: [...p.tags],
    codeSet: [...p.codes],
    subVersion,
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

function tagFilterOf(sub: SubscriptionData): ((tagsCode: number | bigint) => boolean) | undefined {
  if (sub.classFilterMode) return undefined;
  const s = sub.subString?.trim();
  if (!s || s === '*') return undefined;
  const codes = new Set<number>(sub.codeSet.length > 0 ? sub.codeSet : sub.tagsSet.map(javaStringHashCode));
  // the queue stores a sign-extended int (or, for delayed messages, a long): compare its low 32 bits
  return (tagsCode) => codes.has(typeof tagsCode === 'number' && tagsCode === (tagsCode | 0) ? tagsCode : Number(BigInt.asIntN(32, BigInt(tagsCode))));
}

/** Properties string of a raw record; undefined when it does not parse. */
function recordProperties(buf: Buffer): Record<string, string> | undefined {
  const c = checkRecord(buf, 0, buf.length, false);
  return c.kind === 'record' ? string2messageProperties(c.meta.propertiesString) : undefined;
}

export function registerPullProcessor(server: RemotingServer, ctx: BrokerContext, holds: PullHoldService): void {
  const p = (req: RemotingCommand, ch: Channel): Promise<RemotingCommand | null> => processPull(ctx, holds, req, ch, true);
  server.registerProcessor(RequestCode.PULL_MESSAGE, p);
  server.registerProcessor(RequestCode.LITE_PULL_MESSAGE, p);
}

export async function processPull(ctx: BrokerContext, holds: PullHoldService, req: RemotingCommand, ch: Channel,
  allowSuspend: boolean): Promise<RemotingCommand | null> {
  const cfg = ctx.config;
  const res = RemotingCommand.createResponse(-1);
  let h: PullMessageRequestHeader;
  try {
    h = PullMessageRequestHeader.fromFields(req.extFields);
  } catch (e) {
    return fail(res, ResponseCode.SYSTEM_ERROR, (e as Error).message);
  }
  const missing = PullMessageRequestHeader.missingRequired(h);
  if (missing.length > 0) return fail(res, ResponseCode.SYSTEM_ERROR, `the custom field <${missing[0]}> is null`);
  const group = h.consumerGroup as string;
  const topic = h.topic as string;
  const queueId = h.queueId as number;
  const sysFlag = h.sysFlag as number;
  res.setField('suggestWhichBrokerId', 0);

  if (!isReadable(cfg.brokerPermission)) {
    return fail(res, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] pulling message is forbidden`, ForbiddenType.BROKER);
  }
  const gc = ctx.groups.findOrCreate(group);
  if (!gc) return fail(res, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${group}] does not exist, ${SUBSCRIPTION_GROUP_FAQ}`);
  if (!gc.consumeEnable) return fail(res, ResponseCode.NO_PERMISSION, `subscription group no permission, ${group}`, ForbiddenType.GROUP);

  const hasSuspend = (sysFlag & PullSysFlag.SUSPEND) !== 0;
  const hasCommitOffset = (sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0;
  const hasSubscription = (sysFlag & PullSysFlag.SUBSCRIPTION) !== 0;
  const suspendMs = hasSuspend ? (h.suspendTimeoutMillis as number) : 0;

  const tc = ctx.topics.get(topic);
  if (!tc) return fail(res, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please! ${APPLY_TOPIC_FAQ}`);
  if (!isReadable(tc.perm)) return fail(res, ResponseCode.NO_PERMISSION, `the topic[${topic}] pulling message is forbidden`, ForbiddenType.TOPIC);
  if (queueId < 0 || queueId >= tc.readQueueNums) {
    return fail(res, ResponseCode.SYSTEM_ERROR,
      `queueId[${queueId}] is illegal, topic:[${topic}] topicConfig.readQueueNums:[${tc.readQueueNums}] consumer:[${ch.remoteAddr}]`);
  }

  // the subscription: from the request (SUBSCRIPTION flag) or the group's registered one
  let sub: SubscriptionData | undefined;
  const expressionType = (h.expressionType ?? 'TAG').toUpperCase();
  if (hasSubscription) {
    if (expressionType === 'TAG') {
      sub = buildTagSubscription(topic, h.subscription, h.subVersion as number);
    } else {
      sub = { topic, subString: h.subscription ?? '', tagsSet: [], codeSet: [], subVersion: h.subVersion as number, expressionType, classFilterMode: false };
    }
  } else {
    const info = ctx.consumers.get(group);
    if (!info) return fail(res, ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's group info not exist${SUBSCRIPTION_GROUP_FAQ}`);
    if (!gc.consumeBroadcastEnable && info.messageModel === 'BROADCASTING') {
      return fail(res, ResponseCode.NO_PERMISSION, `the consumer group[${group}] can not consume by broadcast way`, ForbiddenType.BROADCASTING_DISABLE);
    }
    sub = info.subscriptions.get(topic);
    if (!sub) return fail(res, ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's subscription not exist${SUBSCRIPTION_GROUP_FAQ}`);
    if (sub.subVersion < (h.subVersion as number)) return fail(res, ResponseCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest");
  }

  const filter: PullFilter = {};
  const subType = (sub.expressionType || 'TAG').toUpperCase();
  if (subType === 'TAG') {
    // retry topics are read unfiltered unless filterSupportRetry (semantics.md §5)
    if (!isRetryTopic(topic) || cfg.filterSupportRetry) filter.unit = tagFilterOf(sub);
  } else if (subType === 'SQL92') {
    if (!cfg.enablePropertyFilter || !ctx.messageFilterFor) {
      return fail(res, ResponseCode.SYSTEM_ERROR, 'The broker does not support consumer to filter message by SQL92');
    }
    const r = ctx.messageFilterFor({ group, topic, expressionType: subType, expression: sub.subString, subVersion: sub.subVersion, subscription: ctx.consumers.findSubscription(group, topic) });
    if (!r) return fail(res, ResponseCode.SYSTEM_ERROR, 'The broker does not support consumer to filter message by SQL92');
    if (r.errorCode !== undefined) return fail(res, r.errorCode, r.errorRemark ?? 'filter error');
    filter.props = r.filter;
  } else {
    return fail(res, ResponseCode.SUBSCRIPTION_PARSE_FAILED, `parse the consumer's subscription failed: unknown expression type ${sub.expressionType}`);
  }

  const offset = h.queueOffset as number;
  const maxNums = Math.max(1, h.maxMsgNums as number);
  const unitFilter: UnitFilter | undefined = filter.unit ? (code) => filter.unit!(code) : undefined;
  let r: GetMessageResult;
  try {
    r = await ctx.store.getMessage(group, topic, queueId, offset, maxNums, unitFilter);
  } catch (e) {
    return fail(res, ResponseCode.SYSTEM_ERROR, `store getMessage failed: ${(e as Error).message}`);
  }
  if (filter.props && r.status === 'FOUND') applyPropertyFilter(r, filter.props);

  res.remark = r.status;
  res.setField('nextBeginOffset', r.nextBeginOffset);
  res.setField('minOffset', r.minOffset);
  res.setField('maxOffset', r.maxOffset);
  const suggest = cfg.slaveReadEnable ? (r.suggestPullingFromSlave ? gc.whichBrokerWhenConsumeSlowly : gc.brokerId) : 0;
  res.setField('suggestWhichBrokerId', suggest);

  switch (r.status) {
    case 'FOUND':
      res.code = ResponseCode.SUCCESS;
      break;
    case 'MESSAGE_WAS_REMOVING':
    case 'NO_MATCHED_MESSAGE':
      res.code = ResponseCode.PULL_RETRY_IMMEDIATELY;
      break;
    case 'NO_MATCHED_LOGIC_QUEUE':
    case 'NO_MESSAGE_IN_QUEUE':
      res.code = offset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
      break;
    case 'OFFSET_FOUND_NULL':
    case 'OFFSET_OVERFLOW_ONE':
      res.code = ResponseCode.PULL_NOT_FOUND;
      break;
    case 'OFFSET_OVERFLOW_BADLY':
    case 'OFFSET_TOO_SMALL':
      res.code = ResponseCode.PULL_OFFSET_MOVED;
      break;
    default:
      res.code = ResponseCode.SYSTEM_ERROR;
  }
  if (res.code === ResponseCode.PULL_OFFSET_MOVED) {
    ctx.logger.info(`PULL_OFFSET_MOVED: group ${group} topic ${topic} queue ${queueId} request offset ${offset} -> ${r.nextBeginOffset} (${r.status}), min ${r.minOffset} max ${r.maxOffset}`);
  }

  // commit the consumer's offset only on the first execution of a pull (not after a long-poll wake-up)
  if (allowSuspend && hasCommitOffset && cfg.brokerRole !== 'SLAVE') {
    ctx.offsets.commit(group, topic, queueId, h.commitOffset as number);
  }

  if (res.code === ResponseCode.SUCCESS) {
    res.body = r.messages.length === 1 ? r.messages[0] : Buffer.concat(r.messages, r.bufferTotalSize);
    ctx.stats.incGet(group, topic, r.messageCount, r.bufferTotalSize);
    return res;
  }
  ctx.stats.incGet(group, topic, 0, 0);

  if (res.code === ResponseCode.PULL_NOT_FOUND && allowSuspend && hasSuspend) {
    const holdMs = cfg.longPollingEnable ? suspendMs : cfg.shortPollingTimeMills;
    const reason = await holds.hold({
      topic,
      queueId,
      offset,
      timeoutMs: holdMs,
      matches: (code, props) => (!filter.unit || filter.unit(code)) && (!filter.props || filter.props(props)),
      onClose: (cb) => {
        ch.once('close', cb);
        return () => ch.off('close', cb);
      },
    });
    if (reason === 'closed') return null;
    return processPull(ctx, holds, req, ch, false);
  }
  return res;
}

/** Drop records the SQL92 predicate rejects; all rejected → NO_MATCHED_MESSAGE (pull again at once). */
function applyPropertyFilter(r: GetMessageResult, pred: PropertyFilter): void {
  const keep: Buffer[] = [];
  const keepOffsets: number[] = [];
  let size = 0;
  r.messages.forEach((buf, i) => {
    const props = recordProperties(buf);
    let ok = false;
    try {
      ok = props !== undefined && pred(props);
    } catch {
      ok = false;
    }
    if (ok) {
      keep.push(buf);
      keepOffsets.push(r.queueOffsets[i]);
      size += buf.length;
    }
  });
  r.messages = keep;
  r.queueOffsets = keepOffsets;
  r.bufferTotalSize = size;
  r.messageCount = keep.length;
  if (keep.length === 0) r.status = 'NO_MATCHED_MESSAGE';
}
