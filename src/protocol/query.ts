/** Message lookups (requests.md §4): QUERY_MESSAGE by key and VIEW_MESSAGE_BY_ID by commitlog offset. */
import { defineHeader } from './header.js';
import { type RpcHeaderBase, RPC_BASE_SPEC } from './rpc.js';

/** Extra ext field of QUERY_MESSAGE: "true" = unique-key query (maxNum replaced by defaultQueryMaxNum). */
export const UNIQUE_KEY_QUERY = '_UNIQUE_KEY_QUERY';

export interface QueryMessageRequestHeader extends RpcHeaderBase {
  topic?: string;
  key?: string;
  maxNum?: number;
  beginTimestamp?: number;
  endTimestamp?: number;
}
export const QueryMessageRequestHeader = defineHeader<QueryMessageRequestHeader>({
  topic: { type: 'string', required: true },
  key: { type: 'string', required: true },
  maxNum: { type: 'int', required: true },
  beginTimestamp: { type: 'long', required: true },
  endTimestamp: { type: 'long', required: true },
  ...RPC_BASE_SPEC,
});

export interface QueryMessageResponseHeader {
  indexLastUpdateTimestamp?: number;
  indexLastUpdatePhyoffset?: number;
}
export const QueryMessageResponseHeader = defineHeader<QueryMessageResponseHeader>({
  indexLastUpdateTimestamp: { type: 'long', required: true },
  indexLastUpdatePhyoffset: { type: 'long', required: true },
});

export interface ViewMessageRequestHeader {
  offset?: number;
  topic?: string;
}
export const ViewMessageRequestHeader = defineHeader<ViewMessageRequestHeader>({
  offset: { type: 'long', required: true },
  topic: 'string',
});
