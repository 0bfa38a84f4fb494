// `import { startStandalone } from 'mqctl'` in a user's own test: in-process servers on free ports, a real
// producer and push consumer against them, a clean close.
import { afterAll, describe, expect, it } from 'vitest';
import { PushConsumer, Producer, createMessage, startStandalone } from '../../../src/index.js';
import { removeDir, tempDir } from './helpers.js';

const dir = tempDir('mqctl-lib-');
afterAll(() => removeDir(dir));

describe('startStandalone as a library', () => {
  it('starts on free ports, carries a message from Producer to PushConsumer, closes', async () => {
    const mq = await startStandalone({ namesrvPort: 0, port: 0, storeDir: dir });
    expect(mq.namesrvAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(mq.brokerAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    const producer = new Producer({ group: 'PG_LIB', namesrvAddr: mq.namesrvAddr });
    const consumer = new PushConsumer({ group: 'CG_LIB', namesrvAddr: mq.namesrvAddr, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    try {
      await producer.start();
      const sent = await producer.send(createMessage({ topic: 'LibTopic', body: 'from the library', tags: 'T1' }));
      expect(sent.sendStatus).toBe('SEND_OK');
      const got = new Promise<string>((resolve) => {
        consumer.subscribe('LibTopic', '*');
        consumer.registerMessageListener(async (msgs) => {
          resolve(msgs[0].body.toString());
          return 'CONSUME_SUCCESS' as const;
        });
      });
      await consumer.start();
      expect(await got).toBe('from the library');
    } finally {
      await consumer.shutdown().catch(() => undefined);
      await producer.shutdown().catch(() => undefined);
      await mq.close();
    }
  });
});
