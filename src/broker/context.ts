/**
 * BrokerContext: everything a request processor needs. Built once by startBroker (src/broker/index.ts) and
 * handed to every processor family (send, pull, offsets, clients, and the admin processors in
 * processors/admin/). Hooks at the bottom let the delay/retry/transaction/SQL92 code plug into the send and
 * pull paths without the core knowing about them.
 */
import type { Logger } from '../common/logger.js';
import type { MessageExtBrokerInner } from '../common/message.js';
import type { SubscriptionData } from '../protocol/heartbeat.js';
import type { RemotingServer } from '../remoting/server.js';
import type { MessageStore } from '../store/message-store.js';
import type { ConsumerManager } from './client/consumer-manager.js';
import type { ProducerManager } from './client/producer-manager.js';
import type { BrokerConfig } from './config.js';
import type { ConsumerOffsetManager } from './consumer-offset-manager.js';
import type { BrokerStats } from './stats.js';
import type { SubscriptionGroupManager } from './subscription-group-manager.js';
import type { TopicConfigManager } from './topic-config-manager.js';

export type { ClientChannelInfo } from './client/channel-info.js';
export type { ConsumerGroupInfo } from './client/consumer-manager.js';
export type { BrokerConfig } from './config.js';
export type { TopicConfigManager } from './topic-config-manager.js';
export type { SubscriptionGroupManager } from './subscription-group-manager.js';
export type { ConsumerOffsetManager } from './consumer-offset-manager.js';
export type { ProducerManager } from './client/producer-manager.js';
export type { ConsumerManager } from './client/consumer-manager.js';
export type { BrokerStats } from './stats.js';

/** Predicate over a message's properties (SQL92 evaluation); true = deliver. */
export type PropertyFilter = (properties: Record<string, string>) => boolean;

export interface MessageFilterRequest {
  group: string;
  topic: string;
  /** 'TAG' or 'SQL92' (header expressionType, or the stored subscription's). */
  expressionType: string;
  /** The expression from the pull header (SUBSCRIPTION flag) or the group's registered subscription. */
  expression: string;
  subVersion: number;
  /** Registered subscription of the group for this topic, if the consumer heart-beat one. */
  subscription?: SubscriptionData;
}

/** What a SQL92 filter hook answers: a predicate, or a pull error (e.g. 23 SUBSCRIPTION_PARSE_FAILED). */
export interface MessageFilterResult {
  filter?: PropertyFilter;
  errorCode?: number;
  errorRemark?: string;
}

/** Outcome of a send hook: go on (undefined), or answer the producer with this code and remark. */
export interface SendHookResult {
  code: number;
  remark: string;
}

/**
 * Runs on every message of SEND_MESSAGE/_V2 before it is stored, after topic/queue checks and the %RETRY%
 * handling: may rewrite the message in place (delay level -> SCHEDULE_TOPIC_XXXX, transaction half message,
 * timer topic) or refuse it.
 */
export type SendMessageHook = (msg: MessageExtBrokerInner, info: { producerGroup: string; batch: boolean }) => SendHookResult | undefined;

export interface BrokerContext {
  config: BrokerConfig;
  store: MessageStore;
  topics: TopicConfigManager;
  groups: SubscriptionGroupManager;
  offsets: ConsumerOffsetManager;
  producers: ProducerManager;
  consumers: ConsumerManager;
  stats: BrokerStats;
  /** Advertised "ip:port" (brokerIP1:listenPort). */
  brokerAddr: string;
  /** Store host written into records and msgIds (same as brokerAddr). */
  storeHost: string;
  /** The port actually bound (listenPort, or the OS-chosen one when listenPort is 0). */
  listenPort: number;
  startTime: number;
  logger: Logger;
  server: RemotingServer;
  /** Register to every name server now (after topic changes); resolves when all answered or failed. */
  registerToNamesrvNow(): Promise<void>;
  /** Addresses of the name servers this broker registers to. */
  namesrvAddrs(): string[];
  /** True once close() began: new sends are refused, held pulls answered. */
  isShuttingDown(): boolean;

  /**
   * SQL92 filter hook, filled by the filter module (src/broker/filter/). Called for pulls whose expression
   * type is SQL92; undefined result (or no hook) means the broker cannot filter by SQL92 (code 1).
   */
  messageFilterFor?: (req: MessageFilterRequest) => MessageFilterResult | undefined;
  /** Hooks run in order on each message before store (delay levels, transactions, timer messages). */
  sendMessageHooks: SendMessageHook[];
  /**
   * Whether a consumer group holds an unexpired queue lock (orderly consumption); a send to its %RETRY% topic
   * then goes to the DLQ (semantics.md §10). Filled by the lock manager (admin processors).
   */
  isGroupLocked?: (group: string) => boolean;
  /** Wake long-polling pulls held on this queue (e.g. after an offset reset). */
  notifyMessageArriving(topic: string, queueId: number): void;
  /** Things to run at shutdown before the store closes (persist delay offsets, stop check-back timers). */
  shutdownHooks: Array<() => void | Promise<void>>;
}
