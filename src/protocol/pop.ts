/**
 * 5.x POP consumption (requests.md §4 "POP family"): POP_MESSAGE, ACK_MESSAGE, CHANGE_MESSAGE_INVISIBLETIME.
 * These codes exceed 16 bits, so they only travel with JSON headers (remoting.md §3).
 */
import { defineHeader } from './header.js';
import { type RpcHeaderBase, RPC_BASE_SPEC } from './rpc.js';

export interface PopMessageRequestHeader extends RpcHeaderBase {
  consumerGroup?: string;
  topic?: string;
  queueId?: number;
  maxMsgNums?: number;
  invisibleTime?: number;
  pollTime?: number;
  bornTime?: number;
  initMode?: number;
  expType?: string;
  exp?: string;
  order?: boolean;
  attemptId?: string;
}
export const PopMessageRequestHeader = defineHeader<PopMessageRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true, primitive: -1 },
  maxMsgNums: { type: 'int', required: true, primitive: 0 },
  invisibleTime: { type: 'long', required: true, primitive: 0 },
  pollTime: { type: 'long', required: true, primitive: 0 },
  bornTime: { type: 'long', required: true, primitive: 0 },
  initMode: { type: 'int', required: true, primitive: 0 },
  expType: 'string',
  exp: 'string',
  order: 'boolean',
  attemptId: 'string',
  ...RPC_BASE_SPEC,
});

export interface PopMessageResponseHeader {
  popTime?: number;
  invisibleTime?: number;
  reviveQid?: number;
  restNum?: number;
  startOffsetInfo?: string;
  msgOffsetInfo?: string;
  orderCountInfo?: string;
}
export const PopMessageResponseHeader = defineHeader<PopMessageResponseHeader>({
  popTime: { type: 'long', required: true, primitive: 0 },
  invisibleTime: { type: 'long', required: true, primitive: 0 },
  reviveQid: { type: 'int', required: true, primitive: 0 },
  restNum: { type: 'long', required: true, primitive: 0 },
  startOffsetInfo: 'string',
  msgOffsetInfo: 'string',
  orderCountInfo: 'string',
});

export interface AckMessageRequestHeader extends RpcHeaderBase {
  consumerGroup?: string;
  topic?: string;
  queueId?: number;
  extraInfo?: string;
  offset?: number;
}
export const AckMessageRequestHeader = defineHeader<AckMessageRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  extraInfo: { type: 'string', required: true },
  offset: { type: 'long', required: true },
  ...RPC_BASE_SPEC,
});

export interface ChangeInvisibleTimeRequestHeader extends AckMessageRequestHeader {
  invisibleTime?: number;
}
export const ChangeInvisibleTimeRequestHeader = defineHeader<ChangeInvisibleTimeRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  extraInfo: { type: 'string', required: true },
  offset: { type: 'long', required: true },
  invisibleTime: { type: 'long', required: true },
  ...RPC_BASE_SPEC,
});

export interface ChangeInvisibleTimeResponseHeader {
  popTime?: number;
  invisibleTime?: number;
  reviveQid?: number;
}
export const ChangeInvisibleTimeResponseHeader = defineHeader<ChangeInvisibleTimeResponseHeader>({
  popTime: { type: 'long', required: true, primitive: 0 },
  invisibleTime: { type: 'long', required: true, primitive: 0 },
  reviveQid: { type: 'int', required: true, primitive: 0 },
});

/** `<r>` of the offset-info strings: 0 normal topic, 1 retry topic v1 (`%RETRY%group_topic`), 2 retry v2 (`%RETRY%group+topic`). */
export type PopTopicKind = 0 | 1 | 2;

/** The POP_CK property a popped message carries: its fields, space separated, in this order. */
export interface PopCheckpointInfo {
  startOffset: number;
  popTime: number;
  invisibleTime: number;
  reviveQid: number;
  topicKind: PopTopicKind;
  brokerName: string;
  queueId: number;
  queueOffset: number;
}

export function encodePopExtraInfo(i: PopCheckpointInfo): string {
  return [i.startOffset, i.popTime, i.invisibleTime, i.reviveQid, i.topicKind, i.brokerName, i.queueId, i.queueOffset].join(' ');
}

export function decodePopExtraInfo(s: string): PopCheckpointInfo {
  const p = s.trim().split(' ');
  if (p.length < 8) throw new Error(`bad POP extra info: ${JSON.stringify(s)}`);
  const n = (x: string, what: string): number => {
    if (!/^-?\d+$/.test(x)) throw new Error(`bad ${what} in POP extra info: ${JSON.stringify(x)}`);
    return Number(x);
  };
  const kind = n(p[4], 'topic kind');
  if (kind !== 0 && kind !== 1 && kind !== 2) throw new Error(`bad topic kind in POP extra info: ${kind}`);
  return {
    startOffset: n(p[0], 'startOffset'),
    popTime: n(p[1], 'popTime'),
    invisibleTime: n(p[2], 'invisibleTime'),
    reviveQid: n(p[3], 'reviveQid'),
    topicKind: kind,
    brokerName: p[5],
    queueId: n(p[6], 'queueId'),
    queueOffset: n(p[7], 'queueOffset'),
  };
}

/** One `"<r> <queueId> <value>"` entry of startOffsetInfo / msgOffsetInfo / orderCountInfo (entries joined with `;`). */
export interface PopOffsetInfoEntry {
  topicKind: PopTopicKind;
  /** queue id, or for order counts the `qo<queueId>%<queueOffset>` form kept as text */
  queue: string;
  value: string;
}

export function encodePopOffsetInfo(entries: PopOffsetInfoEntry[]): string {
  return entries.map((e) => `${e.topicKind} ${e.queue} ${e.value}`).join(';');
}

export function decodePopOffsetInfo(s: string | undefined): PopOffsetInfoEntry[] {
  if (!s) return [];
  return s.split(';').filter((x) => x.length > 0).map((x) => {
    const [k, queue, value] = x.split(' ');
    const kind = Number(k);
    if ((kind !== 0 && kind !== 1 && kind !== 2) || queue === undefined || value === undefined) {
      throw new Error(`bad POP offset info entry: ${JSON.stringify(x)}`);
    }
    return { topicKind: kind as PopTopicKind, queue, value };
  });
}
