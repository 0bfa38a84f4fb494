// Subscription-group and consumer operations spanning brokers: create/update/delete a group, list groups,
// consume progress (lag per queue), connections of consumers and producers, running info of clients.
import { newSubscriptionGroupConfig, type ConsumerConnection, type SubscriptionGroupConfig } from '../../protocol/admin.js';
import { getRetryTopic, isDLQTopic, isRetryTopic } from '../../common/topics.js';
import { AdminError, NotFoundError } from './errors.js';
import type { MQAdminCore } from './core.js';
import { targetBrokers } from './topics.js';

export interface GroupSpec extends Partial<Omit<SubscriptionGroupConfig, 'groupName'>> {
  groupName: string;
  cluster?: string;
  broker?: string;
}

export async function createOrUpdateGroup(admin: MQAdminCore, spec: GroupSpec, update = false): Promise<{ group: SubscriptionGroupConfig; brokers: string[] }> {
  const targets = await targetBrokers(admin, spec);
  let base: SubscriptionGroupConfig | undefined;
  if (update) {
    base = (await admin.getAllGroupConfig(targets[0].addr))[spec.groupName];
    if (!base) throw new NotFoundError(`group ${spec.groupName} not found on ${targets[0].addr}`);
  }
  const { cluster: _c, broker: _b, groupName, ...given } = spec;
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<SubscriptionGroupConfig>;
  const cfg = newSubscriptionGroupConfig(groupName, { ...(base ?? {}), ...defined });
  for (const t of targets) await admin.createOrUpdateGroup(t.addr, cfg);
  return { group: cfg, brokers: targets.map((t) => t.addr) };
}

/** Delete on the masters of the cluster (or one broker), then drop its %RETRY%/%DLQ% topics as mqadmin does. */
export async function deleteGroup(admin: MQAdminCore, spec: { groupName: string; cluster?: string; broker?: string; cleanOffset?: boolean }): Promise<{ brokers: string[] }> {
  const targets = await targetBrokers(admin, spec);
  for (const t of targets) await admin.deleteGroup(t.addr, spec.groupName, spec.cleanOffset ?? false);
  for (const topic of [getRetryTopic(spec.groupName), `%DLQ%${spec.groupName}`]) {
    for (const t of targets) {
      try {
        await admin.deleteTopicInBroker(t.addr, topic);
      } catch (e) {
        if (!(e instanceof AdminError)) throw e;
      }
    }
    try {
      await admin.deleteTopicInNamesrv(topic, spec.cluster);
    } catch (e) {
      if (!(e instanceof AdminError)) throw e;
    }
  }
  return { brokers: targets.map((t) => t.addr) };
}

export interface GroupInfo extends SubscriptionGroupConfig {
  brokers: string[];
}

/** Groups configured on the masters of a cluster (or all), merged by name. */
export async function listGroups(admin: MQAdminCore, cluster?: string): Promise<GroupInfo[]> {
  const byName = new Map<string, GroupInfo>();
  for (const m of await admin.masterAddrs(cluster)) {
    for (const [name, cfg] of Object.entries(await admin.getAllGroupConfig(m.addr))) {
      const g = byName.get(name);
      if (g) g.brokers.push(m.brokerName);
      else byName.set(name, { ...cfg, brokers: [m.brokerName] });
    }
  }
  return [...byName.values()].sort((a, b) => (a.groupName < b.groupName ? -1 : a.groupName > b.groupName ? 1 : 0));
}

export interface QueueProgress {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  pullOffset: number;
  lag: number;
  inflight: number;
  lastTimestamp: number;
  /** Client holding the queue (only when asked for and the group is online). */
  clientIp?: string;
}

export interface ConsumerProgress {
  group: string;
  queues: QueueProgress[];
  totalLag: number;
  totalInflight: number;
  consumeTps: number;
}

/**
 * GET_CONSUME_STATS on every broker serving the group: the brokers of the topic's route when a topic is
 * given, else those of the group's %RETRY% topic (every consumer subscribes it), else every master.
 */
