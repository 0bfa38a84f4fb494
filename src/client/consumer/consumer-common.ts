// Plumbing the push and lite pull consumers share: which offset store a message model uses, refreshing the
// routes of the subscribed topics, the heartbeat's ConsumerData, and where a queue without a committed offset
// starts (consumeFromWhere).
import { isRetryTopic } from '../../common/topics.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { ConsumeType, ConsumerData, SubscriptionData } from '../../protocol/heartbeat.js';
import type { MQClientInstance } from '../instance.js';
import { LocalFileOffsetStore } from './local-offset-store.js';
import { RemoteBrokerOffsetStore, type OffsetStore } from './offset-store.js';
import { parseConsumeTimestamp, type ConsumeFromWhere, type MessageModel } from './types.js';

/** Broadcasting keeps offsets in a local file; clustering commits them to the broker. */
export function createOffsetStore(
  instance: MQClientInstance,
  group: string,
  messageModel: MessageModel,
  opts: { localOffsetStoreDir?: string; strictConsumeFromWhere?: boolean },
): OffsetStore {
  return messageModel === 'BROADCASTING'
    ? new LocalFileOffsetStore(instance.clientId, group, opts.localOffsetStoreDir)
    : new RemoteBrokerOffsetStore(instance, group, opts.strictConsumeFromWhere ?? false);
}

/** Fetch each topic's route from the name server; a failure is logged and the rest go on. */
export async function updateRoutes(instance: MQClientInstance, topics: Iterable<string>): Promise<void> {
  for (const topic of topics) {
    try {
      await instance.updateTopicRouteFromNameServer(topic);
    } catch (e) {
      instance.logger.warn(`route of ${topic}: ${(e as Error).message}`);
    }
  }
}

export function consumerDataOf(
  group: string,
  consumeType: ConsumeType,
  messageModel: MessageModel,
  consumeFromWhere: ConsumeFromWhere,
  subscriptions: Map<string, SubscriptionData>,
): ConsumerData {
  return { groupName: group, consumeType, messageModel, consumeFromWhere, subscriptionDataSet: [...subscriptions.values()], unitMode: false };
}

/**
 * The first offset to pull from: the stored offset, else by consumeFromWhere (a retry topic starts at 0, or at
 * its end for CONSUME_FROM_TIMESTAMP). `brokerAddr` is asked only when the broker must be queried.
 */
export async function initialPullOffset(
  instance: MQClientInstance,
  offsetStore: OffsetStore,
  mq: MessageQueue,
  where: ConsumeFromWhere,
  consumeTimestamp: string | number | undefined,
  brokerAddr: () => string,
): Promise<number> {
  const last = await offsetStore.readOffset(mq, 'READ_FROM_STORE');
  if (last >= 0) return last;
  const addr = brokerAddr();
  switch (where) {
    case 'CONSUME_FROM_FIRST_OFFSET':
      return 0;
    case 'CONSUME_FROM_TIMESTAMP':
      if (isRetryTopic(mq.topic)) return instance.api.getMaxOffset(addr, mq);
      return instance.api.searchOffset(addr, mq, parseConsumeTimestamp(consumeTimestamp));
    default:
      return isRetryTopic(mq.topic) ? 0 : instance.api.getMaxOffset(addr, mq);
  }
}
