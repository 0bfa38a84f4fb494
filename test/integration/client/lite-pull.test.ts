// Lite pull consumer against the standalone broker: assign + poll + seek + commit, and subscribe mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LitePullConsumer, Producer, createMessage } from '../../../src/client/index.js';
import type { MessageExt } from '../../../src/common/message.js';
import { startTestBroker, uniqueName, type TestBroker } from './harness.js';

let b: TestBroker;
let producer: Producer;
beforeAll(async () => {
  b = await startTestBroker();
  producer = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
  await producer.start();
});
afterAll(async () => {
  await producer?.shutdown();
  await b?.stop();
});

async function pollUntil(c: LitePullConsumer, n: number, ms = 15000): Promise<MessageExt[]> {
  const out: MessageExt[] = [];
  const end = Date.now() + ms;
  while (out.length < n && Date.now() < end) out.push(...(await c.poll(500)));
  return out;
}

describe('lite pull consumer', () => {
  it('assign, poll, seek, commit; a new consumer resumes at the committed offset', async () => {
    const topic = uniqueName('T');
    const mq = (await producer.fetchPublishMessageQueues(topic))[0];
    for (let i = 0; i < 6; i++) await producer.sendToQueue(createMessage({ topic, body: `m${i}` }), mq);
    const group = uniqueName('LG');
    const c = new LitePullConsumer({ namesrvAddr: b.namesrv, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false, pullBatchSize: 4 });
    c.assign([mq]);
    await c.start();
    const first = await pollUntil(c, 6);
    expect(first.map((m) => m.body.toString())).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    await c.seek(mq, 2);
    const again = await pollUntil(c, 4);
    expect(again.map((m) => m.body.toString())).toEqual(['m2', 'm3', 'm4', 'm5']);
    await c.seek(mq, 4);
    await c.commitSync();
    expect(await c.committed(mq)).toBe(4);
    await expect(c.seek(mq, 99)).rejects.toThrow(/Seek offset illegal/);
    await c.shutdown();

    const c2 = new LitePullConsumer({ namesrvAddr: b.namesrv, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    c2.assign([mq]);
    await c2.start();
    const rest = await pollUntil(c2, 2);
    expect(rest.map((m) => m.body.toString())).toEqual(['m4', 'm5']);
    await c2.shutdown();
  });

  it('subscribe mode gets every queue of the topic with a tag filter', async () => {
    const topic = uniqueName('T');
    for (let i = 0; i < 8; i++) await producer.send(createMessage({ topic, body: `m${i}`, tags: i % 2 ? 'odd' : 'even' }));
    const c = new LitePullConsumer({ namesrvAddr: b.namesrv, group: uniqueName('LG'), consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    c.subscribe(topic, 'even');
    await c.start();
    const got = await pollUntil(c, 4);
    expect(got.map((m) => m.body.toString()).sort()).toEqual(['m0', 'm2', 'm4', 'm6']);
    expect(c.assignment().filter((q) => q.topic === topic)).toHaveLength(4);
    await c.shutdown();
  });
});
