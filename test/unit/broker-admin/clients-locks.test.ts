import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import {
  decodeConsumerConnection,
  decodeGetConsumerStatusBody,
  decodeLockBatchResponseBody,
  decodeProducerConnection,
  decodeResetOffsetBody,
  encodeGetConsumerStatusBody,
  encodeLockBatchRequestBody,
  type MessageQueue,
} from '../../../src/protocol/admin.js';
import { parseObjectBody } from '../../../src/protocol/body.js';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RebalanceLockManager } from '../../../src/broker/processors/admin/lock.js';
import { useHarness } from './harness.js';

const h = useHarness();

function waitFor<T>(get: () => T | undefined, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const v = get();
      if (v !== undefined) resolve(v);
      else if (Date.now() > until) reject(new Error('timed out waiting'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('connection lists', () => {
  it('GET_CONSUMER_CONNECTION_LIST: 206 when offline, else clients and subscriptions', async () => {
    const off = await h.call(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'CG' });
    expect(off.code).toBe(ResponseCode.CONSUMER_NOT_ONLINE);
    expect(off.remark).toBe('the consumer group[CG] not online');

    const { channel } = await h.addConsumer('CG', '10.0.0.1@4242#1', ['TopicA', 'TopicB']);
    const r = await h.call(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'CG' });
    expect(r.code).toBe(0);
    const c = decodeConsumerConnection(r.body!);
    expect(c.connectionSet).toEqual([{ clientId: '10.0.0.1@4242#1', clientAddr: channel.remoteAddr, language: 'JAVA', version: 479 }]);
    expect(Object.keys(c.subscriptionTable).sort()).toEqual(['TopicA', 'TopicB']);
    expect(c.consumeType).toBe('CONSUME_PASSIVELY');
    expect(c.messageModel).toBe('CLUSTERING');
    expect(c.consumeFromWhere).toBe('CONSUME_FROM_LAST_OFFSET');
  });

  it('GET_PRODUCER_CONNECTION_LIST: 1 for an unknown group, else its clients', async () => {
    const none = await h.call(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'PG' });
    expect(none.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(none.remark).toBe('the producer group[PG] not exist');
    const { channel } = await h.addConsumer('unused', 'x', []);
    h.ctx.producers.register('PG', { channel, clientId: 'prod-1', language: 'JAVA', version: 409, lastUpdate: Date.now() });
    const r = await h.call(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'PG' });
    expect(decodeProducerConnection(r.body!).connectionSet).toEqual([{ clientId: 'prod-1', clientAddr: channel.remoteAddr, language: 'JAVA', version: 409 }]);
  });
});

