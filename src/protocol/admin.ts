/**
 * Admin bodies (requests.md §6–7): KVTable, TopicList, GroupList, topic/group config tables, stats,
 * connections, consume-queue queries, reset-offset and lock bodies.
 */
import { putOwn } from './body.js';
import { javaDouble } from '../common/fastjson.js';
import {
  type EncodeOptions,
  type JsonObject,
  asArray,
  asBool,
  asInt,
  asNumber,
  asObject,
  asString,
  asStringArray,
  asStringMap,
  encodeJson,
  mapEntries,
  parseObjectBody,
} from './body.js';
import { type DataVersion, dataVersionFromJson, dataVersionToJson, newDataVersion } from './route.js';
import { type SubscriptionData, subscriptionDataFromJson, subscriptionDataToJson } from './heartbeat.js';

// ---------------------------------------------------------------- KVTable / TopicList / GroupList

export interface KVTable {
  table: Record<string, string>;
}
export function encodeKVTable(t: KVTable, opts: EncodeOptions = {}): Buffer {
  return encodeJson({ table: { ...t.table } }, opts);
}
export function decodeKVTable(body: Buffer | string): KVTable {
  return { table: asStringMap(parseObjectBody(body, 'KVTable').table) };
}

export interface TopicList {
  topicList: string[];
  brokerAddr?: string;
}
export function encodeTopicList(t: TopicList, opts: EncodeOptions = {}): Buffer {
  const o: JsonObject = { topicList: [...t.topicList] };
  if (t.brokerAddr !== undefined) o.brokerAddr = t.brokerAddr;
  return encodeJson(o, opts);
}
export function decodeTopicList(body: Buffer | string): TopicList {
  const o = parseObjectBody(body, 'TopicList');
  const t: TopicList = { topicList: asStringArray(o.topicList) };
  const a = asString(o.brokerAddr);
  if (a !== undefined) t.brokerAddr = a;
  return t;
}

export interface GroupList {
  groupList: string[];
}
export function encodeGroupList(g: GroupList): Buffer {
  return encodeJson({ groupList: [...g.groupList] });
}
export function decodeGroupList(body: Buffer | string): GroupList {
  return { groupList: asStringArray(parseObjectBody(body, 'GroupList').groupList) };
}

// ---------------------------------------------------------------- MessageQueue keyed maps

export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

export function messageQueueToJson(mq: MessageQueue): JsonObject {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}
export function messageQueueFromJson(v: unknown): MessageQueue {
  let o = asObject(v);
  // a key given as canonical JSON text (parser 'string' mode, or standard-JSON writers)
  if (!o && typeof v === 'string' && v.startsWith('{')) o = parseObjectBody(v, 'MessageQueue');
  o = o ?? {};
  return { topic: asString(o.topic) ?? '', brokerName: asString(o.brokerName) ?? '', queueId: asInt(o.queueId, 0) };
}
export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

/** A Java Map<MessageQueue, V>: object keys written as JSON objects, queues in (topic, broker, id) order. */
function mqMap<V>(entries: [MessageQueue, V][], val: (v: V) => unknown): Map<JsonObject, unknown> {
  const sorted = [...entries].sort(([a], [b]) =>
    a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.brokerName !== b.brokerName ? (a.brokerName < b.brokerName ? -1 : 1) : a.queueId - b.queueId,
  );
  return new Map(sorted.map(([mq, v]) => [messageQueueToJson(mq), val(v)]));
}
function mqEntries<V>(v: unknown, val: (x: unknown) => V): [MessageQueue, V][] {
  return mapEntries(v).map(([k, x]) => [messageQueueFromJson(k), val(x)]);
}

// ---------------------------------------------------------------- TopicStatsTable

export interface TopicOffset {
  minOffset: number;
  maxOffset: number;
  lastUpdateTimestamp: number;
}
export interface TopicStatsTable {
  offsetTable: [MessageQueue, TopicOffset][];
  topicPutTps: number;
}
export function encodeTopicStatsTable(t: TopicStatsTable): Buffer {
  return encodeJson({
    offsetTable: mqMap(t.offsetTable, (o) => ({ lastUpdateTimestamp: o.lastUpdateTimestamp, maxOffset: o.maxOffset, minOffset: o.minOffset })),
    topicPutTps: javaDouble(t.topicPutTps),
  });
}
export function decodeTopicStatsTable(body: Buffer | string): TopicStatsTable {
  const o = parseObjectBody(body, 'TopicStatsTable');
  return {
    offsetTable: mqEntries(o.offsetTable, (x) => {
      const e = asObject(x) ?? {};
      return { minOffset: asNumber(e.minOffset, 0), maxOffset: asNumber(e.maxOffset, 0), lastUpdateTimestamp: asNumber(e.lastUpdateTimestamp, 0) };
    }),
    topicPutTps: asNumber(o.topicPutTps, 0),
  };
}

