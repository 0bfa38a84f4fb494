// Listener contracts and settings of consumers (Apache MessageListenerConcurrently / MessageListenerOrderly).
import type { MessageExt } from '../../common/message.js';
import type { MessageQueue } from '../../protocol/admin.js';
import type { ConsumeFromWhere, MessageModel } from '../../protocol/heartbeat.js';

/**
 * Listener results, as values (like Java's enums) and as types. Return `ConsumeConcurrentlyStatus.CONSUME_SUCCESS`
 * from an async listener: TypeScript widens a bare string literal returned by an async arrow to `string`, which
 * the listener type then refuses; the constant keeps its literal type. Plain (non-async) listeners may return the
 * bare strings.
 */
export const ConsumeConcurrentlyStatus = { CONSUME_SUCCESS: 'CONSUME_SUCCESS', RECONSUME_LATER: 'RECONSUME_LATER' } as const;
export type ConsumeConcurrentlyStatus = (typeof ConsumeConcurrentlyStatus)[keyof typeof ConsumeConcurrentlyStatus];
export const ConsumeOrderlyStatus = { SUCCESS: 'SUCCESS', SUSPEND_CURRENT_QUEUE_A_MOMENT: 'SUSPEND_CURRENT_QUEUE_A_MOMENT' } as const;
export type ConsumeOrderlyStatus = (typeof ConsumeOrderlyStatus)[keyof typeof ConsumeOrderlyStatus];

export interface ConsumeConcurrentlyContext {
  messageQueue: MessageQueue;
  /** 0 = the broker picks 3 + reconsumeTimes; > 0 a delay level; < 0 straight to the DLQ. */
  delayLevelWhenNextConsume: number;
  /** On success, messages after this index are treated as failed. */
  ackIndex: number;
}

export interface ConsumeOrderlyContext {
  messageQueue: MessageQueue;
  autoCommit: boolean;
  /** Pause before a suspended queue is consumed again (-1 = the consumer's setting). */
  suspendCurrentQueueTimeMillis: number;
}

export type MessageListenerConcurrently = (
  msgs: MessageExt[],
  ctx: ConsumeConcurrentlyContext,
) => ConsumeConcurrentlyStatus | null | undefined | Promise<ConsumeConcurrentlyStatus | null | undefined>;

export type MessageListenerOrderly = (
  msgs: MessageExt[],
  ctx: ConsumeOrderlyContext,
) => ConsumeOrderlyStatus | null | undefined | Promise<ConsumeOrderlyStatus | null | undefined>;

export type { ConsumeFromWhere, MessageModel };

/** Apache UtilAll.timeMillisToHumanString3 pattern yyyyMMddHHmmss (local time) -> ms. */
export function parseConsumeTimestamp(v: string | number | undefined, now = Date.now()): number {
  if (v === undefined) return now - 30 * 60 * 1000;
  if (typeof v === 'number') return v;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (m) return new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]).getTime();
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const d = Date.parse(v);
  if (Number.isFinite(d)) return d;
  throw new Error(`bad consume timestamp '${v}' (yyyyMMddHHmmss, ms, or an ISO date)`);
}
