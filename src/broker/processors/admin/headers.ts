/**
 * Request headers of the broker admin codes (requests.md §4, §6), field names exactly as Apache's
 * *RequestHeader classes. Required (`@CFNotNull`) fields are checked with decodeRequired, which answers
 * SYSTEM_ERROR "the custom field <x> is null" as Java's decoder does.
 */
import { defineHeader } from '../../../protocol/header.js';

export interface CreateTopicRequestHeader {
  topic?: string;
  defaultTopic?: string;
  readQueueNums?: number;
  writeQueueNums?: number;
  perm?: number;
  topicFilterType?: string;
  topicSysFlag?: number;
  order?: boolean;
  attributes?: string;
  force?: boolean;
}
export const CreateTopicRequestHeader = defineHeader<CreateTopicRequestHeader>({
  topic: { type: 'string', required: true },
  defaultTopic: { type: 'string', required: true },
  readQueueNums: { type: 'int', required: true },
  writeQueueNums: { type: 'int', required: true },
  perm: { type: 'int', required: true },
  topicFilterType: { type: 'string', required: true },
  topicSysFlag: 'int',
  order: { type: 'boolean', required: true, primitive: false },
  attributes: 'string',
  force: 'boolean',
});

export interface TopicOnlyHeader {
  topic?: string;
}
export const TopicOnlyHeader = defineHeader<TopicOnlyHeader>({ topic: { type: 'string', required: true } });

export interface DeleteSubscriptionGroupRequestHeader {
  groupName?: string;
  cleanOffset?: boolean;
  removeOffset?: boolean;
}
export const DeleteSubscriptionGroupRequestHeader = defineHeader<DeleteSubscriptionGroupRequestHeader>({
  groupName: { type: 'string', required: true },
  cleanOffset: { type: 'boolean', primitive: false },
  // 4.9.8 name of the same flag
  removeOffset: 'boolean',
});

export interface GroupOnlyHeader {
  group?: string;
}
export const GroupOnlyHeader = defineHeader<GroupOnlyHeader>({ group: { type: 'string', required: true } });

export interface GroupTopicHeader {
  group?: string;
  topic?: string;
}
export const GroupTopicHeader = defineHeader<GroupTopicHeader>({
  group: { type: 'string', required: true },
  topic: { type: 'string', required: true },
});

export interface ViewBrokerStatsDataRequestHeader {
  statsName?: string;
  statsKey?: string;
}
export const ViewBrokerStatsDataRequestHeader = defineHeader<ViewBrokerStatsDataRequestHeader>({
  statsName: { type: 'string', required: true },
  statsKey: { type: 'string', required: true },
});

export interface GetConsumeStatsRequestHeader {
  consumerGroup?: string;
  topic?: string;
  topicList?: string;
}
export const GetConsumeStatsRequestHeader = defineHeader<GetConsumeStatsRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: 'string',
  topicList: 'string',
});

export interface ConsumerGroupHeader {
  consumerGroup?: string;
}
export const ConsumerGroupHeader = defineHeader<ConsumerGroupHeader>({ consumerGroup: { type: 'string', required: true } });

export interface ProducerGroupHeader {
  producerGroup?: string;
}
export const ProducerGroupHeader = defineHeader<ProducerGroupHeader>({ producerGroup: { type: 'string', required: true } });

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

export interface ConsumeMessageDirectlyRequestHeader {
  consumerGroup?: string;
  clientId?: string;
  msgId?: string;
  brokerName?: string;
  topic?: string;
  topicSysFlag?: number;
  groupSysFlag?: number;
}
export const ConsumeMessageDirectlyRequestHeader = defineHeader<ConsumeMessageDirectlyRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  clientId: 'string',
  msgId: 'string',
  brokerName: 'string',
  topic: 'string',
  topicSysFlag: 'int',
  groupSysFlag: 'int',
});

export interface ViewMessageRequestHeader {
  offset?: number;
  topic?: string;
}
export const ViewMessageRequestHeader = defineHeader<ViewMessageRequestHeader>({
  offset: { type: 'long', required: true },
  topic: 'string',
});

export interface QueryMessageRequestHeader {
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
});

export interface QueryConsumeQueueRequestHeader {
  topic?: string;
  queueId?: number;
  index?: number;
  count?: number;
  consumerGroup?: string;
}
export const QueryConsumeQueueRequestHeader = defineHeader<QueryConsumeQueueRequestHeader>({
  topic: 'string',
  queueId: { type: 'int', primitive: 0 },
  index: { type: 'long', primitive: 0 },
  count: { type: 'int', primitive: 0 },
  consumerGroup: 'string',
});

export interface QueryConsumeTimeSpanRequestHeader {
  topic?: string;
  group?: string;
}
export const QueryConsumeTimeSpanRequestHeader = defineHeader<QueryConsumeTimeSpanRequestHeader>({
  topic: { type: 'string', required: true },
  group: { type: 'string', required: true },
});

export interface GetConsumeStatsInBrokerHeader {
  isOrder?: boolean;
}
export const GetConsumeStatsInBrokerHeader = defineHeader<GetConsumeStatsInBrokerHeader>({
  isOrder: { type: 'boolean', required: true, primitive: false },
});

export interface QueryCorrectionOffsetHeader {
  filterGroups?: string;
  compareGroup?: string;
  topic?: string;
}
export const QueryCorrectionOffsetHeader = defineHeader<QueryCorrectionOffsetHeader>({
  filterGroups: 'string',
  compareGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
});

export interface CloneGroupOffsetRequestHeader {
  srcGroup?: string;
  destGroup?: string;
  topic?: string;
  offline?: boolean;
}
export const CloneGroupOffsetRequestHeader = defineHeader<CloneGroupOffsetRequestHeader>({
  srcGroup: { type: 'string', required: true },
  destGroup: { type: 'string', required: true },
  topic: 'string',
  offline: { type: 'boolean', primitive: false },
});
