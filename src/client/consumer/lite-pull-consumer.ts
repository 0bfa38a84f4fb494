// Lite pull consumer (Apache DefaultLitePullConsumer): the application calls poll(); background tasks keep a
// bounded cache of pulled messages per queue. Queues come from subscribe() (rebalanced within the group) or
// assign() (fixed). seek / seekToBegin / seekToEnd move a queue; commitSync (or auto-commit every 5 s and on
// close) stores what poll() has returned.
import type { MessageExt } from '../../common/message.js';
import { validateGroup, validateTopic } from '../../common/topics.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { ConsumeMessageDirectlyResult, ConsumerRunningInfo } from '../../protocol/client.js';
import { ConsumerRunningInfoProps } from '../../protocol/client.js';
import type { ConsumerData, SubscriptionData } from '../../protocol/heartbeat.js';
import { buildPullSysFlag } from '../../protocol/pull.js';
import type { ClientOptions } from '../config.js';
import { MQClientError } from '../errors.js';
import { MQClientInstance, type ConsumerInner } from '../instance.js';
import { mqKey } from '../message-queue.js';
import { toSubscribeInfo } from '../route.js';
import { allocateAveragely, type AllocateStrategy } from './allocate.js';
import { consumerDataOf, createOffsetStore, initialPullOffset, updateRoutes } from './consumer-common.js';
import type { OffsetStore } from './offset-store.js';
import { ProcessQueue } from './process-queue.js';
import { messagesOfPull } from './pull-result.js';
import { Rebalancer } from './rebalance.js';
import { ConsumerStats } from './stats.js';
import { buildSubscriptionData } from './subscription.js';
import type { ConsumeFromWhere, MessageModel } from './types.js';
import { delay } from './util.js';

export interface LitePullConsumerOptions extends ClientOptions {
  group: string;
  messageModel?: MessageModel;
  consumeFromWhere?: ConsumeFromWhere;
  consumeTimestamp?: number | string;
  allocateStrategy?: AllocateStrategy;
  /** Messages per pull and per poll() (default 10). */
  pullBatchSize?: number;
  /** Commit polled offsets every autoCommitIntervalMillis and on close (default true). */
  autoCommit?: boolean;
  autoCommitIntervalMillis?: number;
  /** Cached messages over all queues before pulling pauses (default 10000). */
  pullThresholdForAll?: number;
  /** Cached messages per queue before its pulling pauses (default 1000). */
  pullThresholdForQueue?: number;
  /** Default poll() timeout (default 5000 ms). */
  pollTimeoutMillis?: number;
  brokerSuspendMaxTimeMillis?: number;
  consumerTimeoutMillisWhenSuspend?: number;
  localOffsetStoreDir?: string;
  /** See PushConsumerOptions.strictConsumeFromWhere. */
  strictConsumeFromWhere?: boolean;
}

interface Assigned {
  mq: MessageQueue;
  pq: ProcessQueue;
  /** Next offset to pull; -1 = compute from the store / consumeFromWhere. */
  pullOffset: number;
  /** Offset after the last message poll() returned (what a commit stores); -1 = nothing yet. */
  consumeOffset: number;
  paused: boolean;
  /** Bumped by seek: a pull answered for an older generation is discarded. */
  gen: number;
  /** The pull task currently serving this queue (a seek starts a new one; older ones end). */
  task: number;
}

interface CachedRequest {
  entry: Assigned;
  pq: ProcessQueue;
  msgs: MessageExt[];
}

