// Orderly consumption (Apache ConsumeMessageOrderlyService): one runner per queue at a time, messages handed
// over strictly in offset order, only while this client holds the broker lock of the queue (clustering).
// SUSPEND_CURRENT_QUEUE_A_MOMENT puts the batch back and pauses the queue; a message past maxReconsumeTimes
// goes to %RETRY%<group> (and from there to the DLQ).
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { ConsumeMessageDirectlyResult } from '../../protocol/client.js';
import type { ProcessQueue } from './process-queue.js';
import type { ConsumeServiceHost } from './service-host.js';
import type { ConsumeOrderlyContext, MessageListenerOrderly } from './types.js';
import { callListener, consumeDirectly } from './listener-call.js';
import { delay, Limiter } from './util.js';

/** A queue yields after consuming continuously this long (Java MAX_TIME_CONSUME_CONTINUOUSLY). */
const MAX_TIME_CONSUME_CONTINUOUSLY = 60_000;

const suspendedUntil = new WeakMap<ProcessQueue, number>();

export class ConsumeOrderlyService {
  private readonly limiter: Limiter;

  constructor(private readonly host: ConsumeServiceHost, private readonly listener: MessageListenerOrderly, concurrency: number) {
    this.limiter = new Limiter(Math.max(1, concurrency));
  }

  submit(_msgs: MessageExt[], pq: ProcessQueue, mq: MessageQueue, dispatchToConsume: boolean): void {
    if (dispatchToConsume) this.schedule(pq, mq, 0);
  }

  idle(ms: number): Promise<boolean> {
    return this.limiter.idle(ms);
  }

  private schedule(pq: ProcessQueue, mq: MessageQueue, delayMs: number): void {
    this.limiter.run(async () => {
      if (delayMs > 0) await delay(delayMs, this.host.signal);
      if (!this.host.isRunning() || pq.dropped) return;
      await this.runQueue(pq, mq);
    }, (e) => this.host.instance.logger.warn(`orderly consume task failed: ${(e as Error).message}`));
  }

  private needsLock(pq: ProcessQueue): boolean {
    return this.host.messageModel === 'CLUSTERING' && (!pq.locked || pq.isLockExpired());
  }

  private async tryLockLater(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    const ok = await this.host.rebalancer.lock(mq);
    this.schedule(pq, mq, ok ? 10 : 3000);
  }

  private async runQueue(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    if (pq.dropped || pq.consuming) return;
    const until = suspendedUntil.get(pq) ?? 0;
    if (until > Date.now()) {
      this.schedule(pq, mq, until - Date.now());
      return;
    }
    pq.consuming = true;
    let relock = false;
    try {
      const begin = Date.now();
      while (!pq.dropped && this.host.isRunning()) {
        if (this.needsLock(pq)) {
          relock = true;
          break;
        }
        if (Date.now() - begin > MAX_TIME_CONSUME_CONTINUOUSLY) {
          this.schedule(pq, mq, 10);
          break;
        }
        const msgs = pq.takeMessages(Math.max(1, this.host.consumeMessageBatchMaxSize));
        if (msgs.length === 0) break;
        this.host.prepareForConsume(msgs);
        const ctx: ConsumeOrderlyContext = { messageQueue: { ...mq }, autoCommit: true, suspendCurrentQueueTimeMillis: -1 };
        const t0 = Date.now();
        const status = (await callListener(this.host, this.listener, msgs, ctx)) ?? 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        this.host.stats.consumedBatch(mq.topic, Date.now() - t0, status === 'SUCCESS' ? msgs.length : 0, status === 'SUCCESS' ? 0 : msgs.length);
        if (pq.dropped) break;
        let commitOffset = -1;
        let stop = false;
        if (status === 'SUCCESS') {
          commitOffset = pq.commit();
        } else if (await this.checkReconsumeTimes(msgs)) {
          pq.makeMessageToConsumeAgain(msgs);
          const pause = ctx.suspendCurrentQueueTimeMillis >= 10 && ctx.suspendCurrentQueueTimeMillis <= 30000
            ? ctx.suspendCurrentQueueTimeMillis : this.host.suspendCurrentQueueTimeMillis;
          suspendedUntil.set(pq, Date.now() + pause);
          this.schedule(pq, mq, pause);
          stop = true;
        } else {
          commitOffset = pq.commit();
        }
        if (commitOffset >= 0 && !pq.dropped) this.host.offsetStore.updateOffset(mq, commitOffset, false);
        if (stop) break;
      }
    } finally {
      pq.consuming = false;
    }
    if (relock && !pq.dropped && this.host.isRunning()) await this.tryLockLater(pq, mq);
  }

  /** True when the batch must be consumed again; messages past the limit are sent on to the retry topic. */
  private async checkReconsumeTimes(msgs: MessageExt[]): Promise<boolean> {
    let suspend = false;
    const max = this.host.maxReconsumeTimes();
    for (const m of msgs) {
      if (m.reconsumeTimes >= max) {
        m.properties[MessageConst.RECONSUME_TIME] = String(m.reconsumeTimes);
        if (!(await this.host.sendToRetryTopic(m))) {
          suspend = true;
          m.reconsumeTimes++;
        }
      } else {
        suspend = true;
        m.reconsumeTimes++;
      }
    }
    return suspend;
  }

  consumeDirectly(msg: MessageExt, mq: MessageQueue): Promise<ConsumeMessageDirectlyResult> {
    const ctx: ConsumeOrderlyContext = { messageQueue: mq, autoCommit: true, suspendCurrentQueueTimeMillis: -1 };
    return consumeDirectly(this.host, this.listener, msg, ctx, { success: 'SUCCESS', later: 'SUSPEND_CURRENT_QUEUE_A_MOMENT', order: true });
  }
}
