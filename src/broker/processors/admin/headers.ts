/**
 * Request headers of the broker admin codes. Apache's *RequestHeader classes live in src/protocol/ (looked up
 * there by name); this file re-exports them under the names the processors use and defines the few protocol/
 * does not have yet. Required (`@CFNotNull`) fields are checked with decodeRequired, which answers SYSTEM_ERROR
 * "the custom field <x> is null" as Java's decoder does.
 */
import { defineHeader } from '../../../protocol/header.js';

export {
  CreateTopicRequestHeader,
  DeleteSubscriptionGroupRequestHeader,
  GetConsumeStatsRequestHeader,
  QueryConsumeQueueRequestHeader,
  QueryConsumeTimeSpanRequestHeader,
  CloneGroupOffsetRequestHeader,
  ViewBrokerStatsDataRequestHeader,
  DeleteTopicRequestHeader as TopicOnlyHeader,
  GetConsumerConnectionListRequestHeader as ConsumerGroupHeader,
  GetProducerConnectionListRequestHeader as ProducerGroupHeader,
} from '../../../protocol/admin-headers.js';
export {
  ResetOffsetRequestHeader,
  GetConsumerStatusRequestHeader,
  GetConsumerRunningInfoRequestHeader,
  ConsumeMessageDirectlyResultRequestHeader as ConsumeMessageDirectlyRequestHeader,
} from '../../../protocol/client.js';
export { QueryMessageRequestHeader, ViewMessageRequestHeader } from '../../../protocol/query.js';

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
