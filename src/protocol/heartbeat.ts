/**
 * HEART_BEAT body (HeartbeatData) and the client-registration headers (requests.md §4).
 * Member names are exactly Java's: clientID (capital ID), producerDataSet, consumerDataSet, subscriptionDataSet.
 */
import { defineHeader } from './header.js';
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
  encodeJson,
  parseObjectBody,
} from './body.js';

export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY' | 'CONSUME_POP';
export type MessageModel = 'BROADCASTING' | 'CLUSTERING';
export type ConsumeFromWhere =
  | 'CONSUME_FROM_LAST_OFFSET'
  | 'CONSUME_FROM_FIRST_OFFSET'
  | 'CONSUME_FROM_TIMESTAMP'
  | 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST'
  | 'CONSUME_FROM_MIN_OFFSET'
  | 'CONSUME_FROM_MAX_OFFSET';

export interface SubscriptionData {
  topic: string;
  subString: string;
  tagsSet: string[];
  codeSet: number[];
  subVersion: number;
  expressionType: string;
  classFilterMode: boolean;
  filterClassSource?: string;
}

export interface ProducerData {
  groupName: string;
}

export interface ConsumerData {
  groupName: string;
  consumeType: ConsumeType | string;
  messageModel: MessageModel | string;
  consumeFromWhere: ConsumeFromWhere | string;
  subscriptionDataSet: SubscriptionData[];
  unitMode: boolean;
}

export interface HeartbeatData {
  clientID: string;
  producerDataSet: ProducerData[];
  consumerDataSet: ConsumerData[];
  /** 5.x: != 0 selects heartbeat V2. */
  heartbeatFingerprint?: number;
  /** 5.x getter-only property. */
  withoutSub?: boolean;
}

export function subscriptionDataToJson(s: SubscriptionData): JsonObject {
  return {
    classFilterMode: s.classFilterMode,
    codeSet: [...s.codeSet],
    expressionType: s.expressionType,
    filterClassSource: s.filterClassSource,
    subString: s.subString,
    subVersion: s.subVersion,
    tagsSet: [...s.tagsSet],
    topic: s.topic,
  };
}

export function subscriptionDataFromJson(v: unknown): SubscriptionData {
  const o = asObject(v) ?? {};
  const s: SubscriptionData = {
    topic: asString(o.topic) ?? '',
    subString: asString(o.subString) ?? '*',
    tagsSet: asStringArray(o.tagsSet),
    codeSet: asArray(o.codeSet).map((x) => asInt(x, 0)),
    subVersion: asNumber(o.subVersion, 0),
    expressionType: asString(o.expressionType) ?? 'TAG',
    classFilterMode: asBool(o.classFilterMode, false),
  };
  const fcs = asString(o.filterClassSource);
  if (fcs !== undefined) s.filterClassSource = fcs;
  return s;
}

function consumerDataToJson(c: ConsumerData): JsonObject {
  return {
    consumeFromWhere: c.consumeFromWhere,
    consumeType: c.consumeType,
    groupName: c.groupName,
    messageModel: c.messageModel,
    subscriptionDataSet: c.subscriptionDataSet.map(subscriptionDataToJson),
    unitMode: c.unitMode,
  };
}

function consumerDataFromJson(v: unknown): ConsumerData {
  const o = asObject(v) ?? {};
  return {
    groupName: asString(o.groupName) ?? '',
    consumeType: asString(o.consumeType) ?? 'CONSUME_PASSIVELY',
    messageModel: asString(o.messageModel) ?? 'CLUSTERING',
    consumeFromWhere: asString(o.consumeFromWhere) ?? 'CONSUME_FROM_LAST_OFFSET',
    subscriptionDataSet: asArray(o.subscriptionDataSet).map(subscriptionDataFromJson),
    unitMode: asBool(o.unitMode, false),
  };
}

/** `legacy` = 4.9.8 shape (clientID, consumerDataSet, producerDataSet only). */
export function encodeHeartbeatData(h: HeartbeatData, opts: EncodeOptions & { legacy?: boolean } = {}): Buffer {
  const o: JsonObject = {
    clientID: h.clientID,
    consumerDataSet: h.consumerDataSet.map(consumerDataToJson),
    producerDataSet: h.producerDataSet.map((p) => ({ groupName: p.groupName })),
  };
  if (!opts.legacy) {
    o.heartbeatFingerprint = h.heartbeatFingerprint ?? 0;
    o.withoutSub = h.withoutSub ?? false;
  }
  return encodeJson(o, opts);
}

export function decodeHeartbeatData(body: Buffer | string): HeartbeatData {
  const o = parseObjectBody(body, 'HeartbeatData');
  const h: HeartbeatData = {
    clientID: asString(o.clientID) ?? '',
    producerDataSet: asArray(o.producerDataSet).map((p) => ({ groupName: asString(asObject(p)?.groupName) ?? '' })),
    consumerDataSet: asArray(o.consumerDataSet).map(consumerDataFromJson),
  };
  const fp = asNumber(o.heartbeatFingerprint);
  if (fp !== undefined) h.heartbeatFingerprint = fp;
  const ws = asBool(o.withoutSub);
  if (ws !== undefined) h.withoutSub = ws;
  return h;
}

export interface UnregisterClientRequestHeader {
  clientID?: string;
  producerGroup?: string;
  consumerGroup?: string;
}
export const UnregisterClientRequestHeader = defineHeader<UnregisterClientRequestHeader>({
  clientID: { type: 'string', required: true },
  producerGroup: 'string',
  consumerGroup: 'string',
});

export interface GetConsumerListByGroupRequestHeader {
  consumerGroup?: string;
}
export const GetConsumerListByGroupRequestHeader = defineHeader<GetConsumerListByGroupRequestHeader>({
  consumerGroup: { type: 'string', required: true },
});

export interface CheckClientConfigBody {
  clientId: string;
  group: string;
  namespace?: string;
  subscriptionData?: SubscriptionData;
}
export function encodeCheckClientConfigBody(b: CheckClientConfigBody): Buffer {
  return encodeJson({
    clientId: b.clientId,
    group: b.group,
    namespace: b.namespace,
    subscriptionData: b.subscriptionData ? subscriptionDataToJson(b.subscriptionData) : undefined,
  });
}
export function decodeCheckClientConfigBody(body: Buffer | string): CheckClientConfigBody {
  const o = parseObjectBody(body, 'CheckClientConfigBody');
  return {
    clientId: asString(o.clientId) ?? '',
    group: asString(o.group) ?? '',
    namespace: asString(o.namespace),
    subscriptionData: o.subscriptionData ? subscriptionDataFromJson(o.subscriptionData) : undefined,
  };
}
