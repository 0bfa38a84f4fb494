/**
 * Offsets (requests.md §4): QUERY/UPDATE_CONSUMER_OFFSET, GET_MAX/MIN_OFFSET, GET_EARLIEST_MSG_STORETIME,
 * SEARCH_OFFSET_BY_TIMESTAMP.
 */
import { defineHeader } from './header.js';
import { type RpcHeaderBase, RPC_BASE_SPEC } from './rpc.js';

export interface QueryConsumerOffsetRequestHeader extends RpcHeaderBase {
  consumerGroup?: string;
  topic?: string;
  queueId?: number;
  setZeroIfNotFound?: boolean;
}
export const QueryConsumerOffsetRequestHeader = defineHeader<QueryConsumerOffsetRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  setZeroIfNotFound: 'boolean',
  ...RPC_BASE_SPEC,
});

export interface QueryConsumerOffsetResponseHeader {
  offset?: number;
}
export const QueryConsumerOffsetResponseHeader = defineHeader<QueryConsumerOffsetResponseHeader>({
  offset: { type: 'long', required: true },
});

export interface UpdateConsumerOffsetRequestHeader extends RpcHeaderBase {
  consumerGroup?: string;
  topic?: string;
  queueId?: number;
  commitOffset?: number;
}
export const UpdateConsumerOffsetRequestHeader = defineHeader<UpdateConsumerOffsetRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  commitOffset: { type: 'long', required: true },
  ...RPC_BASE_SPEC,
});

export interface GetMaxOffsetRequestHeader extends RpcHeaderBase {
  topic?: string;
  queueId?: number;
  /** 5.x primitive boolean, default true. */
  committed?: boolean;
}
export const GetMaxOffsetRequestHeader = defineHeader<GetMaxOffsetRequestHeader>({
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  committed: { type: 'boolean', primitive: true },
  ...RPC_BASE_SPEC,
});

export interface TopicQueueRequestHeader extends RpcHeaderBase {
  topic?: string;
  queueId?: number;
}
const TOPIC_QUEUE_SPEC = {
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  ...RPC_BASE_SPEC,
} as const;
export const GetMinOffsetRequestHeader = defineHeader<TopicQueueRequestHeader>(TOPIC_QUEUE_SPEC);
export type GetMinOffsetRequestHeader = TopicQueueRequestHeader;
export const GetEarliestMsgStoretimeRequestHeader = defineHeader<TopicQueueRequestHeader>(TOPIC_QUEUE_SPEC);
export type GetEarliestMsgStoretimeRequestHeader = TopicQueueRequestHeader;

export interface OffsetResponseHeader {
  offset?: number;
}
const OFFSET_RESPONSE = { offset: { type: 'long', required: true } } as const;
export const GetMaxOffsetResponseHeader = defineHeader<OffsetResponseHeader>(OFFSET_RESPONSE);
export type GetMaxOffsetResponseHeader = OffsetResponseHeader;
export const GetMinOffsetResponseHeader = defineHeader<OffsetResponseHeader>(OFFSET_RESPONSE);
export type GetMinOffsetResponseHeader = OffsetResponseHeader;
export const SearchOffsetResponseHeader = defineHeader<OffsetResponseHeader>(OFFSET_RESPONSE);
export type SearchOffsetResponseHeader = OffsetResponseHeader;

export interface GetEarliestMsgStoretimeResponseHeader {
  timestamp?: number;
}
export const GetEarliestMsgStoretimeResponseHeader = defineHeader<GetEarliestMsgStoretimeResponseHeader>({
  timestamp: { type: 'long', required: true },
});

export type BoundaryType = 'LOWER' | 'UPPER';
/** BoundaryType.getType: case-insensitive "upper", anything else LOWER. */
export function parseBoundaryType(s: string | undefined): BoundaryType {
  return s !== undefined && s.toLowerCase() === 'upper' ? 'UPPER' : 'LOWER';
}

export interface SearchOffsetRequestHeader extends RpcHeaderBase {
  topic?: string;
  queueId?: number;
  timestamp?: number;
  boundaryType?: string;
}
export const SearchOffsetRequestHeader = defineHeader<SearchOffsetRequestHeader>({
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  timestamp: { type: 'long', required: true },
  boundaryType: 'string',
  ...RPC_BASE_SPEC,
});
