/**
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320): requests.md §3.
 * Order of checks as Apache's preSend/msgCheck; %RETRY% topics redirected to the DLQ past maxReconsumeTimes;
 * hooks (delay levels, transactions) rewrite the message; then one store append.
 */
import type { MessageExtBrokerInner } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { createUniqId } from '../../common/msgid.js';
import { PERM_READ, PERM_WRITE, isWriteable } from '../../common/perm.js';
import { string2messageProperties } from '../../common/properties.js';
import { SysFlag } from '../../common/sysflag.js';
import { tagsString2tagsCode } from '../../common/tags.js';
import { getDLQTopic, isNotAllowedSendTopic, isRetryTopic, RETRY_GROUP_TOPIC_PREFIX, validateTopic } from '../../common/topics.js';
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import { HeaderParseError, parseJavaBoolean, parseJavaInt, parseJavaLong } from '../../protocol/header.js';
import { type SendMessageRequestHeader, decodeBatchBody, decodeSendHeader, isSendV2Code, SendMessageRequestHeader as V1, SendMessageRequestHeaderV2 as V2 } from '../../protocol/send.js';
import type { TopicConfig } from '../../protocol/route.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { Channel, RemotingServer } from '../../remoting/server.js';
import type { PutMessageResult } from '../../store/types.js';
import type { BrokerContext } from '../context.js';
import { APPLY_TOPIC_FAQ, SUBSCRIPTION_GROUP_FAQ, formatTopicConfig, timeMillisToHumanString } from './util.js';

/** The last topic name that passed validateTopic: sends come in runs of one topic. */
let lastValidTopic = '';

/** Version V3_4_9: from here on the header's maxReconsumeTimes is honoured. */
const V3_4_9 = 121;

function fail(res: RemotingCommand, code: number, remark: string): RemotingCommand {
  res.code = code;
  res.remark = remark;
  return res;
}

/** Names of required header fields that are absent (V1 names, whatever the wire keys were). */
const REQUIRED_V1 = Object.entries(V1.spec).filter(([, s]) => s.required).map(([name]) => ({ name, label: name }));
const NONE_MISSING: string[] = [];
const REQUIRED_V2 = Object.entries(V2.spec).filter(([, s]) => s.required).map(([name, s]) => ({ name, label: s.key && s.key !== name ? `${name} (${s.key})` : name }));

function missingFields(code: number, h: SendMessageRequestHeader): string[] {
  // the usual case, all present, without walking the field list
  if (h.producerGroup != null && h.topic != null && h.defaultTopic != null && h.defaultTopicQueueNums != null && h.queueId != null &&
    h.sysFlag != null && h.bornTimestamp != null && h.flag != null) return NONE_MISSING;
  const rec = h as Record<string, unknown>;
  const out: string[] = [];
  for (const f of isSendV2Code(code) ? REQUIRED_V2 : REQUIRED_V1) if (rec[f.name] === undefined || rec[f.name] === null) out.push(f.label);
  return out;
}

const SHORT_LONG = /^-?\d{1,15}$/;

function v2Int(ext: Record<string, string>, key: string): number | undefined {
  const raw = ext[key];
  if (raw === undefined) return undefined;
  const v = parseJavaInt(raw);
  if (v === undefined) throw new HeaderParseError(key, raw, 'int');
  return v;
}

/**
 * SEND_MESSAGE_V2 decode for the hot path: same result as the generic codec (strict numbers, Java booleans,
 * absent keys left undefined), field by field without walking the field table per request.
 */
function decodeV2Fast(ext: Record<string, string> | undefined): SendMessageRequestHeader {
  const h: SendMessageRequestHeader = {};
  if (!ext) return h;
  if (ext.a !== undefined) h.producerGroup = ext.a;
  if (ext.b !== undefined) h.topic = ext.b;
  if (ext.c !== undefined) h.defaultTopic = ext.c;
  let v = v2Int(ext, 'd');
  if (v !== undefined) h.defaultTopicQueueNums = v;
  if ((v = v2Int(ext, 'e')) !== undefined) h.queueId = v;
  if ((v = v2Int(ext, 'f')) !== undefined) h.sysFlag = v;
  if (ext.g !== undefined) {
    // a millisecond timestamp always fits a double exactly: skip the BigInt range check for short inputs
    const t = SHORT_LONG.test(ext.g) ? Number(ext.g) : parseJavaLong(ext.g);
    if (t === undefined) throw new HeaderParseError('g', ext.g, 'long');
    h.bornTimestamp = t;
  }
  if ((v = v2Int(ext, 'h')) !== undefined) h.flag = v;
  if (ext.i !== undefined) h.properties = ext.i;
  if ((v = v2Int(ext, 'j')) !== undefined) h.reconsumeTimes = v;
  if (ext.k !== undefined) h.unitMode = parseJavaBoolean(ext.k);
  if ((v = v2Int(ext, 'l')) !== undefined) h.maxReconsumeTimes = v;
  if (ext.m !== undefined) h.batch = parseJavaBoolean(ext.m);
  if (ext.n !== undefined) h.brokerName = ext.n;
  return h;
}

