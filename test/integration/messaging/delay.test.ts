// Delayed delivery end to end: our standalone broker as a child process, our client library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Producer, PushConsumer, createMessage } from '../../../src/client/index.js';
import type { MessageExt } from '../../../src/common/message.js';
import { startItBroker, TEST_DELAY_LEVELS, uniqueName, waitFor, type ItBroker } from './harness.js';

let b: ItBroker;
beforeAll(async () => {
  b = await startItBroker({ messageDelayLevel: TEST_DELAY_LEVELS });
});
afterAll(async () => {
  await b?.destroy();
});

interface Got { msg: MessageExt; at: number }

async function readyConsumer(topic: string, got: Got[]): Promise<PushConsumer> {
  const c = new PushConsumer({ namesrvAddr: b.namesrv, group: uniqueName('CG'), consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
  c.subscribe(topic, '*');
  c.registerMessageListener((msgs) => {
    const at = Date.now();
    for (const m of msgs) got.push({ msg: m, at });
    return 'CONSUME_SUCCESS';
  });
  await c.start();
  return c;
}

describe('delayed messages', () => {
  it('a level-2 message arrives no earlier than 5 s and by 6 s', async () => {
    const topic = uniqueName('Delay2');
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
    await p.start();
    await p.send(createMessage({ topic, body: 'warmup', keys: 'warm' }));
    const got: Got[] = [];
    const c = await readyConsumer(topic, got);
    await waitFor(() => got.length >= 1, 20_000, 'warm-up message');
    const t0 = Date.now();
    const r = await p.send(createMessage({ topic, body: 'later', keys: 'delayed', delayLevel: 2 }));
    expect(r.sendStatus).toBe('SEND_OK');
    await waitFor(() => got.some((g) => g.msg.properties.KEYS === 'delayed'), 10_000, 'delayed message');
    const g = got.find((x) => x.msg.properties.KEYS === 'delayed')!;
    const elapsed = g.at - t0;
    expect(elapsed).toBeGreaterThanOrEqual(5000);
    expect(elapsed).toBeLessThanOrEqual(6000);
    expect(g.msg.properties.UNIQ_KEY).toBe(r.msgId);
    expect(g.msg.properties.REAL_TOPIC).toBe(topic);
    expect(g.msg.properties.DELAY).toBeUndefined();
    await c.shutdown();
    await p.shutdown();
  }, 40_000);

  it('1,000 messages with mixed delays of 1-10 s (levels and timer) all arrive once, none early, across a broker restart', async () => {
    const topic = uniqueName('DelayMix');
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG'), sendMsgTimeoutMs: 10_000 });
    await p.start();
    const got: Got[] = [];
    const expectDelay = new Map<string, number>();
    const N = 1000;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < N; i++) {
      const m = createMessage({ topic, body: `m${i}`, keys: `seq-${i}` });
      let delay: number;
      if (i % 3 === 0) {
        m.properties.DELAY = '1';
        delay = 1000;
      } else if (i % 3 === 1) {
        m.properties.DELAY = '2';
        delay = 5000;
      } else {
        delay = (1 + (i % 10)) * 1000;
        m.properties.TIMER_DELAY_SEC = String(delay / 1000);
      }
      expectDelay.set(`seq-${i}`, delay);
      sends.push(p.send(m));
      if (sends.length >= 50) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);
    const sentAt = Date.now();
    const c = await readyConsumer(topic, got);
    // Restart the broker while most messages are still parked.
    await new Promise((r) => setTimeout(r, Math.max(0, sentAt + 2500 - Date.now())));
    const before = got.length;
    await b.restart();
    // A restarted broker knows the consumer again at its next heartbeat (every 30 s, as Apache's client); send it now.
    await c.instance.sendHeartbeatToAllBrokers();
    await waitFor(() => new Set(got.map((g) => g.msg.properties.KEYS)).size >= N, 60_000, 'all delayed messages');
    await new Promise((r) => setTimeout(r, 1500));
    await c.shutdown();
    await p.shutdown();

    // The restart came while most messages were still parked.
    expect(before).toBeLessThan(N / 2);
    const count = new Map<string, number>();
    for (const g of got) {
      const k = g.msg.properties.KEYS;
      count.set(k, (count.get(k) ?? 0) + 1);
      const delay = expectDelay.get(k)!;
      // Never early: the delivered copy is stored no earlier than born + delay.
      expect(g.msg.storeTimestamp).toBeGreaterThanOrEqual(g.msg.bornTimestamp + delay);
      expect(g.at).toBeGreaterThanOrEqual(g.msg.bornTimestamp + delay);
    }
    expect(count.size).toBe(N);
    expect([...count.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
