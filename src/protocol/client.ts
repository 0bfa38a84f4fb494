/**
 * Broker -> client callbacks and the admin requests the broker forwards to clients (requests.md §4):
 * NOTIFY_CONSUMER_IDS_CHANGED, RESET_CONSUMER_CLIENT_OFFSET / INVOKE_BROKER_TO_RESET_OFFSET,
 * GET_CONSUMER_STATUS_FROM_CLIENT / INVOKE_BROKER_TO_GET_CONSUMER_STATUS, GET_CONSUMER_RUNNING_INFO,
 * CONSUME_MESSAGE_DIRECTLY, with the ConsumerRunningInfo and ConsumeMessageDirectlyResult bodies.
 */
import { putOwn } from './body.js';
import { javaDouble } from '../common/fastjson.js';
import { defineHeader } from './header.js';
import { type JsonObject, asArray, asBool, asNumber, asObject, asString, asStringMap, encodeJson, mapEntries, parseObjectBody } from './body.js';
import { type MessageQueue, messageQueueFromJson, messageQueueToJson } from './admin.js';
import { type SubscriptionData, subscriptionDataFromJson, subscriptionDataToJson } from './heartbeat.js';

export interface NotifyConsumerIdsChangedRequestHeader {
  consumerGroup?: string;
}
export const NotifyConsumerIdsChangedRequestHeader = defineHeader<NotifyConsumerIdsChangedRequestHeader>({
  consumerGroup: { type: 'string', required: true },
});

export interface ResetOffsetRequestHeader {
  topic?: string;
  group?: string;
  timestamp?: number;
  isForce?: boolean;
  queueId?: number;
  offset?: number;
}
export const ResetOffsetRequestHeader = defineHeader<ResetOffsetRequestHeader>({
  topic: { type: 'string', required: true },
  group: { type: 'string', required: true },
  timestamp: { type: 'long', required: true, primitive: 0 },
  isForce: { type: 'boolean', required: true, primitive: false },
  queueId: { type: 'int', primitive: -1 },
  offset: 'long',
});

export interface GetConsumerStatusRequestHeader {
  topic?: string;
  group?: string;
  clientAddr?: string;
}
export const GetConsumerStatusRequestHeader = defineHeader<GetConsumerStatusRequestHeader>({
  topic: { type: 'string', required: true },
  group: { type: 'string', required: true },
  clientAddr: 'string',
});

export interface GetConsumerRunningInfoRequestHeader {
  consumerGroup?: string;
  clientId?: string;
  jstackEnable?: boolean;
}
export const GetConsumerRunningInfoRequestHeader = defineHeader<GetConsumerRunningInfoRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  clientId: { type: 'string', required: true },
  jstackEnable: { type: 'boolean', primitive: false },
});

export interface ConsumeMessageDirectlyResultRequestHeader {
  consumerGroup?: string;
  clientId?: string;
  msgId?: string;
  brokerName?: string;
  topic?: string;
  topicSysFlag?: number;
  groupSysFlag?: number;
}
export const ConsumeMessageDirectlyResultRequestHeader = defineHeader<ConsumeMessageDirectlyResultRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  clientId: 'string',
  msgId: 'string',
  brokerName: 'string',
  topic: 'string',
  topicSysFlag: 'int',
  groupSysFlag: 'int',
});

export type CMResult = 'CR_SUCCESS' | 'CR_LATER' | 'CR_ROLLBACK' | 'CR_COMMIT' | 'CR_THROW_EXCEPTION' | 'CR_RETURN_NULL';

export interface ConsumeMessageDirectlyResult {
  order: boolean;
  autoCommit: boolean;
  consumeResult?: CMResult | string;
  remark?: string;
  spentTimeMills: number;
}
export function encodeConsumeMessageDirectlyResult(r: ConsumeMessageDirectlyResult): Buffer {
  return encodeJson({ autoCommit: r.autoCommit, consumeResult: r.consumeResult, order: r.order, remark: r.remark, spentTimeMills: r.spentTimeMills });
}
export function decodeConsumeMessageDirectlyResult(body: Buffer | string): ConsumeMessageDirectlyResult {
  const o = parseObjectBody(body, 'ConsumeMessageDirectlyResult');
  return {
    order: asBool(o.order, false),
    autoCommit: asBool(o.autoCommit, true),
    consumeResult: asString(o.consumeResult),
    remark: asString(o.remark),
    spentTimeMills: asNumber(o.spentTimeMills, 0),
  };
}

