// The issue-6 request processors on an in-process broker, driven with raw remoting requests: error codes and
// remarks as Apache's, and the bodies they answer with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandalone, type StandaloneHandle } from '../../../src/standalone.js';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { messageProperties2String } from '../../../src/common/properties.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { TEST_DELAY_LEVELS } from './harness.js';

let mq: StandaloneHandle;
let dir: string;
const rc = new RemotingClient();
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-proc-'));
  mq = await startStandalone({
    namesrvPort: 0, port: 0, storeDir: dir,
    brokerConfig: { autoCreateSubscriptionGroup: false, messageDelayLevel: TEST_DELAY_LEVELS, enablePropertyFilter: false },
  });
});
afterAll(async () => {
  rc.close();
  await mq?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function call(code: number, fields?: Record<string, unknown>, body?: Buffer): Promise<RemotingCommand> {
  return rc.invoke(mq.brokerAddr, RemotingCommand.createRequest(code, fields, body), 5000);
}

async function send(topic: string, props: Record<string, string>, body = 'b'): Promise<RemotingCommand> {
  return call(RequestCode.SEND_MESSAGE, {
    producerGroup: 'PG', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0,
    bornTimestamp: Date.now(), flag: 0, properties: messageProperties2String({ WAIT: 'true', ...props }), reconsumeTimes: 0,
  }, Buffer.from(body));
}

async function pullAll(topic: string, queueId: number) {
  const r = await call(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'TOOLS_CONSUMER', topic, queueId, queueOffset: 0, maxMsgNums: 32, sysFlag: 0x4, commitOffset: 0,
    suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG',
  });
  return r.code === 0 && r.body ? decodeMessages(r.body) : [];
}

function createGroup(name: string, extra: Record<string, unknown> = {}): Promise<RemotingCommand> {
  const g = { groupName: name, consumeEnable: true, consumeFromMinEnable: true, consumeBroadcastEnable: true, retryQueueNums: 1, retryMaxTimes: 16,
    brokerId: 0, whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true, ...extra };
  return call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, Buffer.from(JSON.stringify(g)));
}

describe('CONSUMER_SEND_MSG_BACK', () => {
  it('unknown group → 26; missing message → 1 with Apache remark', async () => {
    const r = await call(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 0, group: 'NoSuchGroup', delayLevel: 0 });
    expect(r.code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    expect((await createGroup('CG_P1')).code).toBe(0);
    const miss = await call(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 987654321, group: 'CG_P1', delayLevel: 0 });
    expect(miss.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(miss.remark).toBe('look message by offset failed, 987654321');
  });

  it('delay 0 parks at level 3 + reconsumeTimes; delayLevel < 0 goes straight to the DLQ; retryQueueNums 0 drops', async () => {
    expect((await createGroup('CG_P2')).code).toBe(0);
    const s = await send('TopicP2', { KEYS: 'k2', TAGS: 'T' });
    expect(s.code).toBe(0);
    const offset = (await pullAll('TopicP2', 0))[0].commitLogOffset;
    expect((await call(RequestCode.CONSUMER_SEND_MSG_BACK, { offset, group: 'CG_P2', delayLevel: 0 })).code).toBe(0);
    const parked = await pullAll('SCHEDULE_TOPIC_XXXX', 2);
    const mine = parked.filter((m) => m.properties.KEYS === 'k2');
    expect(mine).toHaveLength(1);
    expect(mine[0].properties.REAL_TOPIC).toBe('%RETRY%CG_P2');
    expect(mine[0].properties.RETRY_TOPIC).toBe('TopicP2');
    expect(mine[0].properties.DELAY).toBe('3');
    expect(mine[0].reconsumeTimes).toBe(1);

    expect((await call(RequestCode.CONSUMER_SEND_MSG_BACK, { offset, group: 'CG_P2', delayLevel: -1 })).code).toBe(0);
    const dlq = await pullAll('%DLQ%CG_P2', 0);
    expect(dlq).toHaveLength(1);
    expect(dlq[0].properties.ORIGIN_MESSAGE_ID).toBe((await pullAll('TopicP2', 0))[0].msgId);

    expect((await createGroup('CG_P3', { retryQueueNums: 0 })).code).toBe(0);
    expect((await call(RequestCode.CONSUMER_SEND_MSG_BACK, { offset, group: 'CG_P3', delayLevel: 0 })).code).toBe(0);
    expect(await pullAll('%DLQ%CG_P3', 0)).toHaveLength(0);
  });

  it('the header maxReconsumeTimes is honoured (client version >= 121)', async () => {
    expect((await createGroup('CG_P4')).code).toBe(0);
    await send('TopicP4', { KEYS: 'k4' });
    const offset = (await pullAll('TopicP4', 0))[0].commitLogOffset;
    expect((await call(RequestCode.CONSUMER_SEND_MSG_BACK, { offset, group: 'CG_P4', delayLevel: 0, maxReconsumeTimes: 0 })).code).toBe(0);
    expect(await pullAll('%DLQ%CG_P4', 0)).toHaveLength(1);
  });
});

