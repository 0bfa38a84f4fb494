// Push consumer (Apache DefaultMQPushConsumer): subscriptions by tag expression, clustering (broker offsets,
// automatic %RETRY%<group> subscription, rebalancing) or broadcasting (local offsets, every queue), a long-polling
// pull loop per assigned queue with flow control, concurrent or orderly listeners.
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { createMessage } from '../producer/message.js';
import { getRetryTopic, validateGroup, validateTopic } from '../../common/topics.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { ConsumeMessageDirectlyResult, ConsumerRunningInfo } from '../../protocol/client.js';
import { ConsumerRunningInfoProps } from '../../protocol/client.js';
import type { ConsumerData, SubscriptionData } from '../../protocol/heartbeat.js';
import { buildPullSysFlag } from '../../protocol/pull.js';
import { CURRENT_VERSION } from '../../remoting/command.js';
import type { ClientOptions } from '../config.js';
import { MQClientError } from '../errors.js';
import { MQClientInstance, type ConsumerInner } from '../instance.js';
import { mqKey } from '../message-queue.js';
import { Producer } from '../producer/producer.js';
import { allocateAveragely, type AllocateStrategy } from './allocate.js';
import { ConsumeConcurrentlyService, resetRetryTopic } from './consume-concurrently.js';
import { ConsumeOrderlyService } from './consume-orderly.js';
import { consumerDataOf, createOffsetStore, initialPullOffset, updateRoutes } from './consumer-common.js';
import type { OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import { messagesOfPull } from './pull-result.js';
import { Rebalancer } from './rebalance.js';
import type { ConsumeServiceHost } from './service-host.js';
import { ConsumerStats } from './stats.js';
import { buildSubscriptionData } from './subscription.js';
import {
  type ConsumeFromWhere,
  type MessageListenerConcurrently,
  type MessageListenerOrderly,
  type MessageModel,
} from './types.js';
import { delay } from './util.js';

export interface PushConsumerOptions extends ClientOptions {
  group: string;
  messageModel?: MessageModel;
  consumeFromWhere?: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP: ms, or yyyyMMddHHmmss (default now - 30 min). */
  consumeTimestamp?: number | string;
  allocateStrategy?: AllocateStrategy;
  /** Messages per pull (default 32). */
  pullBatchSize?: number;
  /** Bytes per pull (default 256 KiB). */
  pullBatchSizeInBytes?: number;
  /** Messages per listener call (default 1). */
  consumeMessageBatchMaxSize?: number;
  /** Flow control: cached messages per queue (default 1000). */
  pullThresholdForQueue?: number;
  /** Flow control: cached MiB per queue (default 100). */
  pullThresholdSizeForQueue?: number;
  /** Listener calls running at once (Java consumeThreadMax, default 20). */
  consumeConcurrency?: number;
  /** -1 = default (16 concurrent, unlimited orderly). */
  maxReconsumeTimes?: number;
  /** Orderly pause after SUSPEND_CURRENT_QUEUE_A_MOMENT (default 1000 ms). */
  suspendCurrentQueueTimeMillis?: number;
  /** Pause between pulls of one queue (default 0). */
  pullIntervalMs?: number;
  /** Broker hold time of a long poll (default 15000 ms). */
  brokerSuspendMaxTimeMillis?: number;
  /** Client timeout of a long poll (default 30000 ms). */
  consumerTimeoutMillisWhenSuspend?: number;
  /** Send the subscription with every pull (default false: the broker uses the heartbeat's). */
  postSubscriptionWhenPull?: boolean;
  /** Broadcasting offsets directory (default ~/.rocketmq_offsets). */
  localOffsetStoreDir?: string;
  /** How long close() waits for running listener calls (default 5000 ms). */
  awaitTerminationMillisWhenShutdown?: number;
  /** Commit offsets to the broker / local file (default true; false = read-only peek). */
  commitOffsets?: boolean;
  /**
   * Apply consumeFromWhere to every new group (default false, as the Java client: a broker then starts a new
   * group at 0 on a queue whose first message is still in memory, whatever consumeFromWhere says).
   */
  strictConsumeFromWhere?: boolean;
}

const innerProducers = new WeakMap<MQClientInstance, Producer>();

interface PullRequest {
  mq: MessageQueue;
  pq: ProcessQueue;
  nextOffset: number;
}

export class PushConsumer implements ConsumerInner, ConsumeServiceHost {
  readonly group: string;
  readonly instance: MQClientInstance;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly rebalancer: Rebalancer;
  readonly stats = new ConsumerStats();
  offsetStore!: OffsetStore;
  readonly consumeMessageBatchMaxSize: number;
  readonly suspendCurrentQueueTimeMillis: number;
  private readonly o: PushConsumerOptions;
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private readonly pullFromWhichNode = new Map<string, number>();
  private concurrentListener?: MessageListenerConcurrently;
  private orderlyListener?: MessageListenerOrderly;
  private service?: ConsumeConcurrentlyService | ConsumeOrderlyService;
  private state: 'created' | 'running' | 'stopping' | 'closed' = 'created';
  private readonly abort = new AbortController();
  private closing?: Promise<void>;
  private readonly commitOffsets: boolean;
  private paused = false;
  private startTimestamp = 0;

  constructor(opts: PushConsumerOptions) {
    this.o = opts;
    this.group = opts.group;
    const bad = validateGroup(this.group);
    if (bad) throw new MQClientError(bad);
    this.messageModel = opts.messageModel ?? 'CLUSTERING';
    this.consumeFromWhere = opts.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    this.consumeMessageBatchMaxSize = opts.consumeMessageBatchMaxSize ?? 1;
    this.suspendCurrentQueueTimeMillis = opts.suspendCurrentQueueTimeMillis ?? 1000;
    this.commitOffsets = opts.commitOffsets ?? true;
    this.instance = MQClientInstance.getOrCreate(opts);
    this.rebalancer = new Rebalancer(this.instance, this.group, opts.allocateStrategy ?? allocateAveragely, {
      isRunning: () => this.state === 'running',
      messageModel: () => this.messageModel,
      isOrderly: () => !!this.orderlyListener && this.messageModel === 'CLUSTERING',
      checkPullExpired: () => true,
      subscriptions: () => this.subscriptions,
      computePullFromWhere: (mq) => this.computePullFromWhere(mq),
      removeUnnecessaryMessageQueue: (mq, pq) => this.removeUnnecessaryMessageQueue(mq, pq),
      onNewQueue: (mq, pq, next) => this.startPulling({ mq: { ...mq }, pq, nextOffset: next }),
    });
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Subscribe a topic with a tag expression (`*`, `TagA || TagB`). May be called again to change it. */
  subscribe(topic: string, expression = '*', expressionType: 'TAG' | 'SQL92' = 'TAG'): void {
    const bad = validateTopic(topic);
    if (bad) throw new MQClientError(bad);
    // expressionType SQL92 = Apache's MessageSelector.bySql(expression): the broker filters by message properties
    this.subscriptions.set(topic, buildSubscriptionData(topic, expression, expressionType));
    if (this.state === 'running') {
      void this.instance.updateTopicRouteFromNameServer(topic).catch(() => undefined);
      void this.instance.sendHeartbeatToAllBrokers();
    }
  }

  unsubscribe(topic: string): void {
    this.subscriptions.delete(topic);
  }

  registerMessageListener(listener: MessageListenerConcurrently): void {
    this.concurrentListener = listener;
    this.orderlyListener = undefined;
  }

  registerMessageListenerOrderly(listener: MessageListenerOrderly): void {
    this.orderlyListener = listener;
    this.concurrentListener = undefined;
  }

  isRunning(): boolean {
    return this.state === 'running';
  }

  maxReconsumeTimes(): number {
    const v = this.o.maxReconsumeTimes ?? -1;
    if (v !== -1) return v;
    return this.orderlyListener ? 2147483647 : 16;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MQClientError(`The PushConsumer service state not OK, maybe started once, ${this.state}`);
    if (!this.concurrentListener && !this.orderlyListener) throw new MQClientError('messageListener is null');
    if (this.subscriptions.size === 0) throw new MQClientError('no subscription: call subscribe(topic, expression) first');
    if (this.messageModel === 'CLUSTERING') {
      const retry = getRetryTopic(this.group);
      if (!this.subscriptions.has(retry)) this.subscriptions.set(retry, buildSubscriptionData(retry, '*'));
    }
    this.offsetStore = createOffsetStore(this.instance, this.group, this.messageModel, this.o);
    await this.offsetStore.load();
    const concurrency = this.o.consumeConcurrency ?? 20;
    this.service = this.orderlyListener
      ? new ConsumeOrderlyService(this, this.orderlyListener, concurrency)
      : new ConsumeConcurrentlyService(this, this.concurrentListener!, concurrency);
    this.instance.registerConsumer(this);
    this.state = 'running';
    this.startTimestamp = Date.now();
    this.instance.start();
    await updateRoutes(this.instance, this.subscriptions.keys());
    try {
      await this.checkClientInBroker();
    } catch (e) {
      // as Apache's start(): a subscription the broker refuses (bad SQL92, filtering disabled) fails start
      await this.shutdown();
      throw e;
    }
    await this.instance.sendHeartbeatToAllBrokers();
    // the heartbeat makes the broker create %RETRY%<group>: learn its route now rather than in 30 s
    await this.fetchMissingRoutes();
    this.instance.rebalanceImmediately();
  }

  /** CHECK_CLIENT_CONFIG of every non-TAG subscription to one broker serving its topic (skipped without a route). */
  private async checkClientInBroker(): Promise<void> {
    for (const sub of this.subscriptions.values()) {
      if (!sub.expressionType || sub.expressionType.toUpperCase() === 'TAG') continue;
      const addr = this.instance.findBrokerAddrByTopic(sub.topic);
      if (addr) await this.instance.api.checkClientInBroker(addr, this.group, this.instance.clientId, sub);
    }
  }

  private async fetchMissingRoutes(): Promise<void> {
    for (const topic of this.subscriptions.keys()) {
      if (!this.needsRouteInfo(topic)) continue;
      try {
        await this.instance.updateTopicRouteFromNameServer(topic);
      } catch (e) {
        this.instance.logger.debug(`route of ${topic}: ${(e as Error).message}`);
      }
    }
  }

  /**
   * Stops pulling and handing out messages (at once), waits for running listener calls, commits offsets,
   * unregisters from the brokers. Messages pulled but not handed out stay uncommitted. Idempotent.
   */
  shutdown(): Promise<void> {
    this.closing ??= this.doShutdown();
    return this.closing;
  }

  private async doShutdown(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'closed';
      await this.instance.closeIfIdle();
      return;
    }
    this.state = 'stopping';
    this.abort.abort();
    await this.service?.idle(this.o.awaitTerminationMillisWhenShutdown ?? 5000);
    const assigned = this.rebalancer.assignedQueues();
    if (this.commitOffsets) {
      try {
        await this.offsetStore.persistAll(assigned, true);
      } catch (e) {
        this.instance.logger.warn(`final offset commit failed: ${(e as Error).message}`);
      }
    }
    if (this.orderlyListener && this.messageModel === 'CLUSTERING') await this.rebalancer.unlockAll(false);
    for (const e of this.rebalancer.processQueueTable.values()) e.pq.dropped = true;
    this.state = 'closed';
    await this.instance.unregisterConsumer(this.group);
  }

  /** Pause/resume pulling (queues stay assigned). */
  suspend(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  assignedQueues(): MessageQueue[] {
    return this.rebalancer.assignedQueues();
  }

  // ------------------------------------------------------------------ ConsumerInner

  consumerData(): ConsumerData {
    return consumerDataOf(this.group, 'CONSUME_PASSIVELY', this.messageModel, this.consumeFromWhere, this.subscriptions);
  }

  subscribeTopics(): string[] {
    return [...this.subscriptions.keys()];
  }

  needsRouteInfo(topic: string): boolean {
    return !this.rebalancer.topicSubscribeInfoTable.has(topic);
  }

  updateSubscribeInfo(topic: string, mqs: MessageQueue[]): void {
    if (this.subscriptions.has(topic)) this.rebalancer.topicSubscribeInfoTable.set(topic, mqs);
  }

  async doRebalance(): Promise<void> {
    if (this.state !== 'running' || this.paused) return;
    await this.fetchMissingRoutes();
    if (this.orderlyListener && this.messageModel === 'CLUSTERING') await this.rebalancer.lockAll();
    await this.rebalancer.doRebalance();
  }

  async persistConsumerOffset(): Promise<void> {
    if (this.state !== 'running' || !this.commitOffsets) return;
    await this.offsetStore.persistAll(this.rebalancer.assignedQueues());
  }

  offsetsOf(topic: string): [MessageQueue, number][] {
    return this.offsetStore ? this.offsetStore.offsets(topic) : [];
  }

  runningInfo(): ConsumerRunningInfo {
    const props: Record<string, string> = {
      [ConsumerRunningInfoProps.PROP_NAMESERVER_ADDR]: this.instance.api.getNamesrvList().join(';'),
      [ConsumerRunningInfoProps.PROP_THREADPOOL_CORE_SIZE]: String(this.o.consumeConcurrency ?? 20),
      [ConsumerRunningInfoProps.PROP_CONSUME_ORDERLY]: String(!!this.orderlyListener),
      [ConsumerRunningInfoProps.PROP_CONSUME_TYPE]: 'CONSUME_PASSIVELY',
      [ConsumerRunningInfoProps.PROP_CLIENT_VERSION]: 'V5_3_3',
      [ConsumerRunningInfoProps.PROP_CONSUMER_START_TIMESTAMP]: String(this.startTimestamp),
      consumerGroup: this.group,
      messageModel: this.messageModel,
      consumeFromWhere: this.consumeFromWhere,
      pullBatchSize: String(this.o.pullBatchSize ?? 32),
      consumeMessageBatchMaxSize: String(this.consumeMessageBatchMaxSize),
      pullThresholdForQueue: String(this.o.pullThresholdForQueue ?? 1000),
      maxReconsumeTimes: String(this.o.maxReconsumeTimes ?? -1),
      clientVersion: String(CURRENT_VERSION),
    };
    const mqTable = [...this.rebalancer.processQueueTable.values()].map(({ mq, pq }) => {
      const committed = this.offsetStore.offsets(mq.topic).find(([q]) => mqKey(q) === mqKey(mq))?.[1] ?? -1;
      return [{ ...mq }, pq.info(committed)] as [MessageQueue, ReturnType<ProcessQueue['info']>];
    });
    return {
      properties: props,
      subscriptionSet: [...this.subscriptions.values()],
      mqTable,
      statusTable: this.stats.table(),
    };
  }

  async consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult> {
    const mq: MessageQueue = { topic: msg.topic, brokerName: brokerName ?? '', queueId: msg.queueId };
    if (!this.service) return { order: false, autoCommit: true, consumeResult: 'CR_THROW_EXCEPTION', remark: 'consumer not started', spentTimeMills: 0 };
    return this.service.consumeDirectly(msg, mq);
  }

  async resetOffset(topic: string, offsets: [MessageQueue, number][]): Promise<void> {
    const wasPaused = this.paused;
    this.paused = true;
    const dropped = [...this.rebalancer.processQueueTable.values()].filter((e) => e.mq.topic === topic);
    for (const e of dropped) e.pq.dropped = true;
    await this.service?.idle(3000);
    for (const [mq, offset] of offsets) {
      if (mq.topic !== topic) continue;
      this.offsetStore.updateOffset(mq, offset, false);
      await this.offsetStore.persist(mq).catch((e) => this.instance.logger.warn(`persist reset offset failed: ${(e as Error).message}`));
    }
    for (const e of dropped) this.rebalancer.removeProcessQueue(e.mq);
    this.paused = wasPaused;
    this.instance.rebalanceImmediately();
  }

  // ------------------------------------------------------------------ rebalance hooks

  private async computePullFromWhere(mq: MessageQueue): Promise<number> {
    this.offsetStore.removeOffset(mq);
    return initialPullOffset(this.instance, this.offsetStore, mq, this.consumeFromWhere, this.o.consumeTimestamp, () => {
      const addr = this.instance.findBrokerAddrAnyRole(mq.brokerName);
      if (!addr) throw new MQClientError(`The broker[${mq.brokerName}] not exist`);
      return addr;
    });
  }

  private async removeUnnecessaryMessageQueue(mq: MessageQueue, pq: ProcessQueue): Promise<boolean> {
    try {
      if (this.commitOffsets) await this.offsetStore.persist(mq);
    } catch (e) {
      this.instance.logger.warn(`commit offset of released ${mqKey(mq)} failed: ${(e as Error).message}`);
    }
    this.offsetStore.removeOffset(mq);
    if (this.orderlyListener && this.messageModel === 'CLUSTERING') {
      const until = Date.now() + 1000;
      while (pq.consuming && Date.now() < until) await delay(20, this.signal);
      if (pq.consuming) {
        pq.tryUnlockTimes++;
        return false;
      }
      await this.rebalancer.unlock(mq, true);
    }
    return true;
  }

  // ------------------------------------------------------------------ pulling

  private startPulling(pr: PullRequest): void {
    void this.pullLoop(pr);
  }

  private async pullLoop(pr: PullRequest): Promise<void> {
    while (!pr.pq.dropped && this.state === 'running') {
      let wait: number;
      try {
        wait = await this.pullOnce(pr);
      } catch (e) {
        if (this.state !== 'running' || pr.pq.dropped) return;
        this.instance.logger.warn(`pull of ${mqKey(pr.mq)} failed: ${(e as Error).message}`);
        wait = 3000;
      }
      if (wait > 0) await delay(wait, this.signal);
    }
  }

  /** One pull; returns how long to wait before the next one. */
  private async pullOnce(pr: PullRequest): Promise<number> {
    const { mq, pq } = pr;
    pq.lastPullTimestamp = Date.now();
    if (this.paused) return 1000;
    if (pq.msgCount > (this.o.pullThresholdForQueue ?? 1000)) return 50;
    if (pq.msgSize / (1024 * 1024) > (this.o.pullThresholdSizeForQueue ?? 100)) return 50;
    if (this.orderlyListener && this.messageModel === 'CLUSTERING' && !pq.locked) return 3000;
    const sub = this.subscriptions.get(mq.topic);
    if (!sub) return 3000;
    const brokerId = this.pullFromWhichNode.get(mqKey(mq)) ?? 0;
    let found = this.instance.findBrokerAddressInSubscribe(mq.brokerName, brokerId, false);
    if (!found) {
      await this.instance.updateTopicRouteFromNameServer(mq.topic);
      found = this.instance.findBrokerAddressInSubscribe(mq.brokerName, brokerId, false);
      if (!found) return 3000;
    }
    const commitOffset = this.messageModel === 'CLUSTERING' ? await this.offsetStore.readOffset(mq, 'MEMORY') : 0;
    const sysFlag = buildPullSysFlag({
      commitOffset: commitOffset > 0 && !found.slave && this.commitOffsets,
      suspend: true,
      subscription: !!this.o.postSubscriptionWhenPull,
    });
    const t0 = Date.now();
    const res = await this.instance.api.pullMessage(found.addr, {
      consumerGroup: this.group,
      topic: mq.topic,
      queueId: mq.queueId,
      queueOffset: pr.nextOffset,
      maxMsgNums: this.o.pullBatchSize ?? 32,
      sysFlag,
      commitOffset: Math.max(0, commitOffset),
      suspendTimeoutMillis: this.o.brokerSuspendMaxTimeMillis ?? 15000,
      subscription: this.o.postSubscriptionWhenPull ? sub.subString : undefined,
      subVersion: sub.subVersion,
      expressionType: sub.expressionType,
      maxMsgBytes: this.o.pullBatchSizeInBytes ?? 256 * 1024,
    }, this.o.consumerTimeoutMillisWhenSuspend ?? 30000);
    this.stats.pulled(mq.topic, Date.now() - t0);
    if (this.state !== 'running' || pq.dropped) return 0;
    this.pullFromWhichNode.set(mqKey(mq), res.suggestWhichBrokerId);
    switch (res.status) {
      case 'FOUND': {
        const prev = pr.nextOffset;
        pr.nextOffset = res.nextBeginOffset;
        const msgs = messagesOfPull(res, sub);
        if (msgs.length === 0) {
          if (pq.cachedCount === 0) this.offsetStore.updateOffset(mq, pr.nextOffset, true);
          return 0;
        }
        if (res.nextBeginOffset < prev) this.instance.logger.warn(`pull of ${mqKey(mq)}: next offset ${res.nextBeginOffset} < ${prev}`);
        const dispatch = pq.putMessage(msgs);
        if (this.service instanceof ConsumeOrderlyService) this.service.submit(msgs, pq, mq, dispatch);
        else this.service!.submit(msgs, pq, mq);
        return this.o.pullIntervalMs ?? 0;
      }
      case 'NO_NEW_MSG':
      case 'NO_MATCHED_MSG':
        pr.nextOffset = res.nextBeginOffset;
        if (pq.cachedCount === 0) this.offsetStore.updateOffset(mq, pr.nextOffset, true);
        return this.o.pullIntervalMs ?? 0;
      case 'OFFSET_ILLEGAL':
        this.instance.logger.warn(`the pull request offset illegal, ${mqKey(mq)} offset ${pr.nextOffset} -> ${res.nextBeginOffset}`);
        pr.nextOffset = res.nextBeginOffset;
        this.offsetStore.updateOffset(mq, res.nextBeginOffset, false);
        if (this.commitOffsets) await this.offsetStore.persist(mq).catch(() => undefined);
        return 0;
    }
  }

  // ------------------------------------------------------------------ retries

  prepareForConsume(msgs: MessageExt[]): void {
    resetRetryTopic(msgs, this.group);
  }

  /** One CLIENT_INNER_PRODUCER per client instance; it closes with the instance. */
  private getInnerProducer(): Producer {
    let p = innerProducers.get(this.instance);
    if (!p) {
      p = new Producer({ group: 'CLIENT_INNER_PRODUCER', instance: this.instance, internal: true });
      innerProducers.set(this.instance, p);
    }
    return p;
  }

  async sendMessageBack(msg: MessageExt, delayLevel: number, mq: MessageQueue): Promise<boolean> {
    const addr = this.instance.findBrokerAddressInPublish(mq.brokerName) ?? msg.storeHost;
    try {
      await this.instance.api.consumerSendMessageBack(addr, {
        offset: msg.commitLogOffset,
        group: this.group,
        delayLevel,
        originMsgId: msg.msgId,
        originTopic: msg.topic,
        unitMode: false,
        maxReconsumeTimes: this.maxReconsumeTimes(),
      });
      return true;
    } catch (e) {
      this.instance.logger.warn(`sendMessageBack of ${msg.msgId} to ${addr} failed (${(e as Error).message}); sending to the retry topic`);
      return this.sendToRetryTopic(msg, 3 + msg.reconsumeTimes);
    }
  }

  async sendToRetryTopic(msg: MessageExt, delayLevel?: number): Promise<boolean> {
    try {
      const m = createMessage({ topic: getRetryTopic(this.group), body: msg.body, flag: msg.flag });
      const props = { ...msg.properties };
      delete props[MessageConst.TRANSACTION_PREPARED];
      m.properties = {
        ...props,
        [MessageConst.ORIGIN_MESSAGE_ID]: msg.properties[MessageConst.ORIGIN_MESSAGE_ID] ?? msg.msgId,
        [MessageConst.RETRY_TOPIC]: msg.topic,
        [MessageConst.RECONSUME_TIME]: String(msg.reconsumeTimes + 1),
        [MessageConst.MAX_RECONSUME_TIMES]: String(this.maxReconsumeTimes()),
      };
      if (delayLevel !== undefined) m.properties[MessageConst.DELAY_TIME_LEVEL] = String(delayLevel);
      const p = this.getInnerProducer();
      await p.start();
      await p.send(m);
      return true;
    } catch (e) {
      this.instance.logger.warn(`send ${msg.msgId} to the retry topic failed: ${(e as Error).message}`);
      return false;
    }
  }
}
