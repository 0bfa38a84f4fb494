// Concurrent consumption (Apache ConsumeMessageConcurrentlyService): batches of consumeMessageBatchMaxSize run
// with bounded concurrency; failures are sent back to the broker (CONSUMER_SEND_MSG_BACK) in clustering mode,
// and a message whose send-back failed is consumed again locally after 5 s; offsets advance to the smallest
// message still cached.
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { ConsumeMessageDirectlyResult } from '../../protocol/client.js';
import type { ProcessQueue } from './process-queue.js';
import type { ConsumeServiceHost } from './service-host.js';
import type { ConsumeConcurrentlyContext, MessageListenerConcurrently } from './types.js';
import { callListener, consumeDirectly } from './listener-call.js';
import { delay, Limiter } from './util.js';

const ACK_ALL = 2147483647;

export class ConsumeConcurrentlyService {
  private readonly limiter: Limiter;

  constructor(private readonly host: ConsumeServiceHost, private readonly listener: MessageListenerConcurrently, concurrency: number) {
    this.limiter = new Limiter(Math.max(1, concurrency));
  }

  submit(msgs: MessageExt[], pq: ProcessQueue, mq: MessageQueue): void {
    const n = Math.max(1, this.host.consumeMessageBatchMaxSize);
    for (let i = 0; i < msgs.length; i += n) {
      const chunk = msgs.slice(i, i + n);
      this.limiter.run(() => this.consume(chunk, pq, mq), (e) => this.host.instance.logger.warn(`consume task failed: ${(e as Error).message}`));
    }
  }

  idle(ms: number): Promise<boolean> {
    return this.limiter.idle(ms);
  }

  private async consume(msgs: MessageExt[], pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    // once the consumer stops, cached messages stay unconsumed (and their offsets uncommitted)
    if (pq.dropped || !this.host.isRunning()) return;
    this.host.prepareForConsume(msgs);
    const ctx: ConsumeConcurrentlyContext = { messageQueue: { ...mq }, delayLevelWhenNextConsume: 0, ackIndex: ACK_ALL };
    const begin = Date.now();
    const status = (await callListener(this.host, this.listener, msgs, ctx)) ?? 'RECONSUME_LATER';
    if (pq.dropped) return;
    let ackIndex = ctx.ackIndex;
    if (status === 'CONSUME_SUCCESS') {
      if (ackIndex >= msgs.length) ackIndex = msgs.length - 1;
    } else {
      ackIndex = -1;
    }
    this.host.stats.consumedBatch(mq.topic, Date.now() - begin, ackIndex + 1, msgs.length - ackIndex - 1);
    const backFailed: MessageExt[] = [];
    if (this.host.messageModel === 'CLUSTERING') {
      for (let i = ackIndex + 1; i < msgs.length; i++) {
        const m = msgs[i];
        if (!(await this.host.sendMessageBack(m, ctx.delayLevelWhenNextConsume, mq))) {
          m.reconsumeTimes++;
          backFailed.push(m);
        }
      }
    } else {
      for (let i = ackIndex + 1; i < msgs.length; i++) {
        this.host.instance.logger.warn(`BROADCASTING, the message consume failed, drop it, ${msgs[i].msgId}`);
      }
    }
    const done = backFailed.length ? msgs.filter((m) => !backFailed.includes(m)) : msgs;
    const offset = pq.removeMessage(done);
    if (offset >= 0 && !pq.dropped) this.host.offsetStore.updateOffset(mq, offset, true);
    if (backFailed.length) {
      await delay(5000, this.host.signal);
      if (this.host.isRunning() && !pq.dropped) this.submit(backFailed, pq, mq);
    }
  }

  /** CONSUME_MESSAGE_DIRECTLY: run the listener on one message, report the outcome, commit nothing. */
  consumeDirectly(msg: MessageExt, mq: MessageQueue): Promise<ConsumeMessageDirectlyResult> {
    const ctx: ConsumeConcurrentlyContext = { messageQueue: mq, delayLevelWhenNextConsume: 0, ackIndex: ACK_ALL };
    return consumeDirectly(this.host, this.listener, msg, ctx, { success: 'CONSUME_SUCCESS', later: 'RECONSUME_LATER', order: false });
  }
}

/** Restores the original topic of messages pulled from %RETRY%<group> and stamps CONSUME_START_TIME. */
export function resetRetryTopic(msgs: MessageExt[], group: string): void {
  const retry = '%RETRY%' + group;
  const now = String(Date.now());
  for (const m of msgs) {
    const rt = m.properties[MessageConst.RETRY_TOPIC];
    if (rt && m.topic === retry) m.topic = rt;
    m.properties[MessageConst.CONSUME_START_TIMESTAMP] = now;
  }
}
