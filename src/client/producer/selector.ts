// Queue selectors for ordered sending: the same key always lands on the same queue (Apache SelectMessageQueueByHash).
import type { Message } from '../../common/message.js';
import { javaStringHashCode } from '../../common/tags.js';
import type { MessageQueue } from '../../protocol/admin.js';

export type MessageQueueSelector = (mqs: MessageQueue[], msg: Message, arg: unknown) => MessageQueue;

/** Java hashCode of the argument: String.hashCode for text, the int value for integers. */
export function javaHashOf(arg: unknown): number {
  if (typeof arg === 'number' && Number.isInteger(arg) && arg >= -2147483648 && arg <= 2147483647) return arg;
  if (typeof arg === 'bigint') {
    const v = BigInt.asIntN(64, arg);
    return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
  }
  return javaStringHashCode(String(arg));
}

/** `hash % size`, made non-negative with abs (the Java rule). */
export const selectByHash: MessageQueueSelector = (mqs, _msg, arg) => {
  let v = javaHashOf(arg) % mqs.length;
  if (v < 0) v = Math.abs(v);
  return mqs[v];
};

export const selectRandom: MessageQueueSelector = (mqs) => mqs[Math.floor(Math.random() * mqs.length)];