// ---------------------------------------------------------------- ConsumeStats

export interface OffsetWrapper {
  brokerOffset: number;
  consumerOffset: number;
  pullOffset: number;
  lastTimestamp: number;
}
export interface ConsumeStats {
  offsetTable: [MessageQueue, OffsetWrapper][];
  consumeTps: number;
}
export function encodeConsumeStats(s: ConsumeStats): Buffer {
  return encodeJson({
    consumeTps: javaDouble(s.consumeTps),
    offsetTable: mqMap(s.offsetTable, (o) => ({
      brokerOffset: o.brokerOffset,
      consumerOffset: o.consumerOffset,
      lastTimestamp: o.lastTimestamp,
      pullOffset: o.pullOffset,
    })),
  });
}
export function decodeConsumeStats(body: Buffer | string): ConsumeStats {
  const o = parseObjectBody(body, 'ConsumeStats');
  return {
    consumeTps: asNumber(o.consumeTps, 0),
    offsetTable: mqEntries(o.offsetTable, (x) => {
      const e = asObject(x) ?? {};
      return {
        brokerOffset: asNumber(e.brokerOffset, 0),
        consumerOffset: asNumber(e.consumerOffset, 0),
        pullOffset: asNumber(e.pullOffset, 0),
        lastTimestamp: asNumber(e.lastTimestamp, 0),
      };
    }),
  };
}

// ---------------------------------------------------------------- Connections

export interface Connection {
  clientId: string;
  clientAddr: string;
  language: string;
  version: number;
}
function connectionToJson(c: Connection): JsonObject {
  return { clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version };
}
function connectionFromJson(v: unknown): Connection {
  const o = asObject(v) ?? {};
  return { clientId: asString(o.clientId) ?? '', clientAddr: asString(o.clientAddr) ?? '', language: asString(o.language) ?? 'JAVA', version: asInt(o.version, 0) };
}

export interface ConsumerConnection {
  connectionSet: Connection[];
  subscriptionTable: Record<string, SubscriptionData>;
  consumeType?: string;
  messageModel?: string;
  consumeFromWhere?: string;
}
export function encodeConsumerConnection(c: ConsumerConnection): Buffer {
  const subs: JsonObject = {};
  for (const [t, sd] of Object.entries(c.subscriptionTable)) putOwn(subs, t, subscriptionDataToJson(sd));
  return encodeJson({
    connectionSet: c.connectionSet.map(connectionToJson),
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    messageModel: c.messageModel,
    subscriptionTable: subs,
  });
}
export function decodeConsumerConnection(body: Buffer | string): ConsumerConnection {
  const o = parseObjectBody(body, 'ConsumerConnection');
  const subs: Record<string, SubscriptionData> = {};
  for (const [k, v] of mapEntries(o.subscriptionTable)) putOwn(subs, String(k), subscriptionDataFromJson(v));
  return {
    connectionSet: asArray(o.connectionSet).map(connectionFromJson),
    subscriptionTable: subs,
    consumeType: asString(o.consumeType),
    messageModel: asString(o.messageModel),
    consumeFromWhere: asString(o.consumeFromWhere),
  };
}

export interface ProducerConnection {
  connectionSet: Connection[];
}
export function encodeProducerConnection(p: ProducerConnection): Buffer {
  return encodeJson({ connectionSet: p.connectionSet.map(connectionToJson) });
}
export function decodeProducerConnection(body: Buffer | string): ProducerConnection {
  return { connectionSet: asArray(parseObjectBody(body, 'ProducerConnection').connectionSet).map(connectionFromJson) };
}

export interface ConsumerIdList {
  consumerIdList: string[];
}
export function encodeConsumerIdList(l: ConsumerIdList): Buffer {
  return encodeJson({ consumerIdList: [...l.consumerIdList] });
}
export function decodeConsumerIdList(body: Buffer | string): ConsumerIdList {
  return { consumerIdList: asStringArray(parseObjectBody(body, 'GetConsumerListByGroupResponseBody').consumerIdList) };
}

