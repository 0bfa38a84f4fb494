/** Headers of the broker admin requests (requests.md §6). Bodies are in admin.ts. */
import { defineHeader } from './header.js';

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
const CREATE_TOPIC = defineHeader<CreateTopicRequestHeader>({
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
/** Java checkFields(): topicFilterType must name a TopicFilterType. */
function checkCreateTopic(h: CreateTopicRequestHeader): void {
  if (h.topicFilterType !== 'SINGLE_TAG' && h.topicFilterType !== 'MULTI_TAG') {
    throw new Error(`No enum constant org.apache.rocketmq.common.TopicFilterType.${h.topicFilterType}`);
  }
}
export const CreateTopicRequestHeader = { ...CREATE_TOPIC, check: checkCreateTopic };

export interface TopicRequestHeader {
  topic?: string;
}
const TOPIC_ONLY = { topic: { type: 'string', required: true } } as const;
export const DeleteTopicRequestHeader = defineHeader<TopicRequestHeader>(TOPIC_ONLY);
export const GetTopicStatsInfoRequestHeader = defineHeader<TopicRequestHeader>(TOPIC_ONLY);
export const QueryTopicConsumeByWhoRequestHeader = defineHeader<TopicRequestHeader>(TOPIC_ONLY);

export interface DeleteSubscriptionGroupRequestHeader {
  groupName?: string;
  cleanOffset?: boolean;
  /** 4.9.8 name of cleanOffset. */
  removeOffset?: boolean;
}
export const DeleteSubscriptionGroupRequestHeader = defineHeader<DeleteSubscriptionGroupRequestHeader>({
  groupName: { type: 'string', required: true },
  cleanOffset: { type: 'boolean', primitive: false },
  removeOffset: 'boolean',
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

export interface GetConsumerConnectionListRequestHeader {
  consumerGroup?: string;
}
export const GetConsumerConnectionListRequestHeader = defineHeader<GetConsumerConnectionListRequestHeader>({
  consumerGroup: { type: 'string', required: true },
});

export interface GetProducerConnectionListRequestHeader {
  producerGroup?: string;
}
export const GetProducerConnectionListRequestHeader = defineHeader<GetProducerConnectionListRequestHeader>({
  producerGroup: { type: 'string', required: true },
});

export interface QueryConsumeTimeSpanRequestHeader {
  topic?: string;
  group?: string;
}
export const QueryConsumeTimeSpanRequestHeader = defineHeader<QueryConsumeTimeSpanRequestHeader>({
  topic: { type: 'string', required: true },
  group: { type: 'string', required: true },
});

export interface QueryConsumeQueueRequestHeader {
  topic?: string;
  queueId?: number;
  index?: number;
  count?: number;
  consumerGroup?: string;
}
export const QueryConsumeQueueRequestHeader = defineHeader<QueryConsumeQueueRequestHeader>({
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true, primitive: 0 },
  index: { type: 'long', required: true, primitive: 0 },
  count: { type: 'int', required: true, primitive: 0 },
  consumerGroup: 'string',
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

export interface ViewBrokerStatsDataRequestHeader {
  statsName?: string;
  statsKey?: string;
}
export const ViewBrokerStatsDataRequestHeader = defineHeader<ViewBrokerStatsDataRequestHeader>({
  statsName: { type: 'string', required: true },
  statsKey: { type: 'string', required: true },
});

export interface GetAllTopicConfigRequestHeader {
  topicSeq?: number;
  dataVersion?: string;
  maxTopicNum?: number;
}
export const GetAllTopicConfigRequestHeader = defineHeader<GetAllTopicConfigRequestHeader>({
  topicSeq: 'int',
  dataVersion: 'string',
  maxTopicNum: 'int',
});

export interface GetAllTopicConfigResponseHeader {
  totalTopicNum?: number;
}
export const GetAllTopicConfigResponseHeader = defineHeader<GetAllTopicConfigResponseHeader>({ totalTopicNum: 'int' });

export interface GetBrokerConfigResponseHeader {
  version?: string;
}
export const GetBrokerConfigResponseHeader = defineHeader<GetBrokerConfigResponseHeader>({ version: { type: 'string', required: true } });
