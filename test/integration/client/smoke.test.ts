import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer, PushConsumer, createMessage } from '../../../src/client/index.js';
import type { MessageExt } from '../../../src/common/message.js';
import { startTestBroker, uniqueName, waitFor, type TestBroker } from './harness.js';

let b: TestBroker;
beforeAll(async () => {
  b = await startTestBroker();
});
afterAll(async () => {
  await b?.stop();
});

describe('smoke', () => {
  it('sends and consumes', async () => {
    const topic = uniqueName('T');
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
    await p.start();
    const r = await p.send(createMessage({ topic, body: 'hello', tags: 'A', keys: 'k1' }));
    expect(r.sendStatus).toBe('SEND_OK');
    const got: MessageExt[] = [];
    const c = new PushConsumer({ namesrvAddr: b.namesrv, group: uniqueName('CG'), consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    c.subscribe(topic, '*');
    c.registerMessageListener((msgs) => {
      got.push(...msgs);
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    await waitFor(() => got.length >= 1, 20000, 'message');
    expect(got[0].body.toString()).toBe('hello');
    await c.shutdown();
    await p.shutdown();
  });
});
