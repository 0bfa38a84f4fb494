/**
 * Producing (requests.md §3): SEND_MESSAGE (V1 named fields), SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE
 * (one-letter keys a..n), SEND_REPLY_MESSAGE(_V2), the send response, CONSUMER_SEND_MSG_BACK and
 * PUSH_REPLY_MESSAGE_TO_CLIENT.
 */
import { RequestCode } from './codes.js';
import { type DecodeOptions, type FieldDef, defineHeader } from './header.js';
import { type RpcHeaderBase, RPC_BASE_SPEC } from './rpc.js';

/** The message fields SEND_MESSAGE and SEND_REPLY-style headers share, in Java's order. */
interface MessageHeaderFields {
  producerGroup?: string;
  topic?: string;
  defaultTopic?: string;
  defaultTopicQueueNums?: number;
  queueId?: number;
  sysFlag?: number;
  bornTimestamp?: number;
  flag?: number;
  properties?: string;
  reconsumeTimes?: number;
  unitMode?: boolean;
}

/** Field specs of MessageHeaderFields but unitMode, whose Java type (boolean or Boolean) differs per header. */
const MESSAGE_FIELDS: { [K in Exclude<keyof MessageHeaderFields, 'unitMode'>]-?: FieldDef } = {
  producerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  defaultTopic: { type: 'string', required: true },
  defaultTopicQueueNums: { type: 'int', required: true },
  queueId: { type: 'int', required: true },
  sysFlag: { type: 'int', required: true },
  bornTimestamp: { type: 'long', required: true },
  flag: { type: 'int', required: true },
  properties: 'string',
  reconsumeTimes: 'int',
};

export interface SendMessageRequestHeader extends RpcHeaderBase, MessageHeaderFields {
  batch?: boolean;
  maxReconsumeTimes?: number;
}

const V1_FIELDS: { [K in keyof SendMessageRequestHeader]-?: FieldDef } = {
  ...MESSAGE_FIELDS,
  unitMode: 'boolean',
  batch: 'boolean',
  maxReconsumeTimes: 'int',
  ...RPC_BASE_SPEC,
};

/** SEND_MESSAGE (10) / SEND_REPLY_MESSAGE (324): named keys. */
export const SendMessageRequestHeader = defineHeader<SendMessageRequestHeader>(V1_FIELDS);

/** The V1 <-> V2 key mapping (requests.md §3 table). */
export const SEND_V2_KEYS = {
  producerGroup: 'a',
  topic: 'b',
  defaultTopic: 'c',
  defaultTopicQueueNums: 'd',
  queueId: 'e',
  sysFlag: 'f',
  bornTimestamp: 'g',
  flag: 'h',
  properties: 'i',
  reconsumeTimes: 'j',
  unitMode: 'k',
  maxReconsumeTimes: 'l',
  batch: 'm',
  brokerName: 'n',
} as const;

const V2_FIELDS: { [K in keyof SendMessageRequestHeader]-?: FieldDef } = {
  producerGroup: { type: 'string', required: true, key: 'a' },
  topic: { type: 'string', required: true, key: 'b' },
  defaultTopic: { type: 'string', required: true, key: 'c' },
  defaultTopicQueueNums: { type: 'int', required: true, key: 'd' },
  queueId: { type: 'int', required: true, key: 'e' },
  sysFlag: { type: 'int', required: true, key: 'f' },
  bornTimestamp: { type: 'long', required: true, key: 'g' },
  flag: { type: 'int', required: true, key: 'h' },
  properties: { type: 'string', key: 'i' },
  reconsumeTimes: { type: 'int', key: 'j' },
  unitMode: { type: 'boolean', key: 'k' },
  maxReconsumeTimes: { type: 'int', key: 'l' },
  batch: { type: 'boolean', key: 'm' },
  brokerName: { type: 'string', key: 'n' },
  // the V2 hand decoder reads a..n only; these base keys are written when set and ignored when read
  namespace: { type: 'string', key: 'ns' },
  namespaced: { type: 'boolean', key: 'nsd' },
  oneway: { type: 'boolean', key: 'oway' },
  logical: { type: 'boolean', key: 'lo' },
};

const V2_CODEC = defineHeader<SendMessageRequestHeader>(V2_FIELDS);

/** SEND_MESSAGE_V2 (310) / SEND_BATCH_MESSAGE (320) / SEND_REPLY_MESSAGE_V2 (325): one-letter keys. */
export const SendMessageRequestHeaderV2 = {
  spec: V2_CODEC.spec,
  toFields: V2_CODEC.toFields,
  missingRequired: V2_CODEC.missingRequired,
  /** FastCodesHeader: a bad number throws; only a..n are read. */
  fromFields(ext: Record<string, string> | undefined | null, opts: DecodeOptions = { strict: true }): SendMessageRequestHeader {
    const h = V2_CODEC.fromFields(ext, opts);
    delete h.namespace;
    delete h.namespaced;
    delete h.oneway;
    delete h.logical;
    return h;
  },
};