export function registerSendProcessors(server: RemotingServer, ctx: BrokerContext): void {
  const p = (req: RemotingCommand, ch: Channel): Promise<RemotingCommand | null> => processSend(ctx, req, ch);
  server.registerProcessor(RequestCode.SEND_MESSAGE, p);
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, p);
  server.registerProcessor(RequestCode.SEND_BATCH_MESSAGE, p);
}

export async function processSend(ctx: BrokerContext, req: RemotingCommand, ch: Channel): Promise<RemotingCommand | null> {
  const cfg = ctx.config;
  // MSG_REGION / TRACE_ON ride on every send response, errors included. The object has its final shape from
  // the start (encoders skip undefined values): a success fills the slots instead of adding four properties.
  const res = RemotingCommand.createResponse(-1);
  res.extFields = {
    msgId: undefined, queueId: undefined, queueOffset: undefined, transactionId: undefined,
    MSG_REGION: cfg.regionId, TRACE_ON: cfg.traceOn ? 'true' : 'false',
  } as unknown as Record<string, string>;

  let h: SendMessageRequestHeader;
  try {
    h = req.code === RequestCode.SEND_MESSAGE ? decodeSendHeader(req.code, req.extFields) : decodeV2Fast(req.extFields);
  } catch (e) {
    const msg = e instanceof HeaderParseError ? e.message : `bad send header: ${(e as Error).message}`;
    return fail(res, ResponseCode.SYSTEM_ERROR, msg);
  }
  const missing = missingFields(req.code, h);
  if (missing.length > 0) return fail(res, ResponseCode.SYSTEM_ERROR, `the custom field <${missing[0]}> is null`);
  const topic = h.topic as string;

  if (ctx.isShuttingDown()) return fail(res, ResponseCode.SERVICE_NOT_AVAILABLE, 'broker is shutting down');
  if (cfg.brokerRole === 'SLAVE') return fail(res, ResponseCode.SYSTEM_BUSY, `the broker[${cfg.brokerIP1}] is a slave, sending message is not allowed`);
  if (cfg.startAcceptSendRequestTimeStamp > Date.now()) {
    return fail(res, ResponseCode.SYSTEM_ERROR, `broker unable to service, until ${timeMillisToHumanString(cfg.startAcceptSendRequestTimeStamp)}`);
  }

  // msgCheck
  const existing = ctx.topics.get(topic);
  if (!isWriteable(cfg.brokerPermission) && existing?.order) {
    return fail(res, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] sending message is forbidden`);
  }
  if (topic !== lastValidTopic) {
    const bad = validateTopic(topic);
    if (bad) return fail(res, ResponseCode.INVALID_PARAMETER, bad);
    lastValidTopic = topic;
  }
  if (isNotAllowedSendTopic(topic)) return fail(res, ResponseCode.NO_PERMISSION, `Sending message to topic[${topic}] is forbidden.`);

  let tc: TopicConfig | undefined = existing;
  if (!tc) {
    const unit = h.unitMode === true;
    const retry = topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
    const topicSysFlag = unit ? (retry ? 0x2 : 0x1) : 0;
    ctx.logger.warn(`the topic ${topic} not exist, producer: ${ch.remoteAddr}`);
    tc = ctx.topics.createFromTemplate(topic, h.defaultTopic as string, h.defaultTopicQueueNums as number, topicSysFlag);
    if (!tc && retry) tc = ctx.topics.createWithoutTemplate(topic, 1, PERM_WRITE | PERM_READ, topicSysFlag);
    if (!tc) return fail(res, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!${APPLY_TOPIC_FAQ}`);
  }
  if (!isWriteable(tc.perm)) {
    return fail(res, ResponseCode.NO_PERMISSION, `the topic[${topic}] sending message is forbidden, perm ${tc.perm}`);
  }
  const queueIdRequested = h.queueId as number;
  const idValid = Math.max(tc.writeQueueNums, tc.readQueueNums);
  if (queueIdRequested >= idValid) {
    return fail(res, ResponseCode.SYSTEM_ERROR, `request queueId[${queueIdRequested}] is illegal, ${formatTopicConfig(tc)} Producer: ${ch.remoteAddr}`);
  }
  const queueId = queueIdRequested < 0 ? Math.floor(Math.random() * 99999999) % Math.max(1, tc.writeQueueNums) : queueIdRequested;

  const body = req.body ?? Buffer.alloc(0);
  if (h.batch === true || req.code === RequestCode.SEND_BATCH_MESSAGE) return sendBatch(ctx, res, h, tc, queueId, body, ch);
  if (body.length > cfg.maxMessageSize) return fail(res, ResponseCode.MESSAGE_ILLEGAL, illegalRemark(ctx));

  const props = string2messageProperties(h.properties ?? '');
  props[MessageConst.MSG_REGION] = cfg.regionId;
  props[MessageConst.TRACE_SWITCH] = String(cfg.traceOn);
  const msg: MessageExtBrokerInner = {
    topic,
    queueId,
    flag: h.flag as number,
    body,
    properties: props,
    sysFlag: h.sysFlag as number,
    bornTimestamp: h.bornTimestamp as number,
    bornHost: ch.remoteAddr,
    storeHost: ctx.storeHost,
    reconsumeTimes: h.reconsumeTimes ?? 0,
    preparedTransactionOffset: 0,
  };
  const redirected = handleRetryAndDLQ(ctx, req, h, msg, res);
  if (redirected) return redirected;
  if (tc.topicFilterType === 'MULTI_TAG') msg.sysFlag |= SysFlag.MULTI_TAGS;
  if (!props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX]) props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] = createUniqId();
  props[MessageConst.CLUSTER] = cfg.brokerClusterName;
  msg.tagsCode = tagsString2tagsCode(props[MessageConst.TAGS]);

  if (props[MessageConst.TRANSACTION_PREPARED] === 'true' && !(msg.reconsumeTimes > 0 && Number(props[MessageConst.DELAY_TIME_LEVEL] ?? 0) > 0)) {
    if (cfg.rejectTransactionMessage) {
      return fail(res, ResponseCode.NO_PERMISSION, `the broker[${cfg.brokerIP1}] sending transaction message is forbidden`);
    }
  }
  const uniqKey = props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX];
  for (const hook of ctx.sendMessageHooks) {
    const r = hook(msg, { producerGroup: h.producerGroup as string, batch: false });
    if (r) return fail(res, r.code, r.remark);
  }

  const begin = Date.now();
  let put: PutMessageResult;
  try {
    put = await ctx.store.putMessage(msg);
  } catch (e) {
    return fail(res, ResponseCode.SYSTEM_ERROR, `store putMessage failed: ${(e as Error).message}`);
  }
  return putResultResponse(ctx, res, put, msg.topic, queueId, uniqKey, begin);
}