/** ConsumerRunningInfo property keys. */
export const ConsumerRunningInfoProps = {
  PROP_NAMESERVER_ADDR: 'PROP_NAMESERVER_ADDR',
  PROP_THREADPOOL_CORE_SIZE: 'PROP_THREADPOOL_CORE_SIZE',
  PROP_CONSUME_ORDERLY: 'PROP_CONSUMEORDERLY',
  PROP_CONSUME_TYPE: 'PROP_CONSUME_TYPE',
  PROP_CLIENT_VERSION: 'PROP_CLIENT_VERSION',
  PROP_CONSUMER_START_TIMESTAMP: 'PROP_CONSUMER_START_TIMESTAMP',
} as const;

/** ProcessQueueInfo: numbers and booleans passed through by name (commitOffset, cachedMsgCount, locked, ...). */
export type ProcessQueueInfo = Record<string, number | boolean>;

/** ConsumeStatus: pullRT, pullTPS, consumeRT, consumeOKTPS, consumeFailedTPS (doubles), consumeFailedMsgs (long). */
export type ConsumeStatus = Record<string, number>;

export interface ConsumerRunningInfo {
  properties: Record<string, string>;
  subscriptionSet: SubscriptionData[];
  mqTable: [MessageQueue, ProcessQueueInfo][];
  mqPopTable?: [MessageQueue, Record<string, unknown>][];
  statusTable: Record<string, ConsumeStatus>;
  userConsumerInfo?: Record<string, string>;
  jstack?: string;
}

const LONG_STATUS_KEYS = new Set(['consumeFailedMsgs']);

export function encodeConsumerRunningInfo(info: ConsumerRunningInfo): Buffer {
  const status: JsonObject = {};
  for (const [topic, st] of Object.entries(info.statusTable)) {
    const o: JsonObject = {};
    for (const [k, v] of Object.entries(st)) putOwn(o, k, LONG_STATUS_KEYS.has(k) ? v : javaDouble(v));
    putOwn(status, topic, o);
  }
  const mqMap = (entries: [MessageQueue, unknown][]): Map<JsonObject, unknown> => new Map(entries.map(([mq, v]) => [messageQueueToJson(mq), v]));
  return encodeJson({
    jstack: info.jstack,
    mqPopTable: info.mqPopTable ? mqMap(info.mqPopTable) : undefined,
    mqTable: mqMap(info.mqTable),
    properties: { ...info.properties },
    statusTable: status,
    subscriptionSet: info.subscriptionSet.map(subscriptionDataToJson),
    userConsumerInfo: info.userConsumerInfo,
  });
}

export function decodeConsumerRunningInfo(body: Buffer | string): ConsumerRunningInfo {
  const o = parseObjectBody(body, 'ConsumerRunningInfo');
  const status: Record<string, ConsumeStatus> = {};
  for (const [k, v] of mapEntries(o.statusTable)) {
    const st: ConsumeStatus = {};
    for (const [sk, sv] of mapEntries(v)) putOwn(st, String(sk), asNumber(sv, 0));
    putOwn(status, String(k), st);
  }
  const pqi = (v: unknown): ProcessQueueInfo => {
    const out: ProcessQueueInfo = {};
    for (const [k, x] of Object.entries(asObject(v) ?? {})) {
      if (typeof x === 'boolean') putOwn(out, k, x);
      else {
        const n = asNumber(x);
        if (n !== undefined) putOwn(out, k, n);
      }
    }
    return out;
  };
  const info: ConsumerRunningInfo = {
    properties: asStringMap(o.properties),
    subscriptionSet: asArray(o.subscriptionSet).map(subscriptionDataFromJson),
    mqTable: mapEntries(o.mqTable).map(([k, v]) => [messageQueueFromJson(k), pqi(v)]),
    statusTable: status,
  };
  if (o.mqPopTable !== undefined) info.mqPopTable = mapEntries(o.mqPopTable).map(([k, v]) => [messageQueueFromJson(k), asObject(v) ?? {}]);
  if (o.userConsumerInfo !== undefined) info.userConsumerInfo = asStringMap(o.userConsumerInfo);
  const js = asString(o.jstack);
  if (js !== undefined) info.jstack = js;
  return info;
}
