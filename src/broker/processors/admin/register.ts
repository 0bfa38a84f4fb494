/**
 * The admin code table: which processor serves which request code. Separate from index.ts (which adapts the
 * BrokerContext) so tests can register the same table over fake deps.
 */
import { RequestCode } from '../../../protocol/codes.js';
import { RemotingSysResponseCode, notSupportedRemark } from '../../../remoting/codes.js';
import { RemotingCommand } from '../../../remoting/command.js';
import type { Processor, RemotingServer } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { getAllSubscriptionGroupConfig, deleteSubscriptionGroup, getSubscriptionGroupConfig, updateAndCreateSubscriptionGroup, updateAndCreateSubscriptionGroupList } from './group.js';
import { deleteTopicInBroker, getAllTopicConfig, getSystemTopicListFromBroker, getTopicConfig, updateAndCreateTopic, updateAndCreateTopicList } from './topic.js';
import { getTopicStatsInfo, queryConsumeTimeSpan } from './stats.js';
import { getBrokerConsumeStats, getConsumeStats } from './consume-stats.js';
import {
  getAllProducerInfo, getConsumerConnectionList, getProducerConnectionList, querySubscriptionByConsumer, queryTopicConsumeByWho, queryTopicsByConsumer,
} from './connections.js';
import { viewBrokerStatsData } from './broker-stats.js';
import { getBrokerRuntimeInfo } from './runtime-info.js';
import { getBrokerConfig, updateBrokerConfig } from './config.js';
import { queryConsumeQueue, queryMessage, viewMessageById } from './query.js';
import { invokeBrokerToGetConsumerStatus, invokeBrokerToResetOffset } from './reset-offset.js';
import { RebalanceLockManager, lockBatchMQ, unlockBatchMQ } from './lock.js';
import { consumeMessageDirectly, getConsumerRunningInfo } from './relay.js';
import { cloneGroupOffset, queryCorrectionOffset } from './offsets.js';
import { cleanExpiredConsumeQueue, cleanUnusedTopic, deleteExpiredCommitLog } from './maintenance.js';

/** Apache's answer to a code no processor handles (note the leading space of the remark). */
export const notSupportedProcessor: Processor = (req) =>
  RemotingCommand.createResponse(RemotingSysResponseCode.REQUEST_CODE_NOT_SUPPORTED, notSupportedRemark(req.code));

export function adminProcessorTable(deps: AdminDeps, locks: RebalanceLockManager): [number, Processor][] {
  return [
    [RequestCode.UPDATE_AND_CREATE_TOPIC, updateAndCreateTopic(deps)],
    [RequestCode.DELETE_TOPIC_IN_BROKER, deleteTopicInBroker(deps)],
    [RequestCode.GET_ALL_TOPIC_CONFIG, getAllTopicConfig(deps)],
    [RequestCode.GET_TOPIC_CONFIG, getTopicConfig(deps)],
    [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, getSystemTopicListFromBroker(deps)],
    [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, updateAndCreateSubscriptionGroup(deps)],
    [RequestCode.DELETE_SUBSCRIPTIONGROUP, deleteSubscriptionGroup(deps)],
    [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, getAllSubscriptionGroupConfig(deps)],
    [RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, getSubscriptionGroupConfig(deps)],
    [RequestCode.GET_TOPIC_STATS_INFO, getTopicStatsInfo(deps)],
    [RequestCode.QUERY_CONSUME_TIME_SPAN, queryConsumeTimeSpan(deps)],
    [RequestCode.GET_CONSUME_STATS, getConsumeStats(deps)],
    [RequestCode.GET_BROKER_CONSUME_STATS, getBrokerConsumeStats(deps)],
    [RequestCode.GET_CONSUMER_CONNECTION_LIST, getConsumerConnectionList(deps)],
    [RequestCode.GET_PRODUCER_CONNECTION_LIST, getProducerConnectionList(deps)],
    [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, queryTopicConsumeByWho(deps)],
    [RequestCode.GET_BROKER_RUNTIME_INFO, getBrokerRuntimeInfo(deps)],
    [RequestCode.GET_BROKER_CONFIG, getBrokerConfig(deps)],
    [RequestCode.UPDATE_BROKER_CONFIG, updateBrokerConfig(deps)],
    [RequestCode.VIEW_MESSAGE_BY_ID, viewMessageById(deps)],
    [RequestCode.QUERY_MESSAGE, queryMessage(deps)],
    [RequestCode.QUERY_CONSUME_QUEUE, queryConsumeQueue(deps)],
    [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, invokeBrokerToResetOffset(deps)],
    [RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, invokeBrokerToGetConsumerStatus(deps)],
    [RequestCode.LOCK_BATCH_MQ, lockBatchMQ(deps, locks)],
    [RequestCode.UNLOCK_BATCH_MQ, unlockBatchMQ(deps, locks)],
    [RequestCode.GET_CONSUMER_RUNNING_INFO, getConsumerRunningInfo(deps)],
    [RequestCode.CONSUME_MESSAGE_DIRECTLY, consumeMessageDirectly(deps)],
    [RequestCode.QUERY_CORRECTION_OFFSET, queryCorrectionOffset(deps)],
    [RequestCode.CLONE_GROUP_OFFSET, cloneGroupOffset(deps)],
    [RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, cleanExpiredConsumeQueue(deps)],
    [RequestCode.DELETE_EXPIRED_COMMITLOG, deleteExpiredCommitLog(deps)],
    [RequestCode.CLEAN_UNUSED_TOPIC, cleanUnusedTopic(deps)],
    [RequestCode.UPDATE_AND_CREATE_TOPIC_LIST, updateAndCreateTopicList(deps)],
    [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, updateAndCreateSubscriptionGroupList(deps)],
    [RequestCode.GET_ALL_PRODUCER_INFO, getAllProducerInfo(deps)],
    [RequestCode.QUERY_TOPICS_BY_CONSUMER, queryTopicsByConsumer(deps)],
    [RequestCode.QUERY_SUBSCRIPTION_BY_CONSUMER, querySubscriptionByConsumer(deps)],
    [RequestCode.VIEW_BROKER_STATS_DATA, viewBrokerStatsData(deps)],
  ];
}

/** Registers every admin code on `server` plus the not-supported default. */
export function registerAdminTable(server: RemotingServer, deps: AdminDeps, locks: RebalanceLockManager): void {
  for (const [code, p] of adminProcessorTable(deps, locks)) server.registerProcessor(code, p);
  server.registerDefaultProcessor(notSupportedProcessor);
}