/** Apache handleRetryAndDLQ: a %RETRY% send needs the group; past maxReconsumeTimes it goes to the DLQ. */
function handleRetryAndDLQ(ctx: BrokerContext, req: RemotingCommand, h: SendMessageRequestHeader, msg: MessageExtBrokerInner, res: RemotingCommand): RemotingCommand | null {
  if (!isRetryTopic(msg.topic)) return null;
  const group = msg.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
  const g = ctx.groups.findOrCreate(group);
  if (!g) return fail(res, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group} ${SUBSCRIPTION_GROUP_FAQ}`);
  let max = g.retryMaxTimes;
  if (req.version >= V3_4_9 && h.maxReconsumeTimes !== undefined) max = h.maxReconsumeTimes;
  const reconsume = h.reconsumeTimes ?? 0;
  const locked = ctx.isGroupLocked?.(group) ?? false;
  if (reconsume > max || locked) {
    const dlq = getDLQTopic(group);
    const dlqConfig = ctx.topics.createWithoutTemplate(dlq, 1, PERM_WRITE | PERM_READ, 0);
    if (!dlqConfig) return fail(res, ResponseCode.SYSTEM_ERROR, `topic[${dlq}] not exist`);
    msg.properties[MessageConst.DELAY_TIME_LEVEL] = '-1';
    msg.topic = dlq;
    msg.queueId = 0;
  }
  return null;
}

function illegalRemark(ctx: BrokerContext): string {
  return `the message is illegal, maybe msg body or properties length not matched. msg body length limit ${ctx.config.maxMessageSize}B, msg properties length limit 32KB.`;
}

async function sendBatch(ctx: BrokerContext, res: RemotingCommand, h: SendMessageRequestHeader, tc: TopicConfig, queueId: number,
  body: Buffer, ch: Channel): Promise<RemotingCommand> {
  const cfg = ctx.config;
  const topic = h.topic as string;
  if (topic.length > 127) return fail(res, ResponseCode.MESSAGE_ILLEGAL, `message topic length too long ${topic.length}`);
  if (isRetryTopic(topic)) return fail(res, ResponseCode.MESSAGE_ILLEGAL, `batch request does not support retry group ${topic}`);
  let entries;
  try {
    entries = decodeBatchBody(body);
  } catch (e) {
    return fail(res, ResponseCode.MESSAGE_ILLEGAL, `bad batch body: ${(e as Error).message}`);
  }
  if (entries.length === 0) return fail(res, ResponseCode.MESSAGE_ILLEGAL, 'empty batch');
  const outer = string2messageProperties(h.properties ?? '');
  // the batch's own id names the batch (transactionId); each inner message keeps its own UNIQ_KEY
  const batchUniq = outer[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX];
  delete outer[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX];
  let sysFlag = h.sysFlag as number;
  if (tc.topicFilterType === 'MULTI_TAG') sysFlag |= SysFlag.MULTI_TAGS;
  const msgs: MessageExtBrokerInner[] = [];
  for (const e of entries) {
    if (e.body.length > cfg.maxMessageSize) return fail(res, ResponseCode.MESSAGE_ILLEGAL, illegalRemark(ctx));
    const props = string2messageProperties(e.properties);
    for (const [k, v] of Object.entries(outer)) if (props[k] === undefined) props[k] = v;
    if (!props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX]) props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] = createUniqId();
    props[MessageConst.CLUSTER] = cfg.brokerClusterName;
    const m: MessageExtBrokerInner = {
      topic,
      queueId,
      flag: e.flag,
      body: e.body,
      properties: props,
      sysFlag,
      bornTimestamp: h.bornTimestamp as number,
      bornHost: ch.remoteAddr,
      storeHost: ctx.storeHost,
      reconsumeTimes: h.reconsumeTimes ?? 0,
      preparedTransactionOffset: 0,
      tagsCode: tagsString2tagsCode(props[MessageConst.TAGS]),
    };
    for (const hook of ctx.sendMessageHooks) {
      const r = hook(m, { producerGroup: h.producerGroup as string, batch: true });
      if (r) return fail(res, r.code, r.remark);
    }
    msgs.push(m);
  }
  const begin = Date.now();
  let put: PutMessageResult;
  try {
    put = await ctx.store.putMessages(msgs);
  } catch (e) {
    return fail(res, ResponseCode.SYSTEM_ERROR, `store putMessages failed: ${(e as Error).message}`);
  }
  return putResultResponse(ctx, res, put, topic, queueId, batchUniq, begin);
}

function putResultResponse(ctx: BrokerContext, res: RemotingCommand, put: PutMessageResult, topic: string, queueId: number,
  uniqKey: string | undefined, begin: number): RemotingCommand {
  let ok = false;
  switch (put.status) {
    case 'PUT_OK':
      res.code = ResponseCode.SUCCESS;
      ok = true;
      break;
    case 'FLUSH_DISK_TIMEOUT':
      res.code = ResponseCode.FLUSH_DISK_TIMEOUT;
      ok = true;
      break;
    case 'FLUSH_SLAVE_TIMEOUT':
      res.code = ResponseCode.FLUSH_SLAVE_TIMEOUT;
      ok = true;
      break;
    case 'SLAVE_NOT_AVAILABLE':
      res.code = ResponseCode.SLAVE_NOT_AVAILABLE;
      ok = true;
      break;
    case 'CREATE_MAPPED_FILE_FAILED':
      return fail(res, ResponseCode.SYSTEM_ERROR, 'create mapped file failed, server is busy or broken.');
    case 'MESSAGE_ILLEGAL':
    case 'PROPERTIES_SIZE_EXCEEDED':
      return fail(res, ResponseCode.MESSAGE_ILLEGAL, illegalRemark(ctx) + (put.remark ? ` (${put.remark})` : ''));
    case 'SERVICE_NOT_AVAILABLE':
      return fail(res, ResponseCode.SERVICE_NOT_AVAILABLE,
        `service not available now. It may be caused by one of the following reasons: the broker's disk is full, messages are put to the slave, message store has been shut down, etc.${put.remark ? ` (${put.remark})` : ''}`);
    case 'OS_PAGE_CACHE_BUSY':
      return fail(res, ResponseCode.SYSTEM_ERROR, '[PC_SYNCHRONIZED]broker busy, start flow control for a while');
    default:
      return fail(res, ResponseCode.SYSTEM_ERROR, put.remark ? `UNKNOWN_ERROR: ${put.remark}` : 'UNKNOWN_ERROR');
  }
  const ar = put.appendResult;
  if (!ok || !ar) return fail(res, ResponseCode.SYSTEM_ERROR, 'store putMessage returned no append result');
  ctx.stats.incPut(topic, ar.msgNum, ar.wroteBytes, Date.now() - begin);
  const ext = res.extFields as Record<string, string>;
  ext.msgId = ar.msgId;
  ext.queueId = String(queueId);
  ext.queueOffset = String(ar.logicsOffset);
  if (uniqKey) ext.transactionId = uniqKey;
  return res;
}
