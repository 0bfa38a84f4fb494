/**
 * Send-path rewrites for delayed messages (semantics.md §6, §7): a DELAY level parks the message in
 * SCHEDULE_TOPIC_XXXX queue level−1; a 5.x TIMER_* property parks it in rmq_sys_wheel_timer queue 0. The real
 * topic and queue travel in REAL_TOPIC / REAL_QID. Pure functions over the message the broker is about to store.
 */
import type { MessageExtBrokerInner } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { SysFlag, transactionType } from '../../common/sysflag.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../common/topics.js';
import type { DelayLevels } from './delay-levels.js';

export const TIMER_TOPIC = 'rmq_sys_wheel_timer';
export const TIMER_OUT_MS = 'TIMER_OUT_MS';
export const TIMER_DEL_UNIQKEY = 'TIMER_DEL_UNIQKEY';
export const TIMER_ENQUEUE_MS = 'TIMER_ENQUEUE_MS';
export const TIMER_DEQUEUE_MS = 'TIMER_DEQUEUE_MS';

/** Only normal and committed messages are delayed (half messages and rollbacks are not). */
function isDelayableType(sysFlag: number): boolean {
  const t = transactionType(sysFlag);
  return t === SysFlag.TRANSACTION_NOT_TYPE || t === SysFlag.TRANSACTION_COMMIT_TYPE;
}

export function delayLevelOf(msg: { properties: Record<string, string> }): number {
  const v = msg.properties[MessageConst.DELAY_TIME_LEVEL];
  if (v === undefined) return 0;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

/**
 * Moves a message with DELAY > 0 into the schedule topic (capping the level to the max). Returns true when
 * the message was rewritten. The consume-queue tags code (store time + level delay) is set by the store's
 * dispatcher from the DELAY property.
 */
export function transformDelayLevelMessage(msg: MessageExtBrokerInner, levels: DelayLevels): boolean {
  if (!isDelayableType(msg.sysFlag)) return false;
  let level = delayLevelOf(msg);
  if (level <= 0) return false;
  if (level > levels.maxLevel) {
    level = levels.maxLevel;
    msg.properties[MessageConst.DELAY_TIME_LEVEL] = String(level);
  }
  msg.properties[MessageConst.REAL_TOPIC] = msg.topic;
  msg.properties[MessageConst.REAL_QUEUE_ID] = String(msg.queueId);
  msg.topic = RMQ_SYS_SCHEDULE_TOPIC;
  msg.queueId = level - 1;
  // tagsCode for the schedule topic = deliver time; the dispatcher recomputes it from the store timestamp.
  msg.tagsCode = (msg.storeTimestamp ?? Date.now()) + levels.delayOf(level);
  return true;
}

export interface TimerConfig {
  timerWheelEnable: boolean;
  timerMaxDelaySec: number;
  timerPrecisionMs: number;
}

export type TimerRewrite =
  | { kind: 'none' }
  | { kind: 'timer'; deliverMs: number }
  /** `code` is the response code to answer the send with (1 SYSTEM_ERROR, 13 MESSAGE_ILLEGAL). */
  | { kind: 'error'; code: number; remark: string };

/** True when the message asks for the 5.x timer; a DELAY level wins and strips the TIMER_* properties. */
export function isTimerMessage(msg: MessageExtBrokerInner): boolean {
  const p = msg.properties;
  if (delayLevelOf(msg) > 0) {
    delete p[MessageConst.TIMER_DELIVER_MS];
    delete p[MessageConst.TIMER_DELAY_SEC];
    delete p[MessageConst.TIMER_DELAY_MS];
    return false;
  }
  if (msg.topic === TIMER_TOPIC || p[TIMER_OUT_MS] !== undefined) return false;
  return p[MessageConst.TIMER_DELIVER_MS] !== undefined || p[MessageConst.TIMER_DELAY_SEC] !== undefined ||
    p[MessageConst.TIMER_DELAY_MS] !== undefined;
}

function parseJavaLong(s: string): number | null {
  return /^[+-]?\d{1,19}$/.test(s.trim()) && s.trim() === s ? Number(s) : null;
}

/**
 * Applies a TIMER_* property (HookUtils order: TIMER_DELAY_SEC, then TIMER_DELAY_MS, then TIMER_DELIVER_MS).
 * Deliver time ≤ now: stored normally. Otherwise the deliver time is rounded down to the precision (an exact
 * multiple moves one slot earlier), written as TIMER_OUT_MS, and the message goes to the timer topic.
 * The wheel delivers slot T once a full precision has passed (now ≥ T + precision), so never early.
 */
export function transformTimerMessage(msg: MessageExtBrokerInner, cfg: TimerConfig, now = Date.now()): TimerRewrite {
  if (!isDelayableType(msg.sysFlag) || !isTimerMessage(msg)) return { kind: 'none' };
  if (!cfg.timerWheelEnable) {
    return { kind: 'error', code: 1, remark: 'accurate timer message is not enabled, timerWheelEnable is false' };
  }
  const p = msg.properties;
  let deliverMs: number | null;
  if (p[MessageConst.TIMER_DELAY_SEC] !== undefined) {
    const s = parseJavaLong(p[MessageConst.TIMER_DELAY_SEC]);
    deliverMs = s === null ? null : now + s * 1000;
  } else if (p[MessageConst.TIMER_DELAY_MS] !== undefined) {
    const s = parseJavaLong(p[MessageConst.TIMER_DELAY_MS]);
    deliverMs = s === null ? null : now + s;
  } else {
    deliverMs = parseJavaLong(p[MessageConst.TIMER_DELIVER_MS]);
  }
  if (deliverMs === null) return { kind: 'error', code: 13, remark: 'timer message illegal: bad TIMER_* property value' };
  if (deliverMs <= now) {
    if (p[TIMER_DEL_UNIQKEY] !== undefined) return { kind: 'error', code: 13, remark: 'timer message illegal: delete marker in the past' };
    return { kind: 'none' };
  }
  if (deliverMs - now > cfg.timerMaxDelaySec * 1000) {
    return { kind: 'error', code: 13, remark: `timer message illegal: delay exceeds timerMaxDelaySec ${cfg.timerMaxDelaySec}` };
  }
  const prec = cfg.timerPrecisionMs;
  deliverMs = deliverMs % prec === 0 ? deliverMs - prec : Math.floor(deliverMs / prec) * prec;
  p[TIMER_OUT_MS] = String(deliverMs);
  p[MessageConst.REAL_TOPIC] = msg.topic;
  p[MessageConst.REAL_QUEUE_ID] = String(msg.queueId);
  msg.topic = TIMER_TOPIC;
  msg.queueId = 0;
  return { kind: 'timer', deliverMs };
}

/**
 * Both rewrites in Apache's order for the send path. Returns an error to answer with, or null when the
 * message (possibly rewritten) is to be stored.
 */
export function applyScheduleRewrites(msg: MessageExtBrokerInner, levels: DelayLevels, timer: TimerConfig,
  now = Date.now()): { code: number; remark: string } | null {
  const t = transformTimerMessage(msg, timer, now);
  if (t.kind === 'error') return { code: t.code, remark: t.remark };
  if (t.kind === 'none') transformDelayLevelMessage(msg, levels);
  return null;
}