// ---------------------------------------------------------------- SubscriptionGroupConfig / wrappers

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  consumeMessageOrderly: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
  groupSysFlag: number;
  consumeTimeoutMinute: number;
  subscriptionDataSet?: unknown[];
  attributes: Record<string, string>;
  /** 5.x GroupRetryPolicy, kept as JSON (default `{"type":"CUSTOMIZED"}`). */
  groupRetryPolicy?: Record<string, unknown>;
}

export function newSubscriptionGroupConfig(groupName: string, p: Partial<SubscriptionGroupConfig> = {}): SubscriptionGroupConfig {
  return {
    groupName,
    consumeEnable: p.consumeEnable ?? true,
    consumeFromMinEnable: p.consumeFromMinEnable ?? true,
    consumeBroadcastEnable: p.consumeBroadcastEnable ?? true,
    consumeMessageOrderly: p.consumeMessageOrderly ?? false,
    retryQueueNums: p.retryQueueNums ?? 1,
    retryMaxTimes: p.retryMaxTimes ?? 16,
    brokerId: p.brokerId ?? 0,
    whichBrokerWhenConsumeSlowly: p.whichBrokerWhenConsumeSlowly ?? 1,
    notifyConsumerIdsChangedEnable: p.notifyConsumerIdsChangedEnable ?? true,
    groupSysFlag: p.groupSysFlag ?? 0,
    consumeTimeoutMinute: p.consumeTimeoutMinute ?? 15,
    subscriptionDataSet: p.subscriptionDataSet,
    attributes: p.attributes ?? {},
    groupRetryPolicy: p.groupRetryPolicy,
  };
}

export function subscriptionGroupConfigToJson(g: SubscriptionGroupConfig, opts: { legacy?: boolean } = {}): JsonObject {
  // 4.9.8 groups have only these nine members (storage.md §9)
  const o: JsonObject = {
    brokerId: g.brokerId,
    consumeBroadcastEnable: g.consumeBroadcastEnable,
    consumeEnable: g.consumeEnable,
    consumeFromMinEnable: g.consumeFromMinEnable,
    groupName: g.groupName,
    notifyConsumerIdsChangedEnable: g.notifyConsumerIdsChangedEnable,
    retryMaxTimes: g.retryMaxTimes,
    retryQueueNums: g.retryQueueNums,
    whichBrokerWhenConsumeSlowly: g.whichBrokerWhenConsumeSlowly,
  };
  if (!opts.legacy) {
    o.attributes = { ...g.attributes };
    o.consumeMessageOrderly = g.consumeMessageOrderly;
    o.consumeTimeoutMinute = g.consumeTimeoutMinute;
    o.groupRetryPolicy = g.groupRetryPolicy ?? { type: 'CUSTOMIZED' };
    o.groupSysFlag = g.groupSysFlag;
    if (g.subscriptionDataSet !== undefined) o.subscriptionDataSet = g.subscriptionDataSet;
  }
  return o;
}

export function subscriptionGroupConfigFromJson(v: unknown, nameHint?: string): SubscriptionGroupConfig {
  const o = asObject(v) ?? {};
  return newSubscriptionGroupConfig(asString(o.groupName) ?? nameHint ?? '', {
    consumeEnable: asBool(o.consumeEnable, true),
    consumeFromMinEnable: asBool(o.consumeFromMinEnable, true),
    consumeBroadcastEnable: asBool(o.consumeBroadcastEnable, true),
    consumeMessageOrderly: asBool(o.consumeMessageOrderly, false),
    retryQueueNums: asInt(o.retryQueueNums, 1),
    retryMaxTimes: asInt(o.retryMaxTimes, 16),
    brokerId: asInt(o.brokerId, 0),
    whichBrokerWhenConsumeSlowly: asInt(o.whichBrokerWhenConsumeSlowly, 1),
    notifyConsumerIdsChangedEnable: asBool(o.notifyConsumerIdsChangedEnable, true),
    groupSysFlag: asInt(o.groupSysFlag, 0),
    consumeTimeoutMinute: asInt(o.consumeTimeoutMinute, 15),
    subscriptionDataSet: Array.isArray(o.subscriptionDataSet) ? o.subscriptionDataSet : undefined,
    attributes: asStringMap(o.attributes),
    groupRetryPolicy: asObject(o.groupRetryPolicy),
  });
}

