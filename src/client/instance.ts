// One client instance per clientId (Apache MQClientInstance): a single RemotingClient shared by the producers
// and consumers registered on it, the route cache (refreshed every 30 s and on demand), heartbeats to every
// broker every 30 s, offset commits every 5 s, rebalancing every 20 s and on NOTIFY_CONSUMER_IDS_CHANGED.
// It closes itself (timers and sockets) when its last producer/consumer goes away.
import { RemotingClient } from '../remoting/client.js';
import { createLogger, silentLogger, type Logger } from '../common/logger.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC } from '../common/topics.js';
import type { MessageQueue } from '../protocol/admin.js';
import type { ConsumerData, HeartbeatData, ProducerData } from '../protocol/heartbeat.js';
import { topicRouteDataEquals, type TopicRouteData } from '../protocol/route.js';
import { MQClientAPI } from './api.js';
import { buildClientId, resolveClientOptions, splitNamesrvAddr, type ClientOptions, type ResolvedClientOptions } from './config.js';
import { MQClientError } from './errors.js';
import { defaultTopicRouteFor, toPublishInfo, toSubscribeInfo, TopicPublishInfo } from './route.js';
import { registerClientProcessors } from './server-requests.js';
import type { MessageExt } from '../common/message.js';
import type { ConsumeMessageDirectlyResult, ConsumerRunningInfo } from '../protocol/client.js';

/** What the instance needs from a producer. */
export interface ProducerInner {
  readonly group: string;
  /** Internal producers (consumer retries) do not keep the instance open. */
  readonly internal?: boolean;
  publishTopics(): string[];
  needsRouteInfo(topic: string): boolean;
  updatePublishInfo(topic: string, info: TopicPublishInfo): void;
  /** CHECK_TRANSACTION_STATE (39) for this producer group. */
  checkTransactionState(brokerAddr: string, msg: MessageExt, header: Record<string, string>): void;
}

/** What the instance needs from a consumer (push or lite pull). */
export interface ConsumerInner {
  readonly group: string;
  consumerData(): ConsumerData;
  subscribeTopics(): string[];
  needsRouteInfo(topic: string): boolean;
  updateSubscribeInfo(topic: string, mqs: MessageQueue[]): void;
  doRebalance(): Promise<void>;
  persistConsumerOffset(): Promise<void>;
  /** GET_CONSUMER_RUNNING_INFO (307). */
  runningInfo(): ConsumerRunningInfo;
  /** CONSUME_MESSAGE_DIRECTLY (309). */
  consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult>;
  /** RESET_CONSUMER_CLIENT_OFFSET (220). */
  resetOffset(topic: string, offsets: [MessageQueue, number][]): Promise<void>;
  /** GET_CONSUMER_STATUS_FROM_CLIENT (221): committed offsets of the topic's queues. */
  offsetsOf(topic: string): [MessageQueue, number][];
}

export interface FindBrokerResult {
  addr: string;
  slave: boolean;
  brokerId: number;
}

const instances = new Map<string, MQClientInstance>();

export class MQClientInstance {
  readonly clientId: string;
  readonly remoting: RemotingClient;
  readonly api: MQClientAPI;
  readonly logger: Logger;
  readonly startTimestamp = Date.now();

  private readonly topicRouteTable = new Map<string, TopicRouteData>();
  /** brokerName -> brokerId -> address. */
  private readonly brokerAddrTable = new Map<string, Map<number, string>>();
  readonly brokerVersionTable = new Map<string, number>();
  private readonly producers = new Map<string, ProducerInner>();
  private readonly consumers = new Map<string, ConsumerInner>();
  private readonly timers: NodeJS.Timeout[] = [];
  private started = false;
  private closed = false;
  private rebalanceScheduled: NodeJS.Timeout | null = null;
  private rebalancing: Promise<void> | null = null;
  private heartbeatRunning: Promise<void> | null = null;
  private routeRunning: Promise<void> | null = null;

  /** The instance for these options: shared when clientIP@instanceName matches an open one. */
  static getOrCreate(opts: ClientOptions = {}): MQClientInstance {
    const resolved = resolveClientOptions(opts);
    const id = buildClientId(resolved);
    let inst = instances.get(id);
    if (!inst || inst.closed) {
      inst = new MQClientInstance(resolved, id);
      instances.set(id, inst);
    }
    return inst;
  }