export async function consumerProgress(admin: MQAdminCore, group: string, topic?: string): Promise<ConsumerProgress> {
  let addrs: string[] = [];
  try {
    const route = await admin.getTopicRoute(topic ?? getRetryTopic(group));
    addrs = [...admin.routeBrokerAddrs(route).values()];
  } catch (e) {
    if (!(e instanceof NotFoundError) || topic) throw e;
  }
  if (addrs.length === 0) addrs = (await admin.masterAddrs()).map((m) => m.addr);
  const queues: QueueProgress[] = [];
  let consumeTps = 0;
  let anyGroup = false;
  let lastNotFound: NotFoundError | undefined;
  for (const addr of addrs) {
    let st;
    try {
      st = await admin.getConsumeStatsOnBroker(addr, group, topic);
    } catch (e) {
      if (e instanceof NotFoundError) {
        lastNotFound = e;
        continue;
      }
      throw e;
    }
    anyGroup = true;
    consumeTps += st.consumeTps;
    for (const [mq, o] of st.offsetTable) {
      if (isDLQTopic(mq.topic)) continue;
      queues.push({
        topic: mq.topic,
        brokerName: mq.brokerName,
        queueId: mq.queueId,
        brokerOffset: o.brokerOffset,
        consumerOffset: o.consumerOffset,
        pullOffset: o.pullOffset,
        lag: Math.max(0, o.brokerOffset - o.consumerOffset),
        inflight: Math.max(0, o.pullOffset - o.consumerOffset),
        lastTimestamp: o.lastTimestamp,
      });
    }
  }
  if (!anyGroup) throw lastNotFound ?? new NotFoundError(`consumer group ${group} not found`);
  queues.sort((a, b) =>
    a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.brokerName !== b.brokerName ? (a.brokerName < b.brokerName ? -1 : 1) : a.queueId - b.queueId,
  );
  return {
    group,
    queues,
    totalLag: queues.reduce((s, q) => s + q.lag, 0),
    totalInflight: queues.reduce((s, q) => s + q.inflight, 0),
    consumeTps,
  };
}

/** Online consumers of a group: the first broker serving it that knows them. null when none is online. */
export async function consumerConnection(admin: MQAdminCore, group: string, brokerAddr?: string): Promise<ConsumerConnection | null> {
  const addrs = brokerAddr ? [brokerAddr] : await groupBrokerAddrs(admin, group);
  for (const a of addrs) {
    const c = await admin.getConsumerConnectionOnBroker(a, group);
    if (c && c.connectionSet.length) return c;
  }
  return null;
}

/** Producers of a group that sent to the topic's brokers, merged by client id. */
export async function producerConnection(admin: MQAdminCore, group: string, topic: string): Promise<Array<{ clientId: string; clientAddr: string; language: string; version: number }>> {
  const route = await admin.getTopicRoute(topic);
  const seen = new Map<string, { clientId: string; clientAddr: string; language: string; version: number }>();
  for (const addr of admin.routeBrokerAddrs(route).values()) {
    const pc = await admin.getProducerConnectionOnBroker(addr, group);
    for (const c of pc?.connectionSet ?? []) seen.set(c.clientId, c);
  }
  return [...seen.values()];
}

export async function groupBrokerAddrs(admin: MQAdminCore, group: string): Promise<string[]> {
  try {
    return [...admin.routeBrokerAddrs(await admin.getTopicRoute(getRetryTopic(group))).values()];
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
    return (await admin.masterAddrs()).map((m) => m.addr);
  }
}

/** Groups consuming each topic, per the brokers serving it (for `topic list --cluster`-style views). */
export async function groupsOfTopic(admin: MQAdminCore, topic: string): Promise<string[]> {
  if (isRetryTopic(topic) || isDLQTopic(topic)) return [];
  const out = new Set<string>();
  const route = await admin.getTopicRoute(topic);
  for (const addr of admin.routeBrokerAddrs(route).values()) for (const g of await admin.queryTopicConsumeByWho(addr, topic)) out.add(g);
  return [...out].sort();
}