describe('INVOKE_BROKER_TO_RESET_OFFSET', () => {
  it('answers 206 when no consumer is online', async () => {
    h.createTopic('RT', 2);
    h.ctx.offsets.commit('RG', 'RT', 0, 0);
    h.ctx.offsets.commit('RG', 'RT', 1, 0);
    const r = await h.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'RT', group: 'RG', timestamp: -1, isForce: true });
    expect(r.code).toBe(ResponseCode.CONSUMER_NOT_ONLINE);
    expect(r.remark).toBe('Consumer not online, so can not reset offset, Group: RG Topic: RT Timestamp: -1');
    const noTopic = await h.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'Nope', group: 'RG', timestamp: -1, isForce: true });
    expect(noTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('computes offsets by time, commits them and pushes RESET_CONSUMER_CLIENT_OFFSET to the clients', async () => {
    h.createTopic('RT', 2);
    for (let i = 0; i < 3; i++) await h.put('RT', 0, `old${i}`);
    await new Promise((r) => setTimeout(r, 20));
    const mid = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 2; i++) await h.put('RT', 0, `new${i}`);
    await h.put('RT', 1, 'only');
    h.ctx.offsets.commit('RG', 'RT', 0, 5);
    h.ctx.offsets.commit('RG', 'RT', 1, 1);

    const { client } = await h.addConsumer('RG', 'c1', ['RT']);
    let pushed: RemotingCommand | undefined;
    client.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (req) => {
      pushed = req;
      return null;
    });

    const r = await h.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'RT', group: 'RG', timestamp: mid, isForce: false });
    expect(r.code).toBe(0);
    const table = new Map(decodeResetOffsetBody(r.body!).offsetTable.map(([mq, o]) => [mq.queueId, o]));
    // queue 0: first message stored at/after `mid` is offset 3; queue 1: its only message is newer than `mid` -> 0
    expect(table.get(0)).toBe(3);
    expect(table.get(1)).toBe(0);
    expect(h.ctx.offsets.query('RG', 'RT', 0)).toBe(3);
    expect(h.ctx.offsets.query('RG', 'RT', 1)).toBe(0);

    const push = await waitFor(() => pushed);
    expect(push.isOneway()).toBe(true);
    expect(push.field('topic')).toBe('RT');
    expect(push.field('group')).toBe('RG');
    expect(push.field('timestamp')).toBe(String(mid));
    const pushedTable = new Map(decodeResetOffsetBody(push.body!).offsetTable.map(([mq, o]) => [mq.queueId, o]));
    expect(pushedTable).toEqual(table);

    // without force, a timestamp later than the committed offset keeps the committed one
    const later = await h.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'RT', group: 'RG', timestamp: -1, isForce: false });
    const t2 = new Map(decodeResetOffsetBody(later.body!).offsetTable.map(([mq, o]) => [mq.queueId, o]));
    expect(t2.get(0)).toBe(3);
    const forced = await h.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'RT', group: 'RG', timestamp: -1, isForce: true });
    const t3 = new Map(decodeResetOffsetBody(forced.body!).offsetTable.map(([mq, o]) => [mq.queueId, o]));
    expect(t3.get(0)).toBe(5);
    expect(t3.get(1)).toBe(1);
  });

  it('INVOKE_BROKER_TO_GET_CONSUMER_STATUS collects each client answer', async () => {
    const { client } = await h.addConsumer('SG', 'c-status', ['ST']);
    const mq: MessageQueue = { topic: 'ST', brokerName: 'broker-a', queueId: 0 };
    client.registerProcessor(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, () => {
      const resp = RemotingCommand.createResponse(0);
      resp.body = encodeGetConsumerStatusBody({ consumerTable: {}, messageQueueTable: [[mq, 42]] });
      return resp;
    });
    const r = await h.call(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic: 'ST', group: 'SG' });
    expect(r.code).toBe(0);
    const body = decodeGetConsumerStatusBody(r.body!);
    expect(body.consumerTable['c-status']).toEqual([[mq, 42]]);
    const none = await h.call(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic: 'ST', group: 'Nobody' });
    expect(none.code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});