export class LitePullConsumer implements ConsumerInner {
  readonly group: string;
  readonly instance: MQClientInstance;
  readonly messageModel: MessageModel;
  readonly stats = new ConsumerStats();
  private readonly o: LitePullConsumerOptions;
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private readonly assigned = new Map<string, Assigned>();
  private readonly cache: CachedRequest[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly rebalancer: Rebalancer;
  private offsetStore!: OffsetStore;
  private mode: 'subscribe' | 'assign' | null = null;
  private state: 'created' | 'running' | 'closed' = 'created';
  private readonly abort = new AbortController();
  private lastCommit = Date.now();
  private closing?: Promise<void>;
  private startTimestamp = 0;

  constructor(opts: LitePullConsumerOptions) {
    this.o = opts;
    this.group = opts.group;
    const bad = validateGroup(this.group);
    if (bad) throw new MQClientError(bad);
    this.messageModel = opts.messageModel ?? 'CLUSTERING';
    this.instance = MQClientInstance.getOrCreate(opts);
    this.rebalancer = new Rebalancer(this.instance, this.group, opts.allocateStrategy ?? allocateAveragely, {
      isRunning: () => this.state === 'running',
      messageModel: () => this.messageModel,
      isOrderly: () => false,
      checkPullExpired: () => false,
      subscriptions: () => this.subscriptions,
      // the start offset is computed by the queue's pull task (it may also be seeked before the first pull)
      computePullFromWhere: async () => 0,
      removeUnnecessaryMessageQueue: async (mq) => {
        this.unassign(mq);
        return true;
      },
      onNewQueue: (mq) => this.addAssigned(mq),
    });
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  private ensureRunning(): void {
    if (this.state !== 'running') throw new MQClientError(`The lite pull consumer is not running (${this.state})`);
  }

  /** Subscribe (rebalanced) mode. */
  subscribe(topic: string, expression = '*'): void {
    const bad = validateTopic(topic);
    if (bad) throw new MQClientError(bad);
    if (this.mode === 'assign') throw new MQClientError('Subscribe and assign are mutually exclusive.');
    this.mode = 'subscribe';
    this.subscriptions.set(topic, buildSubscriptionData(topic, expression));
    if (this.state === 'running') void this.refresh();
  }

  unsubscribe(topic: string): void {
    this.subscriptions.delete(topic);
    for (const e of [...this.assigned.values()]) if (e.mq.topic === topic) this.unassign(e.mq);
  }

  /** Assign mode: exactly these queues, no rebalancing. */
  assign(mqs: MessageQueue[], expression = '*'): void {
    if (this.mode === 'subscribe') throw new MQClientError('Subscribe and assign are mutually exclusive.');
    this.mode = 'assign';
    for (const mq of mqs) if (!this.subscriptions.has(mq.topic)) this.subscriptions.set(mq.topic, buildSubscriptionData(mq.topic, expression));
    const want = new Set(mqs.map(mqKey));
    for (const e of [...this.assigned.values()]) if (!want.has(mqKey(e.mq))) this.unassign(e.mq);
    for (const mq of mqs) this.addAssigned(mq);
  }

  assignment(): MessageQueue[] {
    return [...this.assigned.values()].map((e) => ({ ...e.mq }));
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MQClientError(`The lite pull consumer state not OK, ${this.state}`);
    this.offsetStore = createOffsetStore(this.instance, this.group, this.messageModel, this.o);
    await this.offsetStore.load();
    this.instance.registerConsumer(this);
    this.state = 'running';
    this.startTimestamp = Date.now();
    this.instance.start();
    await this.refresh();
    for (const e of this.assigned.values()) this.startTask(e);
  }

  private async refresh(): Promise<void> {
    await updateRoutes(this.instance, this.subscriptions.keys());
    await this.instance.sendHeartbeatToAllBrokers();
    if (this.mode === 'subscribe') this.instance.rebalanceImmediately();
  }

  /** Commits (when autoCommit) and leaves the group. Idempotent. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      if (this.state !== 'running') {
        this.state = 'closed';
        await this.instance.closeIfIdle();
        return;
      }
      this.state = 'closed';
      this.abort.abort();
      for (const w of this.waiters) w();
      if (this.o.autoCommit ?? true) await this.commitSync().catch((e) => this.instance.logger.warn(`commit on close failed: ${(e as Error).message}`));
      for (const e of this.assigned.values()) e.pq.dropped = true;
      await this.instance.unregisterConsumer(this.group);
    })();
    return this.closing;
  }

  /** Readable queues of a topic. */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    const route = await this.instance.api.getTopicRouteInfo(topic);
    if (!route) throw new MQClientError(`No route info of this topic: ${topic}`);
    await this.instance.updateTopicRouteFromNameServer(topic);
    return toSubscribeInfo(topic, route);
  }

  // ------------------------------------------------------------------ poll / commit / seek

  /** Messages pulled for one queue (up to pullBatchSize), or [] after `timeoutMs`. */
  async poll(timeoutMs = this.o.pollTimeoutMillis ?? 5000): Promise<MessageExt[]> {
    this.ensureRunning();
    if ((this.o.autoCommit ?? true) && Date.now() - this.lastCommit >= (this.o.autoCommitIntervalMillis ?? 5000)) {
      this.lastCommit = Date.now();
      void this.commitSync().catch((e) => this.instance.logger.warn(`auto commit failed: ${(e as Error).message}`));
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < this.cache.length; i++) {
        const req = this.cache[i];
        if (req.pq.dropped || req.entry.pq !== req.pq) {
          this.cache.splice(i--, 1);
          continue;
        }
        if (req.entry.paused) continue;
        this.cache.splice(i, 1);
        const offset = req.pq.removeMessage(req.msgs);
        if (offset >= 0) req.entry.consumeOffset = offset;
        return req.msgs;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.state !== 'running') return [];
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        function done(): void {
          clearTimeout(t);
          resolve();
        }
        this.waiters.add(done);
      });
      this.waiters.clear();
    }
  }

  /** Stores the offsets of everything poll() returned. */
  async commitSync(): Promise<void> {
    const mqs: MessageQueue[] = [];
    for (const e of this.assigned.values()) {
      if (e.consumeOffset >= 0) this.offsetStore.updateOffset(e.mq, e.consumeOffset, false);
      mqs.push(e.mq);
    }
    await this.offsetStore.persistAll(mqs, true);
  }

  /** Commit explicit offsets. */
  async commit(offsets: Array<[MessageQueue, number]>): Promise<void> {
    for (const [mq, off] of offsets) {
      this.offsetStore.updateOffset(mq, off, false);
      const e = this.assigned.get(mqKey(mq));
      if (e) e.consumeOffset = off;
    }
    await this.offsetStore.persistAll(offsets.map(([mq]) => mq).concat(this.assignment()), true);
  }

  /** The committed offset of a queue in the store (-1 when none). */
  committed(mq: MessageQueue): Promise<number> {
    this.ensureRunning();
    return this.offsetStore.readOffset(mq, 'READ_FROM_STORE');
  }

  private entryOf(mq: MessageQueue): Assigned {
    const e = this.assigned.get(mqKey(mq));
    if (!e) throw new MQClientError(`The message queue is not in assigned list, message queue: ${mqKey(mq)}`);
    return e;
  }

  private brokerAddr(mq: MessageQueue): string {
    const addr = this.instance.findBrokerAddrAnyRole(mq.brokerName);
    if (!addr) throw new MQClientError(`The broker[${mq.brokerName}] not exist`);
    return addr;
  }

  /** Next poll() of this queue starts at `offset` (must be within [min, max]). */
  async seek(mq: MessageQueue, offset: number): Promise<void> {
    this.ensureRunning();
    const e = this.entryOf(mq);
    const addr = this.brokerAddr(mq);
    const [min, max] = await Promise.all([this.instance.api.getMinOffset(addr, mq), this.instance.api.getMaxOffset(addr, mq)]);
    if (offset < min || offset > max) throw new MQClientError(`Seek offset illegal, seek offset = ${offset}, min offset = ${min}, max offset = ${max}`);
    this.reposition(e, offset);
  }

  async seekToBegin(mq: MessageQueue): Promise<void> {
    this.ensureRunning();
    const e = this.entryOf(mq);
    this.reposition(e, await this.instance.api.getMinOffset(this.brokerAddr(mq), mq));
  }

  async seekToEnd(mq: MessageQueue): Promise<void> {
    this.ensureRunning();
    const e = this.entryOf(mq);
    this.reposition(e, await this.instance.api.getMaxOffset(this.brokerAddr(mq), mq));
  }

  /** First offset stored at or after `timestamp` (ms). */
  async offsetForTimestamp(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.instance.api.searchOffset(this.brokerAddr(mq), mq, timestamp);
  }

  pause(mqs: MessageQueue[]): void {
    for (const mq of mqs) {
      const e = this.assigned.get(mqKey(mq));
      if (e) e.paused = true;
    }
  }

  resume(mqs: MessageQueue[]): void {
    for (const mq of mqs) {
      const e = this.assigned.get(mqKey(mq));
      if (e) e.paused = false;
    }
    for (const w of this.waiters) w();
  }

  private reposition(e: Assigned, offset: number): void {
    e.pq.dropped = true;
    e.pq = new ProcessQueue();
    e.gen++;
    e.pullOffset = offset;
    e.consumeOffset = offset;
    for (let i = this.cache.length - 1; i >= 0; i--) if (this.cache[i].entry === e) this.cache.splice(i, 1);
    // a pull may be held by the broker for seconds: serve the new position with a fresh task at once
    if (this.state === 'running') this.startTask(e);
  }

  // ------------------------------------------------------------------ queues and pulling

  private addAssigned(mq: MessageQueue): void {
    const k = mqKey(mq);
    if (this.assigned.has(k)) return;
    const e: Assigned = { mq: { ...mq }, pq: new ProcessQueue(), pullOffset: -1, consumeOffset: -1, paused: false, gen: 0, task: 0 };
    this.assigned.set(k, e);
    if (this.state === 'running') this.startTask(e);
  }

  private unassign(mq: MessageQueue): void {
    const k = mqKey(mq);
    const e = this.assigned.get(k);
    if (!e) return;
    if (e.consumeOffset >= 0) this.offsetStore.updateOffset(mq, e.consumeOffset, false);
    void this.offsetStore.persist(mq).catch(() => undefined).then(() => this.offsetStore.removeOffset(mq));
    e.pq.dropped = true;
    this.assigned.delete(k);
    for (let i = this.cache.length - 1; i >= 0; i--) if (this.cache[i].entry === e) this.cache.splice(i, 1);
  }

  private startTask(e: Assigned): void {
    void this.pullTask(e, ++e.task);
  }

  private cachedTotal(): number {
    let n = 0;
    for (const e of this.assigned.values()) n += e.pq.msgCount;
    return n;
  }

  private computePullOffset(mq: MessageQueue): Promise<number> {
    const where = this.o.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    return initialPullOffset(this.instance, this.offsetStore, mq, where, this.o.consumeTimestamp, () => this.brokerAddr(mq));
  }

  private async pullTask(e: Assigned, token: number): Promise<void> {
    const signal = this.abort.signal;
    while (this.state === 'running' && this.assigned.get(mqKey(e.mq)) === e && e.task === token) {
      let wait = 0;
      try {
        wait = await this.pullOnce(e);
      } catch (err) {
        if (this.state !== 'running') return;
        this.instance.logger.warn(`pull of ${mqKey(e.mq)} failed: ${(err as Error).message}`);
        wait = 1000;
      }
      if (wait > 0) await delay(wait, signal);
    }
  }

  private async pullOnce(e: Assigned): Promise<number> {
    if (e.paused) return 1000;
    if (this.cachedTotal() > (this.o.pullThresholdForAll ?? 10000)) return 50;
    if (e.pq.msgCount > (this.o.pullThresholdForQueue ?? 1000)) return 50;
    const gen = e.gen;
    if (e.pullOffset < 0) {
      const off = await this.computePullOffset(e.mq);
      if (e.gen !== gen) return 0;
      e.pullOffset = off;
      if (e.consumeOffset < 0) e.consumeOffset = off;
    }
    const sub = this.subscriptions.get(e.mq.topic) ?? buildSubscriptionData(e.mq.topic, '*');
    const addr = this.brokerAddr(e.mq);
    const pq = e.pq;
    const t0 = Date.now();
    const res = await this.instance.api.pullMessage(addr, {
      consumerGroup: this.group,
      topic: e.mq.topic,
      queueId: e.mq.queueId,
      queueOffset: e.pullOffset,
      maxMsgNums: this.o.pullBatchSize ?? 10,
      sysFlag: buildPullSysFlag({ suspend: true, subscription: true }),
      commitOffset: 0,
      suspendTimeoutMillis: this.o.brokerSuspendMaxTimeMillis ?? 20000,
      subscription: sub.subString,
      subVersion: sub.subVersion,
      expressionType: sub.expressionType,
    }, this.o.consumerTimeoutMillisWhenSuspend ?? 30000);
    this.stats.pulled(e.mq.topic, Date.now() - t0);
    if (this.state !== 'running' || e.gen !== gen || pq.dropped) return 0;
    e.pullOffset = res.nextBeginOffset;
    if (res.status === 'FOUND') {
      const msgs = messagesOfPull(res, sub);
      if (msgs.length > 0) {
        pq.putMessage(msgs);
        this.cache.push({ entry: e, pq, msgs });
        for (const w of this.waiters) w();
      }
    } else if (res.status === 'OFFSET_ILLEGAL') {
      this.instance.logger.warn(`offset of ${mqKey(e.mq)} moved to ${res.nextBeginOffset}`);
    }
    return 0;
  }

  // ------------------------------------------------------------------ ConsumerInner

  consumerData(): ConsumerData {
    const where = this.o.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    return consumerDataOf(this.group, 'CONSUME_ACTIVELY', this.messageModel, where, this.subscriptions);
  }

  subscribeTopics(): string[] {
    return [...this.subscriptions.keys()];
  }

  needsRouteInfo(topic: string): boolean {
    return !this.rebalancer.topicSubscribeInfoTable.has(topic);
  }

  updateSubscribeInfo(topic: string, mqs: MessageQueue[]): void {
    this.rebalancer.topicSubscribeInfoTable.set(topic, mqs);
  }

  async doRebalance(): Promise<void> {
    if (this.state === 'running' && this.mode === 'subscribe') await this.rebalancer.doRebalance();
  }

  async persistConsumerOffset(): Promise<void> {
    // lite pull commits through commitSync / auto-commit in poll(), not on the instance timer
  }

  offsetsOf(topic: string): [MessageQueue, number][] {
    return this.offsetStore ? this.offsetStore.offsets(topic) : [];
  }

  runningInfo(): ConsumerRunningInfo {
    return {
      properties: {
        [ConsumerRunningInfoProps.PROP_NAMESERVER_ADDR]: this.instance.api.getNamesrvList().join(';'),
        [ConsumerRunningInfoProps.PROP_CONSUME_TYPE]: 'CONSUME_ACTIVELY',
        [ConsumerRunningInfoProps.PROP_CLIENT_VERSION]: 'V5_3_3',
        [ConsumerRunningInfoProps.PROP_CONSUMER_START_TIMESTAMP]: String(this.startTimestamp),
        consumerGroup: this.group,
        messageModel: this.messageModel,
      },
      subscriptionSet: [...this.subscriptions.values()],
      mqTable: [...this.assigned.values()].map((e) => [{ ...e.mq }, e.pq.info(e.consumeOffset)]),
      statusTable: this.stats.table(),
    };
  }

  async consumeMessageDirectly(): Promise<ConsumeMessageDirectlyResult> {
    return { order: false, autoCommit: true, consumeResult: 'CR_THROW_EXCEPTION', remark: 'a lite pull consumer has no listener to consume with', spentTimeMills: 0 };
  }

  async resetOffset(topic: string, offsets: [MessageQueue, number][]): Promise<void> {
    for (const [mq, off] of offsets) {
      if (mq.topic !== topic) continue;
      const e = this.assigned.get(mqKey(mq));
      this.offsetStore.updateOffset(mq, off, false);
      if (e) this.reposition(e, off);
    }
    await this.offsetStore.persistAll(this.assignment(), true);
  }
}
