// MQAdmin: the admin client mqctl's commands use, over one RemotingClient, against any name server and broker
// (ours or Apache RocketMQ's). Single requests come from MQAdminCore; the operations spanning brokers live in
// topics.ts, groups.ts, messages.ts and offsets.ts and are exposed here as methods.
import type { MessageExt } from '../../common/message.js';
import type { ConsumerConnection } from '../../protocol/admin.js';
import { MQAdminCore, type MQAdminOptions } from './core.js';
import * as groups from './groups.js';
import * as messages from './messages.js';
import * as offsets from './offsets.js';
import * as topics from './topics.js';

export class MQAdmin extends MQAdminCore {
  constructor(opts: MQAdminOptions) {
    super(opts);
  }

  createOrUpdateTopicOn(spec: topics.TopicSpec, update = false): ReturnType<typeof topics.createOrUpdateTopic> {
    return topics.createOrUpdateTopic(this, spec, update);
  }
  deleteTopic(topic: string, cluster?: string): Promise<{ brokers: string[] }> {
    return topics.deleteTopic(this, topic, cluster);
  }
  topicStatus(topic: string): Promise<topics.TopicStatus> {
    return topics.topicStatus(this, topic);
  }
  topicClusters(topic: string): Promise<string[]> {
    return topics.topicClusters(this, topic);
  }

  createOrUpdateGroupOn(spec: groups.GroupSpec, update = false): ReturnType<typeof groups.createOrUpdateGroup> {
    return groups.createOrUpdateGroup(this, spec, update);
  }
  deleteGroupEverywhere(spec: Parameters<typeof groups.deleteGroup>[1]): Promise<{ brokers: string[] }> {
    return groups.deleteGroup(this, spec);
  }
  listGroups(cluster?: string): Promise<groups.GroupInfo[]> {
    return groups.listGroups(this, cluster);
  }
  consumerProgress(group: string, topic?: string): Promise<groups.ConsumerProgress> {
    return groups.consumerProgress(this, group, topic);
  }
  consumerConnection(group: string, brokerAddr?: string): Promise<ConsumerConnection | null> {
    return groups.consumerConnection(this, group, brokerAddr);
  }
  producerConnection(group: string, topic: string): ReturnType<typeof groups.producerConnection> {
    return groups.producerConnection(this, group, topic);
  }
  groupBrokerAddrs(group: string): Promise<string[]> {
    return groups.groupBrokerAddrs(this, group);
  }
  groupsOfTopic(topic: string): Promise<string[]> {
    return groups.groupsOfTopic(this, topic);
  }

  findMessage(id: string, topic?: string): Promise<MessageExt> {
    return messages.findMessage(this, id, topic);
  }
  queryMessagesByKey(q: messages.KeyQuery): Promise<MessageExt[]> {
    return messages.queryMessagesByKey(this, q);
  }
  queryMessagesByUniqKey(topic: string, key: string): Promise<MessageExt[]> {
    return messages.queryMessagesByUniqKey(this, topic, key);
  }
  queryMessageByOffset(topic: string, brokerName: string, queueId: number, offset: number): Promise<MessageExt> {
    return messages.queryMessageByOffset(this, topic, brokerName, queueId, offset);
  }
  printMessages(r: messages.PrintRange): Promise<MessageExt[]> {
    return messages.printMessages(this, r);
  }
  resendMessage(id: string, group: string, opts?: { clientId?: string; topic?: string }): Promise<messages.ResendResult> {
    return messages.resendMessage(this, id, group, opts);
  }

  planOffsetReset(group: string, topic: string, target: offsets.ResetTarget): Promise<offsets.ResetPlan> {
    return offsets.planOffsetReset(this, group, topic, target);
  }
  applyOffsetReset(plan: offsets.ResetPlan): Promise<offsets.ResetResult> {
    return offsets.applyOffsetReset(this, plan);
  }
}