describe('relay to a client: GET_CONSUMER_RUNNING_INFO / CONSUME_MESSAGE_DIRECTLY', () => {
  it('forwards to the client found by clientId and returns its answer unchanged', async () => {
    const { client } = await h.addConsumer('RunG', 'client-7', ['RunT']);
    client.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, (req) => {
      const resp = RemotingCommand.createResponse(0, 'from client');
      resp.body = Buffer.from(JSON.stringify({ jstack: req.field('jstackEnable'), properties: { PROP_CONSUME_TYPE: 'CONSUME_PASSIVELY' } }));
      return resp;
    });
    let seen: RemotingCommand | undefined;
    client.registerProcessor(RequestCode.CONSUME_MESSAGE_DIRECTLY, (req) => {
      seen = req;
      const resp = RemotingCommand.createResponse(0);
      resp.body = Buffer.from('{"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"spentTimeMills":1}');
      return resp;
    });

    const info = await h.call(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'RunG', clientId: 'client-7', jstackEnable: true });
    expect(info.code).toBe(0);
    expect(info.remark).toBe('from client');
    expect(parseObjectBody(info.body!, 'x')).toMatchObject({ jstack: 'true' });

    const off = await h.call(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'RunG', clientId: 'ghost' });
    expect(off.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(off.remark).toBe('The Consumer <RunG> <ghost> not online');

    h.createTopic('RunT', 1);
    const sent = await h.put('RunT', 0, 'direct me');
    const direct = await h.call(RequestCode.CONSUME_MESSAGE_DIRECTLY, { consumerGroup: 'RunG', clientId: 'client-7', msgId: sent.msgId, topic: 'RunT' });
    expect(direct.code).toBe(0);
    expect(parseObjectBody(direct.body!, 'x').consumeResult).toBe('CR_SUCCESS');
    expect(seen!.field('brokerName')).toBe('broker-a');
    expect(seen!.field('topicSysFlag')).toBe('0');
    expect(seen!.field('msgId')).toBe(sent.msgId);
    expect(decodeMessages(seen!.body!)[0].body.toString()).toBe('direct me');
  });

  it('refuses clients older than V3_1_8_SNAPSHOT', async () => {
    await h.addConsumer('OldG', 'old-1', ['T'], 40);
    const r = await h.call(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'OldG', clientId: 'old-1' });
    expect(r.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(r.remark).toContain('too low to finish');
  });
});

describe('LOCK_BATCH_MQ / UNLOCK_BATCH_MQ', () => {
  const q0: MessageQueue = { topic: 'LockT', brokerName: 'broker-a', queueId: 0 };
  const q1: MessageQueue = { topic: 'LockT', brokerName: 'broker-a', queueId: 1 };

  async function lock(clientId: string, mqs: MessageQueue[]): Promise<number[]> {
    const r = await h.call(RequestCode.LOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody({ consumerGroup: 'LG', clientId, mqSet: mqs }));
    expect(r.code).toBe(0);
    return decodeLockBatchResponseBody(r.body!).lockOKMQSet.map((q) => q.queueId).sort();
  }

  it('gives each queue one owner per group; unlock frees only the owner`s queues', async () => {
    expect(await lock('A', [q0])).toEqual([0]);
    expect(await lock('B', [q0, q1])).toEqual([1]);
    expect(await lock('A', [q0, q1])).toEqual([0]);
    expect(h.ctx.isGroupLocked?.('LG')).toBe(true);
    expect(h.ctx.isGroupLocked?.('OtherGroup')).toBe(false);

    // B cannot unlock A's queue
    await h.call(RequestCode.UNLOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody({ consumerGroup: 'LG', clientId: 'B', mqSet: [q0] }));
    expect(await lock('B', [q0])).toEqual([]);
    const un = await h.call(RequestCode.UNLOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody({ consumerGroup: 'LG', clientId: 'A', mqSet: [q0] }));
    expect(un.code).toBe(0);
    expect(un.body).toBeUndefined();
    expect(await lock('B', [q0])).toEqual([0]);

    const bad = await h.call(RequestCode.LOCK_BATCH_MQ);
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('lets another client take a lock older than 60 s', () => {
    let now = 1_000_000;
    const m = new RebalanceLockManager(60_000, () => now);
    expect(m.tryLockBatch('G', [q0], 'A')).toHaveLength(1);
    now += 59_000;
    expect(m.tryLockBatch('G', [q0], 'B')).toHaveLength(0);
    // the holder refreshes its lock
    expect(m.tryLockBatch('G', [q0], 'A')).toHaveLength(1);
    now += 59_000;
    expect(m.tryLockBatch('G', [q0], 'B')).toHaveLength(0);
    now += 2_000;
    expect(m.hasLiveLock('G')).toBe(false);
    expect(m.tryLockBatch('G', [q0], 'B')).toHaveLength(1);
    expect(m.isLocked('G', q0, 'B')).toBe(true);
    expect(m.isLocked('G', q0, 'A')).toBe(false);
  });
});
