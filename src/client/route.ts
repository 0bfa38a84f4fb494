// What producers and consumers derive from a TopicRouteData (semantics.md §1, §13, §15): the writable queues of
// brokers with a master (or the order-topic layout), the readable queues, and broker addresses by name.
import type { MessageQueue } from '../protocol/admin.js';
import type { BrokerData, TopicRouteData } from '../protocol/route.js';
import { isReadable, isWriteable } from '../common/perm.js';

export class TopicPublishInfo {
  orderTopic = false;
  messageQueueList: MessageQueue[] = [];
  private sendWhichQueue = Math.floor(Math.random() * 1024);

  constructor(readonly topic: string, readonly route: TopicRouteData | null) {}

  ok(): boolean {
    return this.messageQueueList.length > 0;
  }

  /** Round robin; on a retry, prefer a queue on another broker than the one that just failed. */
  selectOneMessageQueue(lastBrokerName?: string): MessageQueue {
    const list = this.messageQueueList;
    if (lastBrokerName !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const mq = list[this.nextIndex() % list.length];
        if (mq.brokerName !== lastBrokerName) return mq;
      }
    }
    return list[this.nextIndex() % list.length];
  }

  private nextIndex(): number {
    this.sendWhichQueue = (this.sendWhichQueue + 1) & 0x7fffffff;
    return this.sendWhichQueue;
  }
}

/** TopicRouteData -> publish info: orderTopicConf layout when present, else writable queues of master brokers. */
export function toPublishInfo(topic: string, route: TopicRouteData): TopicPublishInfo {
  const info = new TopicPublishInfo(topic, route);
  if (route.orderTopicConf) {
    for (const part of route.orderTopicConf.split(';')) {
      const [brokerName, n] = part.split(':');
      const count = Number(n);
      if (!brokerName || !Number.isInteger(count)) continue;
      for (let i = 0; i < count; i++) info.messageQueueList.push({ topic, brokerName, queueId: i });
    }
    info.orderTopic = true;
    return info;
  }
  const qds = [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0));
  for (const qd of qds) {
    if (!isWriteable(qd.perm)) continue;
    const bd = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
    if (!bd || !bd.brokerAddrs.has(0)) continue;
    for (let i = 0; i < qd.writeQueueNums; i++) info.messageQueueList.push({ topic, brokerName: qd.brokerName, queueId: i });
  }
  return info;
}

/** Readable queues of a topic (what consumers rebalance over). */
export function toSubscribeInfo(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if (!isReadable(qd.perm)) continue;
    for (let i = 0; i < qd.readQueueNums; i++) out.push({ topic, brokerName: qd.brokerName, queueId: i });
  }
  return out;
}

/** Route of TBW102 used for a topic the name server does not know yet: queue count capped per broker. */
export function defaultTopicRouteFor(route: TopicRouteData, queueNums: number): TopicRouteData {
  return {
    ...route,
    queueDatas: route.queueDatas.map((qd) => ({
      ...qd,
      readQueueNums: Math.min(queueNums, qd.readQueueNums),
      writeQueueNums: Math.min(queueNums, qd.writeQueueNums),
    })),
  };
}

export type BrokerAddrTable = Map<string, BrokerData>;
