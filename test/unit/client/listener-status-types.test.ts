// The listener types must accept an async listener that returns a status constant (a bare string literal from an
// async arrow widens to `string` in TypeScript). `npm run typecheck` compiles this file; the runtime part checks
// the constants' values are the wire names Java uses.
import { describe, expect, it } from 'vitest';
import {
  ConsumeConcurrentlyStatus,
  ConsumeOrderlyStatus,
  type MessageListenerConcurrently,
  type MessageListenerOrderly,
} from '../../../src/index.js';

const concurrent: MessageListenerConcurrently = async (msgs) => {
  await Promise.resolve();
  return msgs.length > 0 ? ConsumeConcurrentlyStatus.CONSUME_SUCCESS : ConsumeConcurrentlyStatus.RECONSUME_LATER;
};
const orderly: MessageListenerOrderly = async () => ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;

describe('listener status constants', () => {
  it('carry the names Apache uses', async () => {
    expect(await concurrent([], { messageQueue: { topic: 't', brokerName: 'b', queueId: 0 }, delayLevelWhenNextConsume: 0, ackIndex: 0 })).toBe('RECONSUME_LATER');
    expect(await orderly([], { messageQueue: { topic: 't', brokerName: 'b', queueId: 0 }, autoCommit: true, suspendCurrentQueueTimeMillis: -1 })).toBe('SUSPEND_CURRENT_QUEUE_A_MOMENT');
    expect(ConsumeConcurrentlyStatus.CONSUME_SUCCESS).toBe('CONSUME_SUCCESS');
    expect(ConsumeOrderlyStatus.SUCCESS).toBe('SUCCESS');
  });
});