export function encodeSubscriptionGroupConfig(g: SubscriptionGroupConfig, opts: EncodeOptions & { legacy?: boolean } = {}): Buffer {
  return encodeJson(subscriptionGroupConfigToJson(g, opts), opts);
}
export function decodeSubscriptionGroupConfig(body: Buffer | string): SubscriptionGroupConfig {
  return subscriptionGroupConfigFromJson(parseObjectBody(body, 'SubscriptionGroupConfig'));
}

export interface SubscriptionGroupWrapper {
  subscriptionGroupTable: Record<string, SubscriptionGroupConfig>;
  dataVersion: DataVersion;
  /** 5.x: group -> topic -> forbidden bits. */
  forbiddenTable?: Record<string, Record<string, number>>;
}
export function encodeSubscriptionGroupWrapper(w: SubscriptionGroupWrapper, opts: EncodeOptions & { legacy?: boolean } = {}): Buffer {
  const table: JsonObject = {};
  for (const [k, g] of Object.entries(w.subscriptionGroupTable)) putOwn(table, k, subscriptionGroupConfigToJson(g, opts));
  const o: JsonObject = { dataVersion: dataVersionToJson(w.dataVersion, opts), subscriptionGroupTable: table };
  if (!opts.legacy) o.forbiddenTable = w.forbiddenTable ?? {};
  return encodeJson(o, opts);
}
export function decodeSubscriptionGroupWrapper(body: Buffer | string): SubscriptionGroupWrapper {
  const o = parseObjectBody(body, 'SubscriptionGroupWrapper');
  const table: Record<string, SubscriptionGroupConfig> = {};
  for (const [k, v] of mapEntries(o.subscriptionGroupTable)) putOwn(table, String(k), subscriptionGroupConfigFromJson(v, String(k)));
  const forbidden: Record<string, Record<string, number>> = {};
  for (const [g, m] of mapEntries(o.forbiddenTable)) {
    const inner: Record<string, number> = {};
    for (const [t, n] of mapEntries(m)) putOwn(inner, String(t), asInt(n, 0));
    putOwn(forbidden, String(g), inner);
  }
  return { subscriptionGroupTable: table, dataVersion: o.dataVersion ? dataVersionFromJson(o.dataVersion) : newDataVersion(0), forbiddenTable: forbidden };
}

// ---------------------------------------------------------------- Offsets tables (GET_ALL_CONSUMER_OFFSET / DELAY)

/** consumerOffset.json `offsetTable`: "topic@group" -> {queueId: offset} (Integer keys, unquoted). */
export interface ConsumerOffsetSerializeWrapper {
  offsetTable: Record<string, Map<number, number>>;
}
export function encodeConsumerOffsetWrapper(w: ConsumerOffsetSerializeWrapper, opts: EncodeOptions = {}): Buffer {
  const t: JsonObject = {};
  for (const [k, m] of Object.entries(w.offsetTable)) putOwn(t, k, new Map([...m.entries()].sort((a, b) => a[0] - b[0])));
  return encodeJson({ offsetTable: t }, opts);
}
export function decodeConsumerOffsetWrapper(body: Buffer | string): ConsumerOffsetSerializeWrapper {
  const o = parseObjectBody(body, 'ConsumerOffsetSerializeWrapper');
  const t: Record<string, Map<number, number>> = {};
  for (const [k, v] of mapEntries(o.offsetTable)) {
    const m = new Map<number, number>();
    for (const [q, off] of mapEntries(v)) m.set(asInt(q, 0), asNumber(off, 0));
    putOwn(t, String(k), m);
  }
  return { offsetTable: t };
}

// ---------------------------------------------------------------- QUERY_CONSUME_QUEUE

