/**
 * What the admin processors need from the broker, as a narrow port. index.ts builds it from the BrokerContext;
 * unit tests build it from in-memory fakes. Keeping the processors on this surface lets the managers change
 * shape without touching every processor.
 */
import type { Channel } from '../../../remoting/server.js';
import type { Logger } from '../../../common/logger.js';
import type { DataVersion, TopicConfig } from '../../../protocol/route.js';
import type { SubscriptionGroupConfig } from '../../../protocol/admin.js';
import type { SubscriptionData } from '../../../protocol/heartbeat.js';

export type Awaitable<T> = T | Promise<T>;

/** One registered client connection (Apache ClientChannelInfo). */
export interface ClientConn {
  channel: Channel;
  clientId: string;
  language: string;
  version: number;
  /** Last heartbeat (ms). */
  lastUpdate?: number;
}

/** A consumer group as the consumer manager knows it (Apache ConsumerGroupInfo). */
export interface ConsumerGroupView {
  consumeType: string;
  messageModel: string;
  consumeFromWhere: string;
  subscriptions: SubscriptionData[];
  clients: ClientConn[];
}

export interface ConsumeQueueUnitView {
  queueOffset: number;
  phyOffset: number;
  size: number;
  tagsCode: number;
}

export interface QueryByKeyResult {
  records: Buffer[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

export interface TopicsPort {
  get(topic: string): TopicConfig | undefined;
  table(): Record<string, TopicConfig>;
  dataVersion(): DataVersion;
  /** Create or replace; persists and bumps the data version. */
  put(tc: TopicConfig): Awaitable<void>;
  remove(topic: string): Awaitable<void>;
  /** Next data version (and persist), so the name server re-reads every topic's queue data. */
  bumpDataVersion(): Awaitable<void>;
}

export interface GroupsPort {
  get(group: string): SubscriptionGroupConfig | undefined;
  table(): Record<string, SubscriptionGroupConfig>;
  dataVersion(): DataVersion;
  forbiddenTable(): Record<string, Record<string, number>>;
  put(cfg: SubscriptionGroupConfig): Awaitable<void>;
  remove(group: string): Awaitable<void>;
}

export interface OffsetsPort {
  /** Committed offset, -1 when none. */
  query(group: string, topic: string, queueId: number): number;
  /** queueId -> offset of one topic@group, undefined when none stored. */
  table(group: string, topic: string): Map<number, number> | undefined;
  commit(group: string, topic: string, queueId: number, offset: number): void;
  topicsOf(group: string): string[];
  groupsOf(topic: string): string[];
  removeTopic(topic: string): Awaitable<void>;
  removeGroup(group: string): Awaitable<void>;
  /** Highest pulled offset, -1 when unknown. */
  pullOffset(group: string, topic: string, queueId: number): number;
}

export interface StoreRuntime {
  minPhyOffset: number;
  maxPhyOffset: number;
  earliestMessageTime: number;
  dispatchBehindBytes: number;
  remainHowManyDataToFlush: number;
  storePathRootDir: string;
  storePathCommitLog: string;
}

export interface StorePort {
  maxOffset(topic: string, queueId: number): Awaitable<number>;
  minOffset(topic: string, queueId: number): Awaitable<number>;
  /** Store time of the message at a queue offset; -1 when absent. */
  storeTime(topic: string, queueId: number, offset: number): Awaitable<number>;
  /** Store time of the first message of the queue; -1 when empty. */
  earliestTime(topic: string, queueId: number): Awaitable<number>;
  offsetByTime(topic: string, queueId: number, timestamp: number): Awaitable<number>;
  /** One raw record at a commitlog offset, or null. */
  readRecord(phyOffset: number): Awaitable<Buffer | null>;
  queryByKey(topic: string, key: string, maxNum: number, begin: number, end: number): Awaitable<QueryByKeyResult>;
  /** Units [index, index+count) of a consume queue; null when the queue does not exist. */
  consumeQueue(topic: string, queueId: number, index: number, count: number):
    Awaitable<{ minOffset: number; maxOffset: number; units: ConsumeQueueUnitView[] } | null>;
  deleteTopics(topics: string[]): Awaitable<void>;
  cleanExpiredConsumeQueue(): Awaitable<void>;
  /** Drops consume queues of topics not in `retain` (CLEAN_UNUSED_TOPIC). */
  cleanUnusedTopic(retain: string[]): Awaitable<void>;
  deleteExpiredFilesManually(): Awaitable<void>;
  runtime(): Awaitable<StoreRuntime>;
}

export interface ConsumersPort {
  group(group: string): ConsumerGroupView | undefined;
  groupsSubscribing(topic: string): string[];
}

export interface ProducersPort {
  /** Clients of a producer group; undefined when the group is unknown. */
  clients(group: string): ClientConn[] | undefined;
  /** Every producer group with its clients. */
  all(): Record<string, ClientConn[]>;
}

/** Counters and rates behind GET_BROKER_RUNTIME_INFO / stats; anything missing counts as 0. */
export interface StatsPort {
  msgPutTotalYesterdayMorning?(): number;
  msgPutTotalTodayMorning?(): number;
  msgPutTotalTodayNow?(): number;
  msgGetTotalYesterdayMorning?(): number;
  msgGetTotalTodayMorning?(): number;
  msgGetTotalTodayNow?(): number;
  /** Rates over the last `seconds` (10, 60, 600). */
  putTps?(seconds: number): number;
  getTransferredTps?(seconds: number): number;
  getFoundTps?(seconds: number): number;
  getMissTps?(seconds: number): number;
  getTotalTps?(seconds: number): number;
  /** Puts of a topic per second over the last `seconds` (10 when absent). */
  topicPutTps?(topic: string, seconds?: number): number;
  groupGetTps?(group: string, topic: string, seconds?: number): number;
  /** Messages put to a topic since start. */
  topicPutTotal?(topic: string): number;
  /** Messages a group got from a topic since start. */
  groupGetTotal?(group: string, topic: string): number;
  putMessageTimesTotal?(): number;
  putMessageSizeTotal?(): number;
  putMessageFailedTimes?(): number;
  putMessageEntireTimeMax?(): number;
  getMessageEntireTimeMax?(): number;
  /** Put latency percentile in ms (0.99, 0.999). */
  putLatency?(quantile: number): number;
  /** putMessageDistributeTime text: put counts per latency range ("[0~1ms]:5 [1~5ms]:2 ..."). */
  putMessageDistributeText?(): string;
  sendQueueSize?(): number;
  pullQueueSize?(): number;
  /** Delay level -> next offset to deliver (schedule service). */
  delayOffsets?(): Map<number, number>;
}

export interface ConfigPort {
  /** Every broker + store config key with its current value (GET_BROKER_CONFIG). */
  properties(): Record<string, string | number | boolean>;
  /** Apply parsed properties text (UPDATE_BROKER_CONFIG); bumps the config data version. */
  update(props: Record<string, string>): Awaitable<void>;
  dataVersion(): DataVersion;
}

export interface AdminDeps {
  brokerName: string;
  clusterName: string;
  brokerAddr: string;
  /** Broker start time (ms). */
  startTime: number;
  /** `brokerRole` of the store: a SLAVE refuses offset resets. */
  isSlave(): boolean;
  logger: Logger;
  topics: TopicsPort;
  groups: GroupsPort;
  offsets: OffsetsPort;
  store: StorePort;
  consumers: ConsumersPort;
  producers: ProducersPort;
  stats: StatsPort;
  config: ConfigPort;
  /** Re-register to every name server now (topic change, brokerPermission change). */
  registerToNamesrvNow(): Awaitable<void>;
}
