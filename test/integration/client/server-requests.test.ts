// Requests the broker relays to a running consumer: GET_CONSUMER_RUNNING_INFO (307), CONSUME_MESSAGE_DIRECTLY
// (309), INVOKE_BROKER_TO_RESET_OFFSET (222 -> 220 to the client), INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223 -> 221).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer, PushConsumer, createMessage } from '../../../src/client/index.js';
import type { MessageExt } from '../../../src/common/message.js';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RequestCode } from '../../../src/protocol/codes.js';
import { decodeConsumeMessageDirectlyResult, decodeConsumerRunningInfo } from '../../../src/protocol/client.js';
import { decodeGetConsumerStatusBody } from '../../../src/protocol/admin.js';
import { startTestBroker, uniqueName, waitFor, type TestBroker } from './harness.js';

let b: TestBroker;
let producer: Producer;
let consumer: PushConsumer;
let admin: RemotingClient;
const topic = uniqueName('T');
const group = uniqueName('CG');
const got: MessageExt[] = [];

beforeAll(async () => {
  b = await startTestBroker();
  producer = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
  await producer.start();
  for (let i = 0; i < 4; i++) await producer.send(createMessage({ topic, body: `m${i}` }));
  consumer = new PushConsumer({ namesrvAddr: b.namesrv, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener((msgs) => {
    got.push(...msgs);
    return 'CONSUME_SUCCESS';
  });
  await consumer.start();
  await waitFor(() => got.length >= 4, 15000, '4 messages');
  admin = new RemotingClient();
});
afterAll(async () => {
  admin?.close();
  await consumer?.shutdown();
  await producer?.shutdown();
  await b?.stop();
});

function brokerAddr(): string {
  return b.broker || consumer.instance.findBrokerAddressInPublish(consumer.instance.brokerNames()[0])!;
}

describe('broker -> client requests', () => {
  it('GET_CONSUMER_RUNNING_INFO returns the consumer state', async () => {
    const res = await admin.invoke(brokerAddr(), RemotingCommand.createRequest(RequestCode.GET_CONSUMER_RUNNING_INFO,
      { consumerGroup: group, clientId: consumer.clientId, jstackEnable: false }), 15000);
    expect(res.code, res.remark).toBe(0);
    const info = decodeConsumerRunningInfo(res.body!);
    expect(info.properties.PROP_CONSUME_TYPE).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptionSet.map((s) => s.topic)).toContain(topic);
    expect(info.mqTable.filter(([mq]) => mq.topic === topic)).toHaveLength(4);
  });

  it('CONSUME_MESSAGE_DIRECTLY runs the listener on the message', async () => {
    const before = got.length;
    const res = await admin.invoke(brokerAddr(), RemotingCommand.createRequest(RequestCode.CONSUME_MESSAGE_DIRECTLY,
      { consumerGroup: group, clientId: consumer.clientId, msgId: got[0].msgId, brokerName: consumer.instance.brokerNames()[0] }), 15000);
    expect(res.code, res.remark).toBe(0);
    expect(decodeConsumeMessageDirectlyResult(res.body!).consumeResult).toBe('CR_SUCCESS');
    expect(got.length).toBe(before + 1);
    expect(got[got.length - 1].body.toString()).toBe(got[0].body.toString());
  });

  it('GET_CONSUMER_STATUS (via 223) reports the committed offsets', async () => {
    await waitFor(() => consumer.offsetsOf(topic).reduce((n, [, o]) => n + o, 0) >= 4, 10000, 'offsets');
    const res = await admin.invoke(brokerAddr(), RemotingCommand.createRequest(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS,
      { topic, group }), 15000);
    expect(res.code, res.remark).toBe(0);
    const body = decodeGetConsumerStatusBody(res.body!);
    const mine = body.consumerTable[consumer.clientId];
    expect(mine).toBeDefined();
    expect(mine.reduce((n, [, o]) => n + o, 0)).toBe(4);
  });

  it('a reset by time (222) rewinds the consumer, which consumes the messages again', async () => {
    const before = got.length;
    // the broker resets what it knows: commit now instead of waiting for the 5 s timer
    await consumer.offsetStore.persistAll(consumer.assignedQueues(), true);
    const res = await admin.invoke(brokerAddr(), RemotingCommand.createRequest(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
      { topic, group, timestamp: 0, isForce: true }), 15000);
    expect(res.code, res.remark).toBe(0);
    await waitFor(() => got.length >= before + 4, 20000, 'redelivery after reset');
    const again = got.slice(before).map((m) => m.body.toString()).sort();
    expect(again).toEqual(['m0', 'm1', 'm2', 'm3']);
  });
});