describe('send path, END_TRANSACTION, GET_ALL_DELAY_OFFSET, CHECK_CLIENT_CONFIG', () => {
  it('timer beyond timerMaxDelaySec → 13; delay level in a send lands in the schedule topic', async () => {
    const far = await send('TopicP5', { TIMER_DELAY_SEC: String(4 * 86400) });
    expect(far.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    const d = await send('TopicP5', { DELAY: '1', KEYS: 'k5' });
    expect(d.code).toBe(0);
    expect((await pullAll('SCHEDULE_TOPIC_XXXX', 0)).some((m) => m.properties.KEYS === 'k5')).toBe(true);
  });

  it('END_TRANSACTION with the wrong group answers 1 "The producer group wrong"; unknown state answers nothing', async () => {
    const half = await send('TopicP6', { TRAN_MSG: 'true', PGROUP: 'PG' });
    expect(half.code).toBe(0);
    const fields = {
      producerGroup: 'Other', tranStateTableOffset: Number(half.field('queueOffset')), commitLogOffset: 0,
      commitOrRollback: 8, fromTransactionCheck: false, msgId: half.field('transactionId'),
    };
    const halves = await pullAll('RMQ_SYS_TRANS_HALF_TOPIC', 0);
    fields.commitLogOffset = halves[halves.length - 1].commitLogOffset;
    const wrong = await call(RequestCode.END_TRANSACTION, fields);
    expect(wrong.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(wrong.remark).toBe('The producer group wrong');
    const ok = await call(RequestCode.END_TRANSACTION, { ...fields, producerGroup: 'PG' });
    expect(ok.code).toBe(0);
    expect((await pullAll('TopicP6', 0)).length).toBe(1);
    const bad = await call(RequestCode.END_TRANSACTION, { ...fields, commitOrRollback: 5 });
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toMatch(/commitOrRollback/);
  });

  it('GET_ALL_DELAY_OFFSET answers delayOffset.json; CHECK_CLIENT_CONFIG with SQL92 while enablePropertyFilter=false → 1', async () => {
    const r = await call(RequestCode.GET_ALL_DELAY_OFFSET);
    expect(r.code).toBe(0);
    expect(r.body!.toString()).toMatch(/^\{"dataVersion":\{.*\},"offsetTable":\{.*\}\}$/);
    const sub = { topic: 'T', subString: 'a > 1', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'SQL92', classFilterMode: false };
    const c = await call(RequestCode.CHECK_CLIENT_CONFIG, undefined, Buffer.from(JSON.stringify({ clientId: 'x', group: 'g', subscriptionData: sub })));
    expect(c.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(c.remark).toBe('The broker does not support consumer to filter message by SQL92');
    const garbage = await call(RequestCode.CHECK_CLIENT_CONFIG, undefined, Buffer.from('{not json'));
    expect(garbage.code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});
