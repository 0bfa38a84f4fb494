/**
 * Who is connected and who consumes what: GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204),
 * GET_ALL_PRODUCER_INFO (328), QUERY_TOPIC_CONSUME_BY_WHO (300), QUERY_TOPICS_BY_CONSUMER (343),
 * QUERY_SUBSCRIPTION_BY_CONSUMER (345). requests.md §6, semantics.md §14.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import {
  encodeConsumerConnection,
  encodeGroupList,
  encodeProducerConnection,
  encodeTopicList,
  type Connection,
} from '../../../protocol/admin.js';
import { encodeJson } from '../../../protocol/body.js';
import { subscriptionDataToJson, type SubscriptionData } from '../../../protocol/heartbeat.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps, ClientConn } from './deps.js';
import { ConsumerGroupHeader, GroupOnlyHeader, GroupTopicHeader, ProducerGroupHeader, TopicOnlyHeader } from './headers.js';
import { fail, ok } from './util.js';

function toConnection(c: ClientConn): Connection {
  return { clientId: c.clientId, clientAddr: c.channel.remoteAddr, language: c.language, version: c.version };
}

export function getConsumerConnectionList(deps: AdminDeps): Processor {
  return (req) => {
    const { consumerGroup } = decodeRequired(ConsumerGroupHeader, req.extFields);
    const info = deps.consumers.group(consumerGroup!);
    if (!info) return fail(ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${consumerGroup}] not online`);
    const subscriptionTable: Record<string, SubscriptionData> = {};
    for (const s of info.subscriptions) subscriptionTable[s.topic] = s;
    return ok(encodeConsumerConnection({
      connectionSet: info.clients.map(toConnection),
      subscriptionTable,
      consumeType: info.consumeType,
      messageModel: info.messageModel,
      consumeFromWhere: info.consumeFromWhere,
    }));
  };
}

export function getProducerConnectionList(deps: AdminDeps): Processor {
  return (req) => {
    const { producerGroup } = decodeRequired(ProducerGroupHeader, req.extFields);
    const clients = deps.producers.clients(producerGroup!);
    if (!clients) return fail(ResponseCode.SYSTEM_ERROR, `the producer group[${producerGroup}] not exist`);
    return ok(encodeProducerConnection({ connectionSet: clients.map(toConnection) }));
  };
}

export function queryTopicConsumeByWho(deps: AdminDeps): Processor {
  return (req) => {
    const { topic } = decodeRequired(TopicOnlyHeader, req.extFields);
    const groups = new Set(deps.consumers.groupsSubscribing(topic!));
    for (const g of deps.offsets.groupsOf(topic!)) groups.add(g);
    return ok(encodeGroupList({ groupList: [...groups].sort() }));
  };
}

/** GET_ALL_PRODUCER_INFO (328, `mqadmin producer`): ProducerTableInfo {"data":{group:[ProducerInfo]}}. */
export function getAllProducerInfo(deps: AdminDeps): Processor {
  return () => {
    const data: Record<string, unknown[]> = {};
    for (const [group, clients] of Object.entries(deps.producers.all())) {
      data[group] = clients.map((c) => ({
        clientId: c.clientId,
        language: c.language,
        lastUpdateTimestamp: c.lastUpdate ?? 0,
        remoteIP: c.channel.remoteAddr,
        version: c.version,
      }));
    }
    return ok(encodeJson({ data }));
  };
}

/** QUERY_TOPICS_BY_CONSUMER (343): topics the group has offsets on, with this broker's address. */
export function queryTopicsByConsumer(deps: AdminDeps): Processor {
  return (req) => {
    const { group } = decodeRequired(GroupOnlyHeader, req.extFields);
    return ok(encodeTopicList({ topicList: deps.offsets.topicsOf(group!).sort(), brokerAddr: deps.brokerAddr }));
  };
}

/** QUERY_SUBSCRIPTION_BY_CONSUMER (345): the online group's subscription of one topic (absent when none). */
export function querySubscriptionByConsumer(deps: AdminDeps): Processor {
  return (req) => {
    const h = decodeRequired(GroupTopicHeader, req.extFields);
    const sub = deps.consumers.group(h.group!)?.subscriptions.find((s) => s.topic === h.topic);
    return ok(encodeJson({ group: h.group, subscriptionData: sub ? subscriptionDataToJson(sub) : undefined, topic: h.topic }));
  };
}