/** Codes whose header uses the V2 one-letter keys. */
export function isSendV2Code(code: number): boolean {
  return code === RequestCode.SEND_MESSAGE_V2 || code === RequestCode.SEND_BATCH_MESSAGE || code === RequestCode.SEND_REPLY_MESSAGE_V2;
}

/** Encode a send header for the given request code (V2 keys for 310/320/325). */
export function encodeSendHeader(code: number, h: SendMessageRequestHeader): Record<string, string> {
  return isSendV2Code(code) ? SendMessageRequestHeaderV2.toFields(h) : SendMessageRequestHeader.toFields(h);
}

/** Decode the send header of any send code into the named form. */
export function decodeSendHeader(code: number, ext: Record<string, string> | undefined | null): SendMessageRequestHeader {
  return isSendV2Code(code) ? SendMessageRequestHeaderV2.fromFields(ext) : SendMessageRequestHeader.fromFields(ext);
}

export interface SendMessageResponseHeader {
  msgId?: string;
  queueId?: number;
  queueOffset?: number;
  transactionId?: string;
  batchUniqId?: string;
  recallHandle?: string;
}
export const SendMessageResponseHeader = defineHeader<SendMessageResponseHeader>({
  msgId: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  queueOffset: { type: 'long', required: true },
  transactionId: 'string',
  batchUniqId: 'string',
  recallHandle: 'string',
});

/** Ext fields every send response carries besides the header (requests.md §3). */
export const SEND_RESPONSE_EXTRA = { MSG_REGION: 'MSG_REGION', TRACE_ON: 'TRACE_ON' } as const;

export interface ConsumerSendMsgBackRequestHeader extends RpcHeaderBase {
  offset?: number;
  group?: string;
  delayLevel?: number;
  originMsgId?: string;
  originTopic?: string;
  unitMode?: boolean;
  maxReconsumeTimes?: number;
}
export const ConsumerSendMsgBackRequestHeader = defineHeader<ConsumerSendMsgBackRequestHeader>({
  offset: { type: 'long', required: true },
  group: { type: 'string', required: true },
  delayLevel: { type: 'int', required: true },
  originMsgId: 'string',
  originTopic: 'string',
  unitMode: { type: 'boolean', primitive: false },
  maxReconsumeTimes: 'int',
  ...RPC_BASE_SPEC,
});

export interface ReplyMessageRequestHeader extends MessageHeaderFields {
  bornHost?: string;
  storeHost?: string;
  storeTimestamp?: number;
}
export const ReplyMessageRequestHeader = defineHeader<ReplyMessageRequestHeader>({
  ...MESSAGE_FIELDS,
  unitMode: { type: 'boolean', primitive: false },
  bornHost: { type: 'string', required: true },
  storeHost: { type: 'string', required: true },
  storeTimestamp: { type: 'long', required: true },
});

/** One entry of a SEND_BATCH_MESSAGE body (requests.md §3 batch table). */
export interface BatchEntry {
  flag: number;
  body: Buffer;
  /** Encoded properties string (`k\u0001v\u0002...`). */
  properties: string;
}

/** Concatenate batch entries: TOTALSIZE, MAGICCODE 0, BODYCRC 0, FLAG, BODY len+bytes, PROPERTIES int16 len+bytes. */
export function encodeBatchBody(entries: BatchEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const props = Buffer.from(e.properties, 'utf8');
    if (props.length > 0x7fff) throw new Error(`batch entry properties too long: ${props.length} bytes`);
    const total = 4 + 4 + 4 + 4 + 4 + e.body.length + 2 + props.length;
    const b = Buffer.alloc(total);
    let o = 0;
    o = b.writeInt32BE(total, o);
    o = b.writeInt32BE(0, o);
    o = b.writeInt32BE(0, o);
    o = b.writeInt32BE(e.flag | 0, o);
    o = b.writeInt32BE(e.body.length, o);
    e.body.copy(b, o);
    o += e.body.length;
    o = b.writeInt16BE(props.length, o);
    props.copy(b, o);
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** Split a batch body; throws on inconsistent lengths. */
export function decodeBatchBody(buf: Buffer): BatchEntry[] {
  const out: BatchEntry[] = [];
  let o = 0;
  while (o < buf.length) {
    if (buf.length - o < 22) throw new Error(`truncated batch entry at ${o}`);
    const total = buf.readInt32BE(o);
    if (total < 22 || o + total > buf.length) throw new Error(`bad batch entry size ${total} at ${o}`);
    const flag = buf.readInt32BE(o + 12);
    const bodyLen = buf.readInt32BE(o + 16);
    if (bodyLen < 0 || 20 + bodyLen + 2 > total) throw new Error(`bad batch body length ${bodyLen} at ${o}`);
    const body = buf.subarray(o + 20, o + 20 + bodyLen);
    const propLen = buf.readInt16BE(o + 20 + bodyLen);
    if (propLen < 0 || 22 + bodyLen + propLen !== total) throw new Error(`bad batch properties length ${propLen} at ${o}`);
    const properties = buf.toString('utf8', o + 22 + bodyLen, o + 22 + bodyLen + propLen);
    out.push({ flag, body, properties });
    o += total;
  }
  return out;
}
