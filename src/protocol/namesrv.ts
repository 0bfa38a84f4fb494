/** Headers of the name server requests (requests.md §5). */
import { defineHeader } from './header.js';

export interface RegisterBrokerRequestHeader {
  brokerName?: string;
  brokerAddr?: string;
  clusterName?: string;
  haServerAddr?: string;
  brokerId?: number;
  heartbeatTimeoutMillis?: number;
  enableActingMaster?: boolean;
  compressed?: boolean;
  bodyCrc32?: number;
}
export const RegisterBrokerRequestHeader = defineHeader<RegisterBrokerRequestHeader>({
  brokerName: { type: 'string', required: true },
  brokerAddr: { type: 'string', required: true },
  clusterName: { type: 'string', required: true },
  haServerAddr: { type: 'string', required: true },
  brokerId: { type: 'long', required: true },
  heartbeatTimeoutMillis: 'long',
  enableActingMaster: 'boolean',
  // Java: primitive boolean / Integer initialised to 0, so both always travel
  compressed: { type: 'boolean', primitive: false },
  bodyCrc32: { type: 'int', primitive: 0 },
});

export interface RegisterBrokerResponseHeader {
  haServerAddr?: string;
  masterAddr?: string;
}
export const RegisterBrokerResponseHeader = defineHeader<RegisterBrokerResponseHeader>({
  haServerAddr: 'string',
  masterAddr: 'string',
});

export interface UnRegisterBrokerRequestHeader {
  brokerName?: string;
  brokerAddr?: string;
  clusterName?: string;
  brokerId?: number;
}
export const UnRegisterBrokerRequestHeader = defineHeader<UnRegisterBrokerRequestHeader>({
  brokerName: { type: 'string', required: true },
  brokerAddr: { type: 'string', required: true },
  clusterName: { type: 'string', required: true },
  brokerId: { type: 'long', required: true },
});

export interface QueryDataVersionRequestHeader {
  brokerName?: string;
  brokerAddr?: string;
  clusterName?: string;
  brokerId?: number;
}
export const QueryDataVersionRequestHeader = defineHeader<QueryDataVersionRequestHeader>({
  brokerName: { type: 'string', required: true },
  brokerAddr: { type: 'string', required: true },
  clusterName: { type: 'string', required: true },
  brokerId: { type: 'long', required: true },
});

export interface QueryDataVersionResponseHeader {
  changed?: boolean;
}
export const QueryDataVersionResponseHeader = defineHeader<QueryDataVersionResponseHeader>({
  changed: { type: 'boolean', required: true },
});

export interface BrokerHeartbeatRequestHeader {
  clusterName?: string;
  brokerAddr?: string;
  brokerName?: string;
  brokerId?: number;
  epoch?: number;
  maxOffset?: number;
  confirmOffset?: number;
  heartbeatTimeoutMills?: number;
  electionPriority?: number;
}
export const BrokerHeartbeatRequestHeader = defineHeader<BrokerHeartbeatRequestHeader>({
  clusterName: { type: 'string', required: true },
  brokerAddr: { type: 'string', required: true },
  brokerName: { type: 'string', required: true },
  brokerId: 'long',
  epoch: 'int',
  maxOffset: 'long',
  confirmOffset: 'long',
  heartbeatTimeoutMills: 'long',
  electionPriority: 'int',
});

export interface GetRouteInfoRequestHeader {
  topic?: string;
  acceptStandardJsonOnly?: boolean;
}
export const GetRouteInfoRequestHeader = defineHeader<GetRouteInfoRequestHeader>({
  topic: { type: 'string', required: true },
  acceptStandardJsonOnly: 'boolean',
});

export interface PutKVConfigRequestHeader {
  namespace?: string;
  key?: string;
  value?: string;
}
export const PutKVConfigRequestHeader = defineHeader<PutKVConfigRequestHeader>({
  namespace: { type: 'string', required: true },
  key: { type: 'string', required: true },
  value: { type: 'string', required: true },
});

export interface GetKVConfigRequestHeader {
  namespace?: string;
  key?: string;
}
export const GetKVConfigRequestHeader = defineHeader<GetKVConfigRequestHeader>({
  namespace: { type: 'string', required: true },
  key: { type: 'string', required: true },
});

export interface GetKVConfigResponseHeader {
  value?: string;
}
export const GetKVConfigResponseHeader = defineHeader<GetKVConfigResponseHeader>({ value: 'string' });

export interface DeleteKVConfigRequestHeader {
  namespace?: string;
  key?: string;
}
export const DeleteKVConfigRequestHeader = defineHeader<DeleteKVConfigRequestHeader>({
  namespace: { type: 'string', required: true },
  key: { type: 'string', required: true },
});

export interface GetKVListByNamespaceRequestHeader {
  namespace?: string;
}
export const GetKVListByNamespaceRequestHeader = defineHeader<GetKVListByNamespaceRequestHeader>({
  namespace: { type: 'string', required: true },
});

export interface GetTopicsByClusterRequestHeader {
  cluster?: string;
}
export const GetTopicsByClusterRequestHeader = defineHeader<GetTopicsByClusterRequestHeader>({
  cluster: { type: 'string', required: true },
});

export interface DeleteTopicFromNamesrvRequestHeader {
  topic?: string;
  clusterName?: string;
}
export const DeleteTopicFromNamesrvRequestHeader = defineHeader<DeleteTopicFromNamesrvRequestHeader>({
  topic: { type: 'string', required: true },
  clusterName: 'string',
});

export interface RegisterTopicRequestHeader {
  topic?: string;
}
export const RegisterTopicRequestHeader = defineHeader<RegisterTopicRequestHeader>({
  topic: { type: 'string', required: true },
});

export interface WipeWritePermOfBrokerRequestHeader {
  brokerName?: string;
}
export const WipeWritePermOfBrokerRequestHeader = defineHeader<WipeWritePermOfBrokerRequestHeader>({
  brokerName: { type: 'string', required: true },
});

export interface WipeWritePermOfBrokerResponseHeader {
  wipeTopicCount?: number;
}
export const WipeWritePermOfBrokerResponseHeader = defineHeader<WipeWritePermOfBrokerResponseHeader>({
  wipeTopicCount: { type: 'int', required: true },
});

export interface AddWritePermOfBrokerRequestHeader {
  brokerName?: string;
}
export const AddWritePermOfBrokerRequestHeader = defineHeader<AddWritePermOfBrokerRequestHeader>({
  brokerName: { type: 'string', required: true },
});

export interface AddWritePermOfBrokerResponseHeader {
  addTopicCount?: number;
}
export const AddWritePermOfBrokerResponseHeader = defineHeader<AddWritePermOfBrokerResponseHeader>({
  addTopicCount: { type: 'int', required: true },
});

export interface GetBrokerMemberGroupRequestHeader {
  clusterName?: string;
  brokerName?: string;
}
export const GetBrokerMemberGroupRequestHeader = defineHeader<GetBrokerMemberGroupRequestHeader>({
  clusterName: { type: 'string', required: true },
  brokerName: { type: 'string', required: true },
});

/** Namespace of the KV config holding `topic -> "brokerName:queueNum;..."` for order topics. */
export const ORDER_TOPIC_CONFIG_NAMESPACE = 'ORDER_TOPIC_CONFIG';
