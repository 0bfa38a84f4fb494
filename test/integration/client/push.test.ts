// Producer + push consumer against our standalone broker (child process).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MQClientInstance, Producer, PushConsumer, createMessage, selectByHash, type MessageQueue,
} from '../../../src/client/index.js';
import type { MessageExt } from '../../../src/common/message.js';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { SysFlag } from '../../../src/common/sysflag.js';
import { startTestBroker, uniqueName, waitFor, type TestBroker } from './harness.js';

let b: TestBroker;
let producer: Producer;
const open: PushConsumer[] = [];

beforeAll(async () => {
  b = await startTestBroker();
  producer = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
  await producer.start();
});
afterAll(async () => {
  for (const c of open) await c.shutdown();
  await producer?.shutdown();
  await b?.stop();
});

function consumer(group: string, opts: Partial<ConstructorParameters<typeof PushConsumer>[0]> = {}): PushConsumer {
  const c = new PushConsumer({ namesrvAddr: b.namesrv, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', ...opts });
  open.push(c);
  return c;
}

function collect(c: PushConsumer, topic: string, expr = '*'): MessageExt[] {
  const got: MessageExt[] = [];
  c.subscribe(topic, expr);
  c.registerMessageListener((msgs) => {
    got.push(...msgs);
    return 'CONSUME_SUCCESS';
  });
  return got;
}

const uniq = (msgs: MessageExt[]): Set<string> => new Set(msgs.map((m) => m.properties.UNIQ_KEY));
const ownQueues = (c: PushConsumer, topic: string): MessageQueue[] => c.assignedQueues().filter((q) => q.topic === topic);

describe('producer', () => {
  it('sync send round-trips body, tags, keys, properties and UNIQ_KEY', async () => {
    const topic = uniqueName('T');
    const r = await producer.send(createMessage({ topic, body: 'hello', tags: 'TagA', keys: ['k1', 'k2'], properties: { color: 'red' } }));
    expect(r.sendStatus).toBe('SEND_OK');
    expect(r.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(r.offsetMsgId).toMatch(/^[0-9A-F]{32}$/);
    expect(r.queueOffset).toBe(0);
    const c = consumer(uniqueName('CG'));
    const got = collect(c, topic);
    await c.start();
    await waitFor(() => got.length >= 1, 15000, 'message');
    const m = got[0];
    expect(m.body.toString()).toBe('hello');
    expect(m.properties.TAGS).toBe('TagA');
    expect(m.properties.KEYS).toBe('k1 k2');
    expect(m.properties.color).toBe('red');
    expect(m.properties.UNIQ_KEY).toBe(r.msgId);
    expect(m.msgId).toBe(r.offsetMsgId);
    expect(m.queueId).toBe(r.messageQueue.queueId);
  });

  it('compresses bodies over 4 KiB (sysFlag) and the consumer inflates them', async () => {
    const topic = uniqueName('T');
    const big = Buffer.from('0123456789abcdef'.repeat(1024));
    const r = await producer.send(createMessage({ topic, body: big }));
    const inst = producer.instance;
    const addr = inst.findBrokerAddressInPublish(r.messageQueue.brokerName)!;
    const raw = await inst.api.pullMessage(addr, {
      consumerGroup: uniqueName('RAW'), topic, queueId: r.messageQueue.queueId, queueOffset: 0, maxMsgNums: 1,
      sysFlag: 4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG',
    }, 5000);
    expect(raw.status).toBe('FOUND');
    const stored = decodeMessages(raw.body!, { decompress: false })[0];
    expect(stored.sysFlag & SysFlag.COMPRESSED).toBe(SysFlag.COMPRESSED);
    expect(stored.body.length).toBeLessThan(big.length);
    const c = consumer(uniqueName('CG'));
    const got = collect(c, topic);
    await c.start();
    await waitFor(() => got.length >= 1, 15000, 'message');
    expect(got[0].body.equals(big)).toBe(true);
  });

  it('batch, async and oneway sends all arrive; a batch keeps order and per-message ids', async () => {
    const topic = uniqueName('T');
    const mq = (await producer.fetchPublishMessageQueues(topic))[0];
    const batch = [0, 1, 2, 3, 4].map((i) => createMessage({ topic, body: `b${i}` }));
    const br = await producer.sendBatch(batch, 3000, mq);
    expect(br.msgId.split(',')).toHaveLength(5);
    expect(br.offsetMsgId.split(',')).toHaveLength(5);
    const ar = await Promise.all([0, 1, 2].map((i) => producer.sendAsync(createMessage({ topic, body: `a${i}` }))));
    expect(ar.every((r) => r.sendStatus === 'SEND_OK')).toBe(true);
    await producer.sendOneway(createMessage({ topic, body: 'o0' }));
    const c = consumer(uniqueName('CG'));
    const got = collect(c, topic);
    await c.start();
    await waitFor(() => got.length >= 9, 15000, '9 messages');
    const bodies = got.map((m) => m.body.toString());
    expect(new Set(bodies)).toEqual(new Set(['b0', 'b1', 'b2', 'b3', 'b4', 'a0', 'a1', 'a2', 'o0']));
    const inBatch = got.filter((m) => m.body.toString().startsWith('b')).sort((x, y) => x.queueOffset - y.queueOffset);
    expect(inBatch.map((m) => m.body.toString())).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(inBatch.map((m) => m.properties.UNIQ_KEY)).toEqual(br.msgId.split(','));
  });
});

describe('push consumer', () => {
  it('filters by tag expression A || B', async () => {
    const topic = uniqueName('T');
    for (const tag of ['A', 'B', 'C', 'A']) await producer.send(createMessage({ topic, body: tag, tags: tag }));
    await producer.send(createMessage({ topic, body: 'none' }));
    const c = consumer(uniqueName('CG'));
    const got = collect(c, topic, 'A || B');
    await c.start();
    await waitFor(() => got.length >= 3, 15000, '3 messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((m) => m.body.toString()).sort()).toEqual(['A', 'A', 'B']);
  });

  it('orderly consumption keeps strict per-key order over 4 queues', async () => {
    const topic = uniqueName('T');
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
    const used = new Set<number>();
    for (let i = 0; i < 20; i++) {
      for (const k of keys) {
        const r = await producer.sendWithSelector(createMessage({ topic, body: `${k}:${i}`, keys: k }), selectByHash, k);
        used.add(r.messageQueue.queueId);
      }
    }
    expect(used.size).toBeGreaterThan(1);
    const c = consumer(uniqueName('CG'), { consumeMessageBatchMaxSize: 3 });
    const seen = new Map<string, number[]>();
    let total = 0;
    c.subscribe(topic, '*');
    c.registerMessageListenerOrderly(async (msgs) => {
      for (const m of msgs) {
        const [k, i] = m.body.toString().split(':');
        (seen.get(k) ?? seen.set(k, []).get(k)!).push(Number(i));
        total++;
      }
      await new Promise((r) => setTimeout(r, 1));
      return 'SUCCESS' as const;
    });
    await c.start();
    await waitFor(() => total >= 120, 20000, '120 messages');
    for (const k of keys) expect(seen.get(k)).toEqual([...Array(20).keys()]);
  });

  it('two orderly consumers of a group lock disjoint queues and keep per-key order', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await producer.send(createMessage({ topic, body: 'init:0' }));
    const seen = new Map<string, number[]>();
    const byClient = new Map<string, Set<number>>();
    const mk = (): PushConsumer => {
      const c = consumer(group);
      c.subscribe(topic, '*');
      c.registerMessageListenerOrderly((msgs) => {
        for (const m of msgs) {
          const [k, i] = m.body.toString().split(':');
          if (k === 'init') continue;
          (seen.get(k) ?? seen.set(k, []).get(k)!).push(Number(i));
          (byClient.get(c.clientId) ?? byClient.set(c.clientId, new Set()).get(c.clientId)!).add(m.queueId);
        }
        return 'SUCCESS';
      });
      return c;
    };
    const c1 = mk();
    const c2 = mk();
    await c1.start();
    await c2.start();
    await waitFor(() => ownQueues(c1, topic).length === 2 && ownQueues(c2, topic).length === 2, 40000, 'split 2/2');
    for (let i = 0; i < 15; i++) {
      for (const k of ['a', 'b', 'c', 'd', 'e']) await producer.sendWithSelector(createMessage({ topic, body: `${k}:${i}` }), selectByHash, k);
    }
    await waitFor(() => [...seen.values()].reduce((n, l) => n + l.length, 0) >= 75, 20000, '75 messages');
    for (const k of ['a', 'b', 'c', 'd', 'e']) expect(seen.get(k)).toEqual([...Array(15).keys()]);
    const [s1, s2] = [...byClient.values()];
    if (s1 && s2) for (const q of s1) expect(s2.has(q)).toBe(false);
  });

  it('two consumers of a group split the queues, a third joining rebalances, nothing is lost', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await producer.send(createMessage({ topic, body: 'init' }));
    const all: MessageExt[] = [];
    const mk = (): PushConsumer => {
      const c = consumer(group);
      c.subscribe(topic, '*');
      c.registerMessageListener((msgs) => {
        all.push(...msgs);
        return 'CONSUME_SUCCESS';
      });
      return c;
    };
    const c1 = mk();
    const c2 = mk();
    await c1.start();
    await c2.start();
    await waitFor(() => ownQueues(c1, topic).length === 2 && ownQueues(c2, topic).length === 2, 40000, 'split 2/2');
    const q1 = ownQueues(c1, topic).map((q) => q.queueId);
    const q2 = ownQueues(c2, topic).map((q) => q.queueId);
    expect(new Set([...q1, ...q2]).size).toBe(4);
    for (let i = 0; i < 40; i++) await producer.send(createMessage({ topic, body: `m${i}` }));
    const c3 = mk();
    await c3.start();
    await waitFor(() => ownQueues(c3, topic).length >= 1
      && ownQueues(c1, topic).length + ownQueues(c2, topic).length + ownQueues(c3, topic).length === 4, 40000, 'split over 3');
    for (let i = 40; i < 80; i++) await producer.send(createMessage({ topic, body: `m${i}` }));
    await waitFor(() => uniq(all).size >= 81, 20000, 'all 81 messages');
    const bodies = new Set(all.map((m) => m.body.toString()));
    for (let i = 0; i < 80; i++) expect(bodies.has(`m${i}`)).toBe(true);
  }, 90_000);

  it('broadcasting delivers every message to every consumer', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    await producer.send(createMessage({ topic, body: 'init' }));
    const c1 = consumer(group, { messageModel: 'BROADCASTING', localOffsetStoreDir: b.storeDir + '/offsets' });
    const c2 = consumer(group, { messageModel: 'BROADCASTING', localOffsetStoreDir: b.storeDir + '/offsets' });
    const g1 = collect(c1, topic);
    const g2 = collect(c2, topic);
    await c1.start();
    await c2.start();
    await waitFor(() => ownQueues(c1, topic).length === 4 && ownQueues(c2, topic).length === 4, 15000, 'all queues each');
    for (let i = 0; i < 10; i++) await producer.send(createMessage({ topic, body: `m${i}` }));
    await waitFor(() => uniq(g1).size >= 11 && uniq(g2).size >= 11, 15000, 'both got 11');
    expect([...uniq(g1)].sort()).toEqual([...uniq(g2)].sort());
  });

  it('RECONSUME_LATER sends the message back and it is redelivered with reconsumeTimes 1', async () => {
    const topic = uniqueName('T');
    const r = await producer.send(createMessage({ topic, body: 'retry-me', tags: 'R' }));
    const c = consumer(uniqueName('CG'));
    const deliveries: Array<{ topic: string; reconsumeTimes: number; uniq: string }> = [];
    c.subscribe(topic, '*');
    c.registerMessageListener((msgs, ctx) => {
      for (const m of msgs) deliveries.push({ topic: m.topic, reconsumeTimes: m.reconsumeTimes, uniq: m.properties.UNIQ_KEY });
      ctx.delayLevelWhenNextConsume = 1;
      return deliveries.length === 1 ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS';
    });
    await c.start();
    await waitFor(() => deliveries.length >= 2, 40000, 'redelivery');
    expect(deliveries[0]).toEqual({ topic, reconsumeTimes: 0, uniq: r.msgId });
    expect(deliveries[1]).toEqual({ topic, reconsumeTimes: 1, uniq: r.msgId });
  });

  it('offsets are committed on close: the group resumes after what it consumed', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    for (let i = 0; i < 5; i++) await producer.send(createMessage({ topic, body: `old${i}` }));
    const c1 = consumer(group);
    const g1 = collect(c1, topic);
    await c1.start();
    await waitFor(() => g1.length >= 5, 15000, '5 old');
    await c1.shutdown();
    for (let i = 0; i < 3; i++) await producer.send(createMessage({ topic, body: `new${i}` }));
    const c2 = consumer(group);
    const g2 = collect(c2, topic);
    await c2.start();
    await waitFor(() => g2.length >= 3, 15000, '3 new');
    await new Promise((r) => setTimeout(r, 300));
    expect(g2.map((m) => m.body.toString()).sort()).toEqual(['new0', 'new1', 'new2']);
  });

  it('a delay-level-1 message is delivered about a second later, with its real topic', async () => {
    const topic = uniqueName('T');
    await producer.send(createMessage({ topic, body: 'now' }));
    const r = await producer.send(createMessage({ topic, body: 'later', delayLevel: 1 }));
    const c = consumer(uniqueName('CG'));
    const got = collect(c, topic);
    await c.start();
    await waitFor(() => got.length >= 2, 20000, 'both messages');
    const later = got.find((m) => m.body.toString() === 'later')!;
    expect(later.topic).toBe(topic);
    expect(later.properties.UNIQ_KEY).toBe(r.msgId);
    expect(later.properties.DELAY).toBeUndefined();
    expect(later.storeTimestamp - later.bornTimestamp).toBeGreaterThanOrEqual(900);
  });

  it('CONSUME_FROM_TIMESTAMP starts a new group at the first message stored at or after the time', async () => {
    const topic = uniqueName('T');
    const mq = (await producer.fetchPublishMessageQueues(topic))[0];
    for (let i = 0; i < 3; i++) await producer.sendToQueue(createMessage({ topic, body: `old${i}` }), mq);
    await new Promise((r) => setTimeout(r, 50));
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 2; i++) await producer.sendToQueue(createMessage({ topic, body: `new${i}` }), mq);
    const c = consumer(uniqueName('CG'), { consumeFromWhere: 'CONSUME_FROM_TIMESTAMP', consumeTimestamp: since, strictConsumeFromWhere: true });
    const got = collect(c, topic);
    await c.start();
    await waitFor(() => got.length >= 2, 15000, '2 new');
    await new Promise((r) => setTimeout(r, 300));
    expect(got.map((m) => m.body.toString()).sort()).toEqual(['new0', 'new1']);
  });

  it('answers GET_CONSUMER_RUNNING_INFO through the client processor', async () => {
    const topic = uniqueName('T');
    const c = consumer(uniqueName('CG'));
    collect(c, topic);
    await producer.send(createMessage({ topic, body: 'x' }));
    await c.start();
    const info = c.runningInfo();
    expect(info.properties.PROP_CONSUME_TYPE).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptionSet.map((s) => s.topic)).toContain(topic);
    expect(MQClientInstance.getOrCreate({ namesrvAddr: b.namesrv, instanceName: 'probe' }).clientId).toContain('@probe');
    MQClientInstance.getOrCreate({ namesrvAddr: b.namesrv, instanceName: 'probe' }).shutdown();
  });
});
