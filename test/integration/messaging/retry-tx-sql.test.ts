// Retry / dead letters, transactions and SQL92 filtering end to end: our standalone broker as a child process
// and our client library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MQAdmin } from '../../../src/client/admin/index.js';
import { Producer, PushConsumer, buildSubscriptionData, createMessage } from '../../../src/client/index.js';
import { MQBrokerError } from '../../../src/client/errors.js';
import { TransactionProducer, type LocalTransactionState } from '../../../src/client/producer/transaction-producer.js';
import { sendWithTransactionOutcome } from '../../../src/client/producer/transaction-outcome.js';
import type { MessageExt } from '../../../src/common/message.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { encodeCheckClientConfigBody } from '../../../src/protocol/heartbeat.js';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startItBroker, TEST_DELAY_LEVELS, uniqueName, waitFor, type ItBroker } from './harness.js';

let b: ItBroker;
beforeAll(async () => {
  b = await startItBroker({
    messageDelayLevel: TEST_DELAY_LEVELS,
    enablePropertyFilter: true,
    // Check-back rounds every second (5.x default 30 s) so the 6 s transactionTimeOut dominates.
    transactionCheckInterval: 1000,
  });
});
afterAll(async () => {
  await b?.destroy();
});

function consumer(topic: string, group: string, listener: (m: MessageExt) => 'CONSUME_SUCCESS' | 'RECONSUME_LATER', sql?: string): PushConsumer {
  const c = new PushConsumer({ namesrvAddr: b.namesrv, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
  if (sql) c.subscribe(topic, sql, 'SQL92');
  else c.subscribe(topic, '*');
  c.registerMessageListener((msgs) => {
    for (const m of msgs) if (listener(m) === 'RECONSUME_LATER') return 'RECONSUME_LATER';
    return 'CONSUME_SUCCESS';
  });
  return c;
}

describe('retry and dead letters', () => {
  it('a message failing 16 times lands in %DLQ%group with its original id and keys queryable', async () => {
    const topic = uniqueName('RetryT');
    const group = uniqueName('CG');
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
    await p.start();
    const sent = await p.send(createMessage({ topic, body: 'poison', keys: 'poison-key', tags: 'TagP' }));
    const attempts: MessageExt[] = [];
    const c = consumer(topic, group, (m) => {
      attempts.push(m);
      return 'RECONSUME_LATER';
    });
    await c.start();
    // A new group's %RETRY% topic is created by its first heartbeat, after the consumer fetched its routes; the
    // client learns it at the next route poll (30 s, as Apache's). Poll now to keep the test short.
    await new Promise((r) => setTimeout(r, 300));
    await c.instance.updateAllTopicRoutes();
    c.instance.rebalanceImmediately();
    const admin = new MQAdmin({ namesrv: b.namesrv });
    const dlq = `%DLQ%${group}`;
    let inDlq: MessageExt[] = [];
    const end = Date.now() + 60_000;
    while (inDlq.length === 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 1000));
      if (attempts.length < 17) continue;
      inDlq = await admin.queryMessagesByKey({ topic: dlq, key: 'poison-key' }).catch(() => []);
    }
    await c.shutdown();
    await p.shutdown();
    // First delivery + 16 retries, every one with the original topic, body and id.
    expect(attempts).toHaveLength(17);
    expect(attempts.map((m) => m.reconsumeTimes)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    for (const m of attempts) {
      expect(m.topic).toBe(topic);
      expect(m.properties.UNIQ_KEY).toBe(sent.msgId);
      expect(m.body.toString()).toBe('poison');
    }
    expect(inDlq).toHaveLength(1);
    const d = inDlq[0];
    expect(d.properties.UNIQ_KEY).toBe(sent.msgId);
    expect(d.properties.KEYS).toBe('poison-key');
    expect(d.properties.RETRY_TOPIC).toBe(topic);
    expect(d.properties.ORIGIN_MESSAGE_ID).toBe(sent.offsetMsgId);
    expect(d.reconsumeTimes).toBe(17);
    expect(d.queueId).toBe(0);
    const byId = await admin.queryMessagesByUniqKey(dlq, sent.msgId);
    expect(byId.length).toBeGreaterThanOrEqual(1);
    const tc = (await admin.getAllTopicConfig(b.broker))[dlq];
    expect(tc).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    admin.close();
  }, 90_000);
});

describe('transactions', () => {
  it('commit, rollback, and unknown-then-check-back (producer restarted before the check) end as Apache', async () => {
    const topic = uniqueName('TxT');
    const pgroup = uniqueName('TPG');
    const got: MessageExt[] = [];
    const c = consumer(topic, uniqueName('CG'), (m) => {
      got.push(m);
      return 'CONSUME_SUCCESS';
    });
    const decide = (m: { properties: Record<string, string> }): LocalTransactionState =>
      m.properties.KEYS === 'commit' ? 'COMMIT_MESSAGE' : m.properties.KEYS === 'rollback' ? 'ROLLBACK_MESSAGE' : 'UNKNOW';
    const p1 = new TransactionProducer({
      namesrvAddr: b.namesrv, group: pgroup,
      transactionListener: { executeLocalTransaction: decide, checkLocalTransaction: () => 'UNKNOW' },
    });
    await p1.start();
    const results = [];
    for (const k of ['commit', 'rollback', 'unknown']) {
      results.push(await p1.sendMessageInTransaction(createMessage({ topic, body: `tx-${k}`, keys: k })));
    }
    expect(results.map((r) => r.localTransactionState)).toEqual(['COMMIT_MESSAGE', 'ROLLBACK_MESSAGE', 'UNKNOW']);
    expect(results.every((r) => r.sendStatus === 'SEND_OK' && r.transactionId === r.msgId)).toBe(true);
    const unknownBorn = Date.now();
    await p1.shutdown();

    const checked: MessageExt[] = [];
    const p2 = new TransactionProducer({
      namesrvAddr: b.namesrv, group: pgroup,
      transactionListener: {
        executeLocalTransaction: decide,
        checkLocalTransaction: (m) => {
          checked.push(m);
          return 'COMMIT_MESSAGE';
        },
      },
    });
    await p2.start();
    await c.start();
    await waitFor(() => got.some((m) => m.properties.KEYS === 'commit'), 20_000, 'committed message');
    await waitFor(() => got.some((m) => m.properties.KEYS === 'unknown'), 30_000, 'message committed by check-back')
      .catch((e) => { throw new Error(`${(e as Error).message}; checked ${checked.length}; broker log:\n${b.output().slice(-3000)}`); });
    const late = got.find((m) => m.properties.KEYS === 'unknown')!;
    // Not checked before transactionTimeOut (6 s).
    expect(Date.now() - unknownBorn).toBeGreaterThanOrEqual(6000);
    expect(checked.length).toBeGreaterThanOrEqual(1);
    expect(checked[0].topic).toBe(topic);
    expect(checked[0].properties.UNIQ_KEY).toBe(results[2].msgId);
    expect(checked[0].properties.TRANSACTION_CHECK_TIMES).toBe('1');
    expect(late.properties.UNIQ_KEY).toBe(results[2].msgId);
    expect(late.body.toString()).toBe('tx-unknown');
    await new Promise((r) => setTimeout(r, 1500));
    expect(got.filter((m) => m.properties.KEYS === 'rollback')).toHaveLength(0);
    expect(got.filter((m) => m.properties.KEYS === 'commit')).toHaveLength(1);
    expect(got.filter((m) => m.properties.KEYS === 'unknown')).toHaveLength(1);
    expect(checked).toHaveLength(1);
    await c.shutdown();
    await p2.shutdown();
  }, 60_000);
});

describe('transaction outcome helper (mqctl send --transaction)', () => {
  it('unknown is answered with commit at check-back; rollback never becomes visible', async () => {
    const topic = uniqueName('TxOut');
    const opts = { namesrvAddr: b.namesrv, group: uniqueName('TPG') };
    const [unknown] = await sendWithTransactionOutcome(opts, [createMessage({ topic, body: 'u', keys: 'out-unknown' })], 'unknown', 20_000);
    expect(unknown.localTransactionState).toBe('UNKNOW');
    expect(unknown.checkedBack).toBe(true);
    const [rolled] = await sendWithTransactionOutcome(opts, [createMessage({ topic, body: 'r', keys: 'out-rollback' })], 'rollback');
    expect(rolled.localTransactionState).toBe('ROLLBACK_MESSAGE');
    const admin = new MQAdmin({ namesrv: b.namesrv });
    let found: MessageExt[] = [];
    for (let k = 0; k < 20 && found.length === 0; k++) {
      found = await admin.queryMessagesByUniqKey(topic, unknown.msgId).catch(() => []);
      if (found.length === 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(found).toHaveLength(1);
    expect(found[0].sysFlag & 0xc).toBe(0x8);
    expect(await admin.queryMessagesByUniqKey(topic, rolled.msgId).catch(() => [])).toHaveLength(0);
    admin.close();
  }, 40_000);
});

describe('mqctl send: timer and transaction flags', () => {
  it('--delay-ms parks the message in the timer topic; --transaction unknown ends committed by the check-back', async () => {
    const run = promisify(execFile);
    const topic = uniqueName('CliT');
    const mqctl = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin', 'mqctl.js'), '-n', b.namesrv, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    const t0 = Date.now();
    const timed = await mqctl('send', '-t', topic, '--body', 'later', '-k', 'cli-timer', '--delay-ms', '1500');
    expect(timed.stdout).toMatch(/SEND_OK/);
    const tx = await mqctl('send', '-t', topic, '--body', 'tx', '-k', 'cli-tx', '--transaction', 'unknown');
    expect(tx.stdout).toMatch(/UNKNOW \(checked back: commit\)/);
    const bad = await mqctl('send', '-t', topic, '--body', 'x', '--delay', '2', '--delay-ms', '5').catch((e: { stderr: string; code: number }) => e);
    expect((bad as { stderr: string }).stderr).toMatch(/exclusive/);
    const admin = new MQAdmin({ namesrv: b.namesrv });
    const timer = await admin.queryMessagesByKey({ topic, key: 'cli-timer' });
    expect(timer).toHaveLength(1);
    expect(timer[0].storeTimestamp).toBeGreaterThanOrEqual(t0 + 1500);
    expect(timer[0].properties.TIMER_OUT_MS).toBeDefined();
    expect(await admin.queryMessagesByKey({ topic, key: 'cli-tx' })).toHaveLength(1);
    admin.close();
  }, 60_000);
});

describe('SQL92 property filter', () => {
  it("a subscription `a > 5 AND region = 'eu'` gets exactly the matching messages of a mixed stream", async () => {
    const topic = uniqueName('SqlT');
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
    await p.start();
    const regions = ['eu', 'us', 'asia'];
    const expected = new Set<string>();
    for (let i = 0; i < 90; i++) {
      const props: Record<string, string> = {};
      if (i % 7 !== 0) props.a = String(i % 11);
      if (i % 5 !== 0) props.region = regions[i % 3];
      if (i % 13 === 0) props.a = 'x';
      await p.send(createMessage({ topic, body: `s${i}`, keys: `k${i}`, properties: props }));
      const a = props.a !== undefined && /^\d+$/.test(props.a) ? Number(props.a) : undefined;
      if (a !== undefined && a > 5 && props.region === 'eu') expected.add(`k${i}`);
    }
    expect(expected.size).toBeGreaterThan(5);
    const got: MessageExt[] = [];
    const sql = "a > 5 AND region = 'eu'";
    const c = consumer(topic, uniqueName('CG'), (m) => {
      got.push(m);
      return 'CONSUME_SUCCESS';
    }, sql);
    await c.start();
    await waitFor(() => got.length >= expected.size, 20_000, 'matching messages');
    await new Promise((r) => setTimeout(r, 1500));
    await c.shutdown();
    await p.shutdown();
    expect(new Set(got.map((m) => m.properties.KEYS))).toEqual(expected);
    expect(got).toHaveLength(expected.size);
  }, 60_000);

  it('a push consumer with an SQL92 expression the broker cannot parse fails start() with SUBSCRIPTION_PARSE_FAILED', async () => {
    const topic = uniqueName('SqlBadT');
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
    await p.start();
    await p.send(createMessage({ topic, body: 'x' }));
    await p.shutdown();
    const group = uniqueName('CG');
    const c = consumer(topic, group, () => 'CONSUME_SUCCESS', 'a > AND');
    const err = await c.start().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(MQBrokerError);
    expect((err as MQBrokerError).code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect((err as MQBrokerError).remark).toMatch(/Invalid SQL92 expression "a > AND"/);
    // the failed consumer was shut down: its group is free for a consumer with a good expression
    expect(c.instance.findConsumer(group)).toBeUndefined();
    const ok = consumer(topic, group, () => 'CONSUME_SUCCESS', "a IS NULL OR a <> 'x'");
    await ok.start();
    expect(ok.instance.findConsumer(group)).toBeDefined();
    await ok.shutdown();
  }, 30_000);

  it('CHECK_CLIENT_CONFIG refuses a bad expression with SUBSCRIPTION_PARSE_FAILED and accepts a good one', async () => {
    const rc = new RemotingClient();
    const check = async (expr: string) => {
      const sub = buildSubscriptionData('SqlCheck', expr, 'SQL92');
      const body = encodeCheckClientConfigBody({ clientId: 'it@1', group: 'CG_CHECK', subscriptionData: sub });
      return rc.invoke(b.broker, RemotingCommand.createRequest(RequestCode.CHECK_CLIENT_CONFIG, undefined, body), 5000);
    };
    const bad = await check('a > AND');
    expect(bad.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(bad.remark).toMatch(/Invalid SQL92 expression "a > AND"/);
    expect((await check("a BETWEEN 1 AND 3 OR b IN ('x')")).code).toBe(ResponseCode.SUCCESS);
    rc.close();
  });
});

describe('orderly consumption', () => {
  it('3 queues under failures keep per-queue order; a message failing past maxReconsumeTimes goes to the DLQ', async () => {
    const topic = uniqueName('OrderT');
    const group = uniqueName('OCG');
    const admin = new MQAdmin({ namesrv: b.namesrv });
    await admin.createOrUpdateTopic(b.broker, {
      topicName: topic, readQueueNums: 3, writeQueueNums: 3, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {},
    });
    const p = new Producer({ namesrvAddr: b.namesrv, group: uniqueName('PG') });
    await p.start();
    const PER_QUEUE = 20;
    for (let i = 0; i < PER_QUEUE; i++) {
      for (let q = 0; q < 3; q++) {
        const key = q === 2 && i === 7 ? 'order-poison' : `q${q}-${i}`;
        await p.sendToQueue(createMessage({ topic, body: `${q}:${i}`, keys: key }), { topic, brokerName: 'broker-a', queueId: q });
      }
    }
    const seen = new Map<string, number>();
    const done: Array<{ q: number; i: number }> = [];
    const c = new PushConsumer({
      namesrvAddr: b.namesrv, group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', suspendCurrentQueueTimeMillis: 100, maxReconsumeTimes: 3,
    });
    c.subscribe(topic, '*');
    c.registerMessageListenerOrderly((msgs) => {
      for (const m of msgs) {
        const key = m.properties.KEYS;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        // Every 4th message fails twice before succeeding; the poison one always fails.
        const [q, i] = m.body.toString().split(':').map(Number);
        if (key === 'order-poison' || (i % 4 === 0 && n <= 2)) return 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        done.push({ q, i });
      }
      return 'SUCCESS';
    });
    await c.start();
    await waitFor(() => done.length >= 3 * PER_QUEUE - 1, 40_000, 'orderly consumption');
    let dlq: MessageExt[] = [];
    for (let k = 0; k < 20 && dlq.length === 0; k++) {
      dlq = await admin.queryMessagesByKey({ topic: `%DLQ%${group}`, key: 'order-poison' }).catch(() => []);
      if (dlq.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    await c.shutdown();
    await p.shutdown();
    admin.close();
    for (let q = 0; q < 3; q++) {
      const order = done.filter((d) => d.q === q).map((d) => d.i);
      const want = Array.from({ length: PER_QUEUE }, (_, i) => i).filter((i) => !(q === 2 && i === 7));
      expect(order).toEqual(want);
    }
    expect(seen.get('order-poison')).toBe(4); // first try + maxReconsumeTimes (3) retries in place
    expect(seen.get('q0-4')).toBe(3);
    expect(dlq).toHaveLength(1);
    expect(dlq[0].body.toString()).toBe('2:7');
  }, 90_000);
});

describe('transactions across a broker restart', () => {
  it('a half message left unknown is still checked back and committed after the broker restarts', async () => {
    const topic = uniqueName('TxRestart');
    const checked: string[] = [];
    const p = new TransactionProducer({
      namesrvAddr: b.namesrv, group: uniqueName('TPG'),
      transactionListener: {
        executeLocalTransaction: () => 'UNKNOW',
        checkLocalTransaction: (m) => {
          checked.push(m.properties.UNIQ_KEY);
          return 'COMMIT_MESSAGE';
        },
      },
    });
    await p.start();
    const r = await p.sendMessageInTransaction(createMessage({ topic, body: 'survivor', keys: 'tx-restart' }));
    expect(r.localTransactionState).toBe('UNKNOW');
    await b.restart();
    // The restarted broker learns the producer's channel at its next heartbeat (every 30 s); send it now.
    await p.instance.sendHeartbeatToAllBrokers();
    await waitFor(() => checked.length > 0, 30_000, 'check-back after restart');
    expect(checked[0]).toBe(r.msgId);
    const admin = new MQAdmin({ namesrv: b.namesrv });
    let found: MessageExt[] = [];
    for (let k = 0; k < 20 && found.length === 0; k++) {
      found = await admin.queryMessagesByUniqKey(topic, r.msgId).catch(() => []);
      if (found.length === 0) await new Promise((res) => setTimeout(res, 250));
    }
    admin.close();
    await p.shutdown();
    expect(found).toHaveLength(1);
    expect(found[0].body.toString()).toBe('survivor');
  }, 60_000);
});
