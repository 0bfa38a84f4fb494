// Topic operations spanning brokers: create/update on a cluster or one broker, delete everywhere, status
// (per-queue offsets) and which clusters serve a topic.
import { newTopicConfig, type TopicConfig } from '../../protocol/route.js';
import { isValidPerm } from '../../common/perm.js';
import { validateTopic } from '../../common/topics.js';
import { AdminError, NotFoundError } from './errors.js';
import type { MQAdminCore } from './core.js';

export interface TopicSpec {
  topic: string;
  cluster?: string;
  /** Broker address or name. */
  broker?: string;
  readQueueNums?: number;
  writeQueueNums?: number;
  perm?: number;
  order?: boolean;
  attributes?: Record<string, string>;
}

export interface TopicTarget {
  brokerName?: string;
  addr: string;
}

export async function targetBrokers(admin: MQAdminCore, t: { cluster?: string; broker?: string }): Promise<TopicTarget[]> {
  if (t.broker) return [{ addr: await admin.resolveBrokerAddr(t.broker), brokerName: /:\d+$/.test(t.broker) ? undefined : t.broker }];
  const masters = await admin.masterAddrs(t.cluster);
  if (masters.length === 0) throw new NotFoundError(t.cluster ? `no broker in cluster ${t.cluster}` : 'no broker registered in the name server');
  return masters.map((m) => ({ brokerName: m.brokerName, addr: m.addr }));
}

/** Create or update the topic on every target broker; update keeps what the caller did not give. */
export async function createOrUpdateTopic(admin: MQAdminCore, spec: TopicSpec, update = false): Promise<{ topic: TopicConfig; brokers: TopicTarget[] }> {
  const bad = validateTopic(spec.topic);
  if (bad) throw new AdminError(bad);
  if (spec.perm !== undefined && !isValidPerm(spec.perm)) throw new AdminError(`invalid perm ${spec.perm} (use 2 W, 4 R, 6 RW)`);
  const targets = await targetBrokers(admin, spec);
  let base: TopicConfig | undefined;
  if (update) {
    base = (await admin.getAllTopicConfig(targets[0].addr))[spec.topic];
    if (!base) throw new NotFoundError(`topic ${spec.topic} not found on ${targets[0].addr}`);
  }
  const tc = newTopicConfig(spec.topic, {
    readQueueNums: spec.readQueueNums ?? base?.readQueueNums ?? 8,
    writeQueueNums: spec.writeQueueNums ?? base?.writeQueueNums ?? 8,
    perm: spec.perm ?? base?.perm ?? 6,
    order: spec.order ?? base?.order ?? false,
    topicFilterType: base?.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: base?.topicSysFlag ?? 0,
    attributes: spec.attributes ?? {},
  });
  for (const t of targets) await admin.createOrUpdateTopic(t.addr, tc);
  return { topic: tc, brokers: targets };
}

/** Delete from the masters of the topic's clusters (or the given one), then from every name server. */
export async function deleteTopic(admin: MQAdminCore, topic: string, cluster?: string): Promise<{ brokers: string[] }> {
  let addrs: string[];
  if (cluster) {
    addrs = (await admin.masterAddrs(cluster)).map((m) => m.addr);
  } else {
    const route = await admin.getTopicRoute(topic);
    addrs = route.brokerDatas.map((b) => b.brokerAddrs.get(0)).filter((a): a is string => !!a);
  }
  for (const a of addrs) await admin.deleteTopicInBroker(a, topic);
  await admin.deleteTopicInNamesrv(topic, cluster);
  return { brokers: addrs };
}

export interface TopicQueueStatus {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
  lastUpdateTimestamp: number;
}

export interface TopicStatus {
  topic: string;
  queues: TopicQueueStatus[];
  totalMessages: number;
  putTps: number;
}

export async function topicStatus(admin: MQAdminCore, topic: string): Promise<TopicStatus> {
  const route = await admin.getTopicRoute(topic);
  const queues: TopicQueueStatus[] = [];
  let putTps = 0;
  for (const [, addr] of admin.routeBrokerAddrs(route)) {
    const st = await admin.getTopicStatsOnBroker(addr, topic);
    putTps += st.topicPutTps;
    for (const [mq, o] of st.offsetTable) {
      queues.push({ brokerName: mq.brokerName, queueId: mq.queueId, minOffset: o.minOffset, maxOffset: o.maxOffset, lastUpdateTimestamp: o.lastUpdateTimestamp });
    }
  }
  queues.sort((a, b) => (a.brokerName === b.brokerName ? a.queueId - b.queueId : a.brokerName < b.brokerName ? -1 : 1));
  return { topic, queues, totalMessages: queues.reduce((s, q) => s + (q.maxOffset - q.minOffset), 0), putTps };
}

/** Clusters whose brokers serve the topic. */
export async function topicClusters(admin: MQAdminCore, topic: string): Promise<string[]> {
  const route = await admin.getTopicRoute(topic);
  const ci = await admin.getClusterInfo();
  const names = new Set(route.brokerDatas.map((b) => b.brokerName));
  const out = new Set<string>();
  for (const [cluster, brokers] of Object.entries(ci.clusterAddrTable)) if (brokers.some((b) => names.has(b))) out.add(cluster);
  for (const bd of route.brokerDatas) if (bd.cluster && !ci.clusterAddrTable[bd.cluster]) out.add(bd.cluster);
  return [...out].sort();
}
