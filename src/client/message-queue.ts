// MessageQueue helpers: identity key, the (topic, brokerName, queueId) order rebalancing sorts by.
import type { MessageQueue } from '../protocol/admin.js';

export type { MessageQueue } from '../protocol/admin.js';

export function mqKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

export function compareMq(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

export function sameMq(a: MessageQueue, b: MessageQueue): boolean {
  return a.topic === b.topic && a.brokerName === b.brokerName && a.queueId === b.queueId;
}

export function describeMq(mq: MessageQueue): string {
  return `[topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}