export interface ConsumeQueueData {
  physicOffset: number;
  physicSize: number;
  tagsCode: number;
  extendDataJson?: string;
  bitMap?: string;
  eval: boolean;
  msg?: string;
}
export interface QueryConsumeQueueResponseBody {
  subscriptionData?: SubscriptionData;
  filterData?: string;
  queueData: ConsumeQueueData[];
  maxQueueIndex: number;
  minQueueIndex: number;
}
export function encodeQueryConsumeQueueResponseBody(b: QueryConsumeQueueResponseBody): Buffer {
  return encodeJson({
    filterData: b.filterData,
    maxQueueIndex: b.maxQueueIndex,
    minQueueIndex: b.minQueueIndex,
    queueData: b.queueData.map((q) => ({
      bitMap: q.bitMap,
      eval: q.eval,
      extendDataJson: q.extendDataJson,
      msg: q.msg,
      physicOffset: q.physicOffset,
      physicSize: q.physicSize,
      tagsCode: q.tagsCode,
    })),
    subscriptionData: b.subscriptionData ? subscriptionDataToJson(b.subscriptionData) : undefined,
  });
}
export function decodeQueryConsumeQueueResponseBody(body: Buffer | string): QueryConsumeQueueResponseBody {
  const o = parseObjectBody(body, 'QueryConsumeQueueResponseBody');
  return {
    subscriptionData: o.subscriptionData ? subscriptionDataFromJson(o.subscriptionData) : undefined,
    filterData: asString(o.filterData),
    maxQueueIndex: asNumber(o.maxQueueIndex, 0),
    minQueueIndex: asNumber(o.minQueueIndex, 0),
    queueData: asArray(o.queueData).map((x) => {
      const q = asObject(x) ?? {};
      return {
        physicOffset: asNumber(q.physicOffset, 0),
        physicSize: asInt(q.physicSize, 0),
        tagsCode: asNumber(q.tagsCode, 0),
        extendDataJson: asString(q.extendDataJson),
        bitMap: asString(q.bitMap),
        eval: asBool(q.eval, false),
        msg: asString(q.msg),
      };
    }),
  };
}

// ---------------------------------------------------------------- ResetOffsetBody / consumer status

export interface ResetOffsetBody {
  offsetTable: [MessageQueue, number][];
}
export function encodeResetOffsetBody(b: ResetOffsetBody): Buffer {
  return encodeJson({ offsetTable: mqMap(b.offsetTable, (n) => n) });
}
/** The ResetOffsetBodyForC form sent when the 222 request came from a CPP client. */
export function encodeResetOffsetBodyForC(b: ResetOffsetBody): Buffer {
  return encodeJson({ offsetTable: b.offsetTable.map(([mq, offset]) => ({ ...messageQueueToJson(mq), offset })) });
}
export function decodeResetOffsetBody(body: Buffer | string): ResetOffsetBody {
  const o = parseObjectBody(body, 'ResetOffsetBody');
  if (Array.isArray(o.offsetTable)) {
    return {
      offsetTable: o.offsetTable.map((x) => {
        const e = asObject(x) ?? {};
        return [messageQueueFromJson(e), asNumber(e.offset, 0)] as [MessageQueue, number];
      }),
    };
  }
  return { offsetTable: mqEntries(o.offsetTable, (x) => asNumber(x, 0)) };
}

export interface GetConsumerStatusBody {
  messageQueueTable: [MessageQueue, number][];
  consumerTable: Record<string, [MessageQueue, number][]>;
}
export function encodeGetConsumerStatusBody(b: GetConsumerStatusBody): Buffer {
  const ct: JsonObject = {};
  for (const [cid, t] of Object.entries(b.consumerTable)) putOwn(ct, cid, mqMap(t, (n) => n));
  return encodeJson({ consumerTable: ct, messageQueueTable: mqMap(b.messageQueueTable, (n) => n) });
}
export function decodeGetConsumerStatusBody(body: Buffer | string): GetConsumerStatusBody {
  const o = parseObjectBody(body, 'GetConsumerStatusBody');
  const ct: Record<string, [MessageQueue, number][]> = {};
  for (const [k, v] of mapEntries(o.consumerTable)) putOwn(ct, String(k), mqEntries(v, (x) => asNumber(x, 0)));
  return { messageQueueTable: mqEntries(o.messageQueueTable, (x) => asNumber(x, 0)), consumerTable: ct };
}

// ---------------------------------------------------------------- LOCK_BATCH_MQ / UNLOCK_BATCH_MQ

