/** Optional keys of 5.x RpcRequestHeader / TopicRequestHeader, also present (bname) in 4.9.8 (remoting.md §8). */
import type { FieldDef } from './header.js';

export interface RpcHeaderBase {
  /** `bname`: target broker name. */
  brokerName?: string;
  /** `ns`: namespace. */
  namespace?: string;
  /** `nsd`: names already namespaced. */
  namespaced?: boolean;
  /** `oway`: oneway hint. */
  oneway?: boolean;
  /** `lo`: logical (static topic). */
  logical?: boolean;
}

export const RPC_BASE_SPEC: { [K in keyof RpcHeaderBase]-?: FieldDef } = {
  brokerName: { type: 'string', key: 'bname' },
  namespace: { type: 'string', key: 'ns' },
  namespaced: { type: 'boolean', key: 'nsd' },
  oneway: { type: 'boolean', key: 'oway' },
  logical: { type: 'boolean', key: 'lo' },
};