  private constructor(readonly options: ResolvedClientOptions, clientId: string) {
    this.clientId = clientId;
    this.logger = options.logger ?? (process.env.MQCTL_LOG_LEVEL ? createLogger(`client ${clientId}`) : silentLogger);
    this.remoting = new RemotingClient({ logger: this.logger, defaultTimeoutMs: options.requestTimeoutMs });
    this.api = new MQClientAPI(this.remoting, splitNamesrvAddr(options.namesrvAddr), options.requestTimeoutMs);
    registerClientProcessors(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts the periodic tasks (idempotent). */
  start(): void {
    if (this.started) return;
    if (this.closed) throw new MQClientError(`client instance ${this.clientId} is closed`);
    this.started = true;
    const every = (ms: number, fn: () => Promise<void>): void => {
      this.timers.push(setInterval(() => void fn().catch((e) => this.logger.warn(String(e))), ms));
    };
    every(this.options.pollNameServerIntervalMs, () => this.updateAllTopicRoutes());
    every(this.options.heartbeatBrokerIntervalMs, () => this.sendHeartbeatToAllBrokers());
    every(this.options.persistConsumerOffsetIntervalMs, () => this.persistAllConsumerOffsets());
    every(20_000, () => this.doRebalanceAll());
  }

  // ------------------------------------------------------------------ registration

  registerProducer(p: ProducerInner): void {
    if (this.producers.has(p.group)) throw new MQClientError(`the producer group[${p.group}] has been created before, specify another name please.`);
    this.producers.set(p.group, p);
  }

  registerConsumer(c: ConsumerInner): void {
    if (this.consumers.has(c.group)) throw new MQClientError(`the consumer group[${c.group}] has been created before, specify another name please.`);
    this.consumers.set(c.group, c);
  }

  findProducer(group: string): ProducerInner | undefined {
    return this.producers.get(group);
  }

  findConsumer(group: string): ConsumerInner | undefined {
    return this.consumers.get(group);
  }

  producerGroups(): string[] {
    return [...this.producers.keys()];
  }

  async unregisterProducer(group: string): Promise<void> {
    if (!this.producers.delete(group)) return;
    await this.unregisterClientOnBrokers(group, undefined);
    await this.closeIfIdle();
  }

  async unregisterConsumer(group: string): Promise<void> {
    if (!this.consumers.delete(group)) return;
    await this.unregisterClientOnBrokers(undefined, group);
    await this.closeIfIdle();
  }

  private async unregisterClientOnBrokers(producerGroup?: string, consumerGroup?: string): Promise<void> {
    const calls: Promise<void>[] = [];
    for (const addrs of this.brokerAddrTable.values()) {
      for (const addr of addrs.values()) {
        if (!this.remoting.connectedAddrs().includes(addr)) continue;
        calls.push(this.api.unregisterClient(addr, this.clientId, producerGroup, consumerGroup, 3000).catch((e) => {
          this.logger.warn(`unregister client from ${addr}: ${(e as Error).message}`);
        }));
      }
    }
    await Promise.all(calls);
  }

  /** Closes the instance when no producer or consumer uses it (also for clients closed before they started). */
  async closeIfIdle(): Promise<void> {
    const users = [...this.producers.values()].filter((p) => !p.internal).length + this.consumers.size;
    if (users === 0) this.shutdown();
  }

  /** Stops timers and closes every connection. */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    if (this.rebalanceScheduled) clearTimeout(this.rebalanceScheduled);
    this.rebalanceScheduled = null;
    this.remoting.close();
    if (instances.get(this.clientId) === this) instances.delete(this.clientId);
  }

  // ------------------------------------------------------------------ routes

  getTopicRoute(topic: string): TopicRouteData | undefined {
    return this.topicRouteTable.get(topic);
  }

  /**
   * Fetches the route of `topic` and hands the derived info to producers/consumers. With `useDefaultTopic`
   * (a producer's unknown topic) the route of TBW102 capped to `defaultQueueNums` queues stands in.
   * Returns false when the name server has no route.
   */
  async updateTopicRouteFromNameServer(topic: string, useDefaultTopic = false, defaultQueueNums = 4): Promise<boolean> {
    let route: TopicRouteData | null;
    if (useDefaultTopic) {
      const def = await this.api.getTopicRouteInfo(AUTO_CREATE_TOPIC_KEY_TOPIC);
      route = def ? defaultTopicRouteFor(def, defaultQueueNums) : null;
    } else {
      route = await this.api.getTopicRouteInfo(topic);
    }
    if (!route) return false;
    const old = this.topicRouteTable.get(topic);
    const changed = !old || !topicRouteDataEquals(old, route) || this.isRouteInfoNeeded(topic);
    for (const bd of route.brokerDatas) this.brokerAddrTable.set(bd.brokerName, new Map(bd.brokerAddrs));
    if (changed) {
      const pub = toPublishInfo(topic, route);
      for (const p of this.producers.values()) if (p.publishTopics().includes(topic)) p.updatePublishInfo(topic, pub);
      const sub = toSubscribeInfo(topic, route);
      for (const c of this.consumers.values()) if (c.subscribeTopics().includes(topic)) c.updateSubscribeInfo(topic, sub);
      this.topicRouteTable.set(topic, route);
    }
    return true;
  }

  /** A producer/consumer registered after the route was cached still needs the derived info. */
  private isRouteInfoNeeded(topic: string): boolean {
    for (const p of this.producers.values()) if (p.publishTopics().includes(topic) && p.needsRouteInfo(topic)) return true;
    for (const c of this.consumers.values()) if (c.subscribeTopics().includes(topic) && c.needsRouteInfo(topic)) return true;
    return false;
  }

  async updateAllTopicRoutes(): Promise<void> {
    if (this.routeRunning) return this.routeRunning;
    const topics = new Set<string>();
    for (const p of this.producers.values()) for (const t of p.publishTopics()) topics.add(t);
    for (const c of this.consumers.values()) for (const t of c.subscribeTopics()) topics.add(t);
    this.routeRunning = (async () => {
      for (const t of topics) {
        if (this.closed) return;
        try {
          await this.updateTopicRouteFromNameServer(t);
        } catch (e) {
          this.logger.warn(`route update of ${t} failed: ${(e as Error).message}`);
        }
      }
      this.cleanOfflineBrokers();
    })().finally(() => {
      this.routeRunning = null;
    });
    return this.routeRunning;
  }

  /** Forgets broker addresses no cached route mentions any more (brokers gone from the cluster). */
  private cleanOfflineBrokers(): void {
    const live = new Map<string, Set<string>>();
    for (const route of this.topicRouteTable.values()) {
      for (const bd of route.brokerDatas) {
        const set = live.get(bd.brokerName) ?? new Set<string>();
        for (const a of bd.brokerAddrs.values()) set.add(a);
        live.set(bd.brokerName, set);
      }
    }
    for (const [name, addrs] of this.brokerAddrTable) {
      const keep = live.get(name);
      if (!keep) {
        this.brokerAddrTable.delete(name);
        continue;
      }
      for (const [id, addr] of addrs) if (!keep.has(addr)) addrs.delete(id);
    }
  }

  // ------------------------------------------------------------------ broker addresses

  findBrokerAddressInPublish(brokerName: string): string | undefined {
    return this.brokerAddrTable.get(brokerName)?.get(0);
  }

  /** Address of `brokerId` (falling back to any address of that broker name unless onlyThisBroker). */
  findBrokerAddressInSubscribe(brokerName: string, brokerId: number, onlyThisBroker: boolean): FindBrokerResult | undefined {
    const addrs = this.brokerAddrTable.get(brokerName);
    if (!addrs || addrs.size === 0) return undefined;
    const exact = addrs.get(brokerId);
    if (exact) return { addr: exact, slave: brokerId !== 0, brokerId };
    if (onlyThisBroker) return undefined;
    const [id, addr] = [...addrs.entries()].sort((a, b) => a[0] - b[0])[0];
    return { addr, slave: id !== 0, brokerId: id };
  }

  /** Any address of the broker name, master first. */
  findBrokerAddrAnyRole(brokerName: string): string | undefined {
    return this.findBrokerAddressInSubscribe(brokerName, 0, false)?.addr;
  }

  /** An address (master first) of a random broker serving the topic's cached route. */
  findBrokerAddrByTopic(topic: string): string | undefined {
    const datas = this.topicRouteTable.get(topic)?.brokerDatas ?? [];
    if (datas.length === 0) return undefined;
    const bd = datas[Math.floor(Math.random() * datas.length)];
    const ids = [...bd.brokerAddrs.keys()].sort((a, b) => a - b);
    return ids.length > 0 ? bd.brokerAddrs.get(ids[0]) : undefined;
  }

  /** GET_CONSUMER_LIST_BY_GROUP from one broker serving the topic. */
  async findConsumerIdList(topic: string, group: string): Promise<string[]> {
    const route = this.topicRouteTable.get(topic);
    const names = route ? route.brokerDatas.map((b) => b.brokerName) : [...this.brokerAddrTable.keys()];
    if (names.length === 0) return [];
    const name = names[Math.floor(Math.random() * names.length)];
    const addr = this.findBrokerAddrAnyRole(name);
    if (!addr) return [];
    return this.api.getConsumerIdListByGroup(addr, group);
  }

  /** Every known broker name with its master address (producer-facing). */
  brokerNames(): string[] {
    return [...this.brokerAddrTable.keys()];
  }

  // ------------------------------------------------------------------ heartbeats

  private heartbeatData(): HeartbeatData {
    const producerDataSet: ProducerData[] = [...this.producers.keys()].map((groupName) => ({ groupName }));
    const consumerDataSet = [...this.consumers.values()].map((c) => c.consumerData());
    return { clientID: this.clientId, producerDataSet, consumerDataSet };
  }

  /** HEART_BEAT to every broker: masters only when this instance has no consumers. */
  async sendHeartbeatToAllBrokers(): Promise<void> {
    if (this.heartbeatRunning) return this.heartbeatRunning;
    this.heartbeatRunning = (async () => {
      if (this.closed || (this.producers.size === 0 && this.consumers.size === 0)) return;
      const data = this.heartbeatData();
      const withConsumers = data.consumerDataSet.length > 0;
      const calls: Promise<void>[] = [];
      for (const [name, addrs] of this.brokerAddrTable) {
        for (const [id, addr] of addrs) {
          if (!withConsumers && id !== 0) continue;
          calls.push(this.api.sendHeartbeat(addr, data).then(
            (v) => void this.brokerVersionTable.set(name, v),
            (e) => this.logger.warn(`heartbeat to ${addr} failed: ${(e as Error).message}`),
          ));
        }
      }
      await Promise.all(calls);
    })().finally(() => {
      this.heartbeatRunning = null;
    });
    return this.heartbeatRunning;
  }

  // ------------------------------------------------------------------ consumers

  async persistAllConsumerOffsets(): Promise<void> {
    for (const c of this.consumers.values()) {
      try {
        await c.persistConsumerOffset();
      } catch (e) {
        this.logger.warn(`offset commit of ${c.group} failed: ${(e as Error).message}`);
      }
    }
  }

  async doRebalanceAll(): Promise<void> {
    if (this.rebalancing) return this.rebalancing;
    this.rebalancing = (async () => {
      for (const c of [...this.consumers.values()]) {
        if (this.closed) return;
        try {
          await c.doRebalance();
        } catch (e) {
          this.logger.warn(`rebalance of ${c.group} failed: ${(e as Error).message}`);
        }
      }
    })().finally(() => {
      this.rebalancing = null;
    });
    return this.rebalancing;
  }

  /** Rebalance soon (coalescing bursts of notifications); runs again if one is in progress. */
  rebalanceImmediately(): void {
    if (this.closed || this.rebalanceScheduled) return;
    this.rebalanceScheduled = setTimeout(() => {
      this.rebalanceScheduled = null;
      const run = (): void => void this.doRebalanceAll();
      if (this.rebalancing) void this.rebalancing.then(run);
      else run();
    }, 10);
  }
}