export interface LockBatchRequestBody {
  consumerGroup: string;
  clientId: string;
  mqSet: MessageQueue[];
  /** 5.x only. */
  onlyThisBroker?: boolean;
}
export function encodeLockBatchRequestBody(b: LockBatchRequestBody, opts: { legacy?: boolean } = {}): Buffer {
  const o: JsonObject = { clientId: b.clientId, consumerGroup: b.consumerGroup, mqSet: b.mqSet.map(messageQueueToJson) };
  if (!opts.legacy) o.onlyThisBroker = b.onlyThisBroker ?? false;
  return encodeJson(o);
}
export function decodeLockBatchRequestBody(body: Buffer | string): LockBatchRequestBody {
  const o = parseObjectBody(body, 'LockBatchRequestBody');
  return {
    consumerGroup: asString(o.consumerGroup) ?? '',
    clientId: asString(o.clientId) ?? '',
    mqSet: asArray(o.mqSet).map(messageQueueFromJson),
    onlyThisBroker: asBool(o.onlyThisBroker, false),
  };
}
/** UNLOCK_BATCH_MQ has the same body shape. */
export const encodeUnlockBatchRequestBody = encodeLockBatchRequestBody;
export const decodeUnlockBatchRequestBody = decodeLockBatchRequestBody;

export interface LockBatchResponseBody {
  lockOKMQSet: MessageQueue[];
}
export function encodeLockBatchResponseBody(b: LockBatchResponseBody): Buffer {
  return encodeJson({ lockOKMQSet: b.lockOKMQSet.map(messageQueueToJson) });
}
export function decodeLockBatchResponseBody(body: Buffer | string): LockBatchResponseBody {
  return { lockOKMQSet: asArray(parseObjectBody(body, 'LockBatchResponseBody').lockOKMQSet).map(messageQueueFromJson) };
}

// ---------------------------------------------------------------- Broker stats

export interface BrokerStatsItem {
  sum: number;
  tps: number;
  avgpt: number;
}
export interface BrokerStatsData {
  statsMinute: BrokerStatsItem;
  statsHour: BrokerStatsItem;
  statsDay: BrokerStatsItem;
}
function statsItemToJson(i: BrokerStatsItem): JsonObject {
  return { avgpt: javaDouble(i.avgpt), sum: i.sum, tps: javaDouble(i.tps) };
}
function statsItemFromJson(v: unknown): BrokerStatsItem {
  const o = asObject(v) ?? {};
  return { sum: asNumber(o.sum, 0), tps: asNumber(o.tps, 0), avgpt: asNumber(o.avgpt, 0) };
}
export function encodeBrokerStatsData(d: BrokerStatsData): Buffer {
  return encodeJson({ statsDay: statsItemToJson(d.statsDay), statsHour: statsItemToJson(d.statsHour), statsMinute: statsItemToJson(d.statsMinute) });
}
export function decodeBrokerStatsData(body: Buffer | string): BrokerStatsData {
  const o = parseObjectBody(body, 'BrokerStatsData');
  return { statsMinute: statsItemFromJson(o.statsMinute), statsHour: statsItemFromJson(o.statsHour), statsDay: statsItemFromJson(o.statsDay) };
}

// ---------------------------------------------------------------- QUERY_CONSUME_TIME_SPAN / CLONE etc.

export interface QueueTimeSpan {
  messageQueue: MessageQueue;
  minTimeStamp: number;
  maxTimeStamp: number;
  consumeTimeStamp: number;
  delayTime: number;
}
export function encodeQueryConsumeTimeSpanBody(spans: QueueTimeSpan[]): Buffer {
  return encodeJson({
    consumeTimeSpanSet: spans.map((s) => ({
      consumeTimeStamp: s.consumeTimeStamp,
      delayTime: s.delayTime,
      maxTimeStamp: s.maxTimeStamp,
      messageQueue: messageQueueToJson(s.messageQueue),
      minTimeStamp: s.minTimeStamp,
    })),
  });
}
export function decodeQueryConsumeTimeSpanBody(body: Buffer | string): QueueTimeSpan[] {
  return asArray(parseObjectBody(body, 'QueryConsumeTimeSpanBody').consumeTimeSpanSet).map((x) => {
    const o = asObject(x) ?? {};
    return {
      messageQueue: messageQueueFromJson(o.messageQueue),
      minTimeStamp: asNumber(o.minTimeStamp, 0),
      maxTimeStamp: asNumber(o.maxTimeStamp, 0),
      consumeTimeStamp: asNumber(o.consumeTimeStamp, 0),
      delayTime: asNumber(o.delayTime, 0),
    };
  });
}


