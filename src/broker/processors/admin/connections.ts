/**
 * Who is connected: GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204),
 * QUERY_TOPIC_CONSUME_BY_WHO (300). requests.md §6, semantics.md §14.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import {
  encodeConsumerConnection,
  encodeGroupList,
  encodeProducerConnection,
  type Connection,
} from '../../../protocol/admin.js';
import type { SubscriptionData } from '../../../protocol/heartbeat.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps, ClientConn } from './deps.js';
import { ConsumerGroupHeader, ProducerGroupHeader, TopicOnlyHeader } from './headers.js';
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
