// What the consume services need from their push consumer.
import type { MessageExt } from '../../common/message.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { MessageModel } from '../../protocol/heartbeat.js';
import type { MQClientInstance } from '../instance.js';
import type { OffsetStore } from './offset-store.js';
import type { Rebalancer } from './rebalance.js';
import type { ConsumerStats } from './stats.js';

export interface ConsumeServiceHost {
  readonly group: string;
  readonly instance: MQClientInstance;
  readonly messageModel: MessageModel;
  readonly offsetStore: OffsetStore;
  readonly rebalancer: Rebalancer;
  readonly stats: ConsumerStats;
  readonly signal: AbortSignal;
  readonly consumeMessageBatchMaxSize: number;
  readonly suspendCurrentQueueTimeMillis: number;
  isRunning(): boolean;
  /** Effective max reconsume times (concurrent: -1 -> 16; orderly: -1 -> Integer.MAX_VALUE). */
  maxReconsumeTimes(): number;
  /** CONSUMER_SEND_MSG_BACK, falling back to a direct send to %RETRY%<group>; false when both failed. */
  sendMessageBack(msg: MessageExt, delayLevel: number, mq: MessageQueue): Promise<boolean>;
  /** Orderly: send a message that exhausted its retries to %RETRY%<group> (the broker moves it to the DLQ). */
  sendToRetryTopic(msg: MessageExt, delayLevel?: number): Promise<boolean>;
  prepareForConsume(msgs: MessageExt[]): void;
}
