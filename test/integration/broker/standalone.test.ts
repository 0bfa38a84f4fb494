// `mqctl start` as a child process: send 1,000 messages over 8 queues with our remoting client, pull them
// back in order with bodies/properties/tags intact, long polling, routes after topic creation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { decodeOffsetMsgId } from '../../../src/common/msgid.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { decodeTopicRouteData } from '../../../src/protocol/route.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import type { RemotingClient } from '../../../src/remoting/client.js';
import { type Standalone, newClient, pullRequest, removeDir, sendRequest, startStandaloneChild, stop, tempDir } from './helpers.js';

let dir: string;
let mq: Standalone;
let client: RemotingClient;

beforeAll(async () => {
  dir = tempDir('mqctl-broker-');
  mq = await startStandaloneChild(dir);
  client = newClient();
});

afterAll(async () => {
  client?.close();
  if (mq) await stop(mq.proc);
  removeDir(dir);
});

describe('standalone broker', () => {
  it('serves 1,000 messages over 8 queues back in order with bodies, properties and tags', async () => {
    const topic = 'BrokerOrderTopic';
    const N = 1000;
    const sent: Array<{ queueId: number; queueOffset: number; msgId: string; body: string; tags: string; key: string }> = [];
    // 32 in flight; per queue the sends of one queue are issued in order, so queue offsets follow i
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < N) {
        const i = next++;
        const queueId = i % 8;
        const body = `body-${i}-${'x'.repeat(i % 50)}`;
        const tags = `Tag${i % 3}`;
        const key = `key-${i}`;
        const res = await client.invoke(mq.broker, sendRequest({ topic, queueId, body, tags, keys: key, props: { seq: String(i) } }), 5000);
        expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
        expect(res.extFields?.MSG_REGION).toBe('DefaultRegion');
        expect(res.extFields?.TRACE_ON).toBe('true');
        expect(Number(res.extFields?.queueId)).toBe(queueId);
        sent.push({ queueId, queueOffset: Number(res.extFields?.queueOffset), msgId: res.extFields!.msgId, body, tags, key });
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    expect(sent).toHaveLength(N);
    // msgId = store host (the advertised broker address) + commitlog offset
    expect(decodeOffsetMsgId(sent[0].msgId).address).toBe(mq.broker);

    for (let q = 0; q < 8; q++) {
      const expected = sent.filter((s) => s.queueId === q).sort((a, b) => a.queueOffset - b.queueOffset);
      expect(expected.map((e) => e.queueOffset)).toEqual(expected.map((_, i) => i));
      const got = [];
      let offset = 0;
      while (got.length < expected.length) {
        const res = await client.invoke(mq.broker, pullRequest({ group: 'CG_ORDER', topic, queueId: q, offset }), 5000);
        expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
        const msgs = decodeMessages(res.body!);
        expect(msgs.length).toBeGreaterThan(0);
        got.push(...msgs);
        offset = Number(res.extFields?.nextBeginOffset);
        expect(Number(res.extFields?.maxOffset)).toBe(expected.length);
      }
      got.forEach((m, i) => {
        const e = expected[i];
        expect(m.queueOffset).toBe(i);
        expect(m.queueId).toBe(q);
        expect(m.topic).toBe(topic);
        expect(m.body.toString()).toBe(e.body);
        expect(m.properties.TAGS).toBe(e.tags);
        expect(m.properties.KEYS).toBe(e.key);
        expect(m.properties.seq).toBeDefined();
        expect(m.properties.UNIQ_KEY).toMatch(/^[0-9A-F]{32,56}$/);
        expect(m.properties.CLUSTER).toBe('DefaultCluster');
        expect(m.msgId).toBe(e.msgId);
      });
      // end of queue: nothing more, offset unchanged
      const end = await client.invoke(mq.broker, pullRequest({ group: 'CG_ORDER', topic, queueId: q, offset }), 5000);
      expect(end.code).toBe(ResponseCode.PULL_NOT_FOUND);
      expect(Number(end.extFields?.nextBeginOffset)).toBe(offset);
    }
  });

  it('filters by tag hash on the broker', async () => {
    const topic = 'BrokerTagTopic';
    for (let i = 0; i < 6; i++) {
      const r = await client.invoke(mq.broker, sendRequest({ topic, queueId: 0, body: `t${i}`, tags: i % 2 ? 'Odd' : 'Even' }), 5000);
      expect(r.code).toBe(ResponseCode.SUCCESS);
    }
    const res = await client.invoke(mq.broker, pullRequest({ group: 'CG_TAG', topic, queueId: 0, offset: 0, subscription: 'Odd' }), 5000);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(res.body!).map((m) => m.body.toString())).toEqual(['t1', 't3', 't5']);
  });

  it('answers a long poll within 50 ms of a new message', async () => {
    const topic = 'BrokerLongPollTopic';
    const first = await client.invoke(mq.broker, sendRequest({ topic, queueId: 0, body: 'first' }), 5000);
    expect(first.code).toBe(ResponseCode.SUCCESS);
    const started = Date.now();
    let answeredAt = 0;
    const held = client.invoke(mq.broker, pullRequest({ group: 'CG_LP', topic, queueId: 0, offset: 1, suspendMs: 15000 }), 30000).then((r) => {
      answeredAt = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(answeredAt).toBe(0); // still held
    const second = await client.invoke(mq.broker, sendRequest({ topic, queueId: 0, body: 'second' }), 5000);
    // the message exists from the moment its send is acknowledged; the held pull must answer within 50 ms of it
    // (measured from the ack rather than from our send, so a slow round trip on a busy machine does not count)
    const storedAt = Date.now();
    expect(second.code).toBe(ResponseCode.SUCCESS);
    const res = await held;
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(decodeMessages(res.body!).map((m) => m.body.toString())).toEqual(['second']);
    expect(answeredAt - storedAt).toBeLessThan(50);
    expect(answeredAt - started).toBeGreaterThanOrEqual(400);
  });

  it('releases a long poll after its suspend timeout with PULL_NOT_FOUND', async () => {
    const topic = 'BrokerLongPollTimeout';
    await client.invoke(mq.broker, sendRequest({ topic, queueId: 0, body: 'only' }), 5000);
    const t0 = Date.now();
    const res = await client.invoke(mq.broker, pullRequest({ group: 'CG_LPT', topic, queueId: 0, offset: 1, suspendMs: 300 }), 5000);
    expect(res.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  });

  it('corrects bad pull offsets', async () => {
    const topic = 'BrokerOffsetTopic';
    for (let i = 0; i < 3; i++) await client.invoke(mq.broker, sendRequest({ topic, queueId: 0, body: `m${i}` }), 5000);
    const tooFar = await client.invoke(mq.broker, pullRequest({ group: 'CG_OFF', topic, queueId: 0, offset: 10 }), 5000);
    expect(tooFar.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(Number(tooFar.extFields?.nextBeginOffset)).toBe(3); // OFFSET_OVERFLOW_BADLY moves to the max offset (requests.md §4)
    const empty = await client.invoke(mq.broker, pullRequest({ group: 'CG_OFF', topic, queueId: 1, offset: 5 }), 5000);
    expect(empty.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(Number(empty.extFields?.nextBeginOffset)).toBe(0);
    const max = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_MAX_OFFSET, { topic, queueId: 0 }), 5000);
    expect(max.extFields?.offset).toBe('3');
    const min = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_MIN_OFFSET, { topic, queueId: 0 }), 5000);
    expect(min.extFields?.offset).toBe('0');
    const earliest = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_EARLIEST_MSG_STORETIME, { topic, queueId: 0 }), 5000);
    expect(Number(earliest.extFields?.timestamp)).toBeGreaterThan(Date.now() - 60000);
    const byTime = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { topic, queueId: 0, timestamp: Date.now() + 60000 }), 5000);
    expect(byTime.extFields?.offset).toBe('3');
  });

  it('shows a topic created on the broker in the namesrv route within one registration', async () => {
    const topic = 'BrokerCreatedTopic';
    const create = RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic, defaultTopic: 'TBW102', readQueueNums: 3, writeQueueNums: 3, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
    });
    const res = await client.invoke(mq.broker, create, 5000);
    expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
    // registration happens at once on the topic change (the periodic one is 30 s away)
    const deadline = Date.now() + 3000;
    let route;
    while (Date.now() < deadline) {
      const r = await client.invoke(mq.namesrv, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 5000);
      if (r.code === ResponseCode.SUCCESS) {
        route = decodeTopicRouteData(r.body!);
        break;
      }
      await new Promise((r2) => setTimeout(r2, 50));
    }
    expect(route).toBeDefined();
    expect(route!.queueDatas[0]).toMatchObject({ brokerName: 'broker-a', readQueueNums: 3, writeQueueNums: 3, perm: 6 });
    expect(route!.brokerDatas[0].brokerAddrs.get(0)).toBe(mq.broker);
  });

  it('sends NOTIFY_CONSUMER_IDS_CHANGED to the group when a member joins or leaves', async () => {
    const heartbeat = (clientID: string) => ({
      clientID,
      consumerDataSet: [{ groupName: 'CG_NOTIFY', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', subscriptionDataSet: [{ classFilterMode: false, codeSet: [], expressionType: 'TAG', subString: '*', subVersion: 1, tagsSet: [], topic: 'BrokerOrderTopic' }], unitMode: false }],
      producerDataSet: [],
    });
    const first = newClient();
    const second = newClient();
    const notified: string[] = [];
    first.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (req) => {
      notified.push(req.extFields?.consumerGroup ?? '?');
      return null;
    });
    try {
      const hb = (c: RemotingClient, id: string) => c.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(heartbeat(id)))), 5000);
      expect((await hb(first, 'client-1')).code).toBe(ResponseCode.SUCCESS);
      const afterOwnJoin = notified.length;
      expect((await hb(first, 'client-1')).code).toBe(ResponseCode.SUCCESS); // a plain heartbeat changes nothing
      expect((await hb(second, 'client-2')).code).toBe(ResponseCode.SUCCESS);
      const deadline = Date.now() + 2000;
      while (notified.length <= afterOwnJoin && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(notified.length).toBe(afterOwnJoin + 1);
      expect(notified.at(-1)).toBe('CG_NOTIFY');
      const list = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_NOTIFY' }), 5000);
      expect(JSON.parse(list.body!.toString()).consumerIdList.sort()).toEqual(['client-1', 'client-2']);
      second.close(); // the connection closes: the broker drops client-2 and tells client-1
      const deadline2 = Date.now() + 2000;
      while (notified.length <= afterOwnJoin + 1 && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 20));
      expect(notified.length).toBe(afterOwnJoin + 2);
      const after = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_NOTIFY' }), 5000);
      expect(JSON.parse(after.body!.toString()).consumerIdList).toEqual(['client-1']);
    } finally {
      first.close();
      second.close();
    }
  });

  it('tracks consumers from heartbeats and lists them by group', async () => {
    const hb = {
      clientID: '127.0.0.1@test#1',
      consumerDataSet: [{ groupName: 'CG_HB', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', subscriptionDataSet: [{ classFilterMode: false, codeSet: [], expressionType: 'TAG', subString: '*', subVersion: 1, tagsSet: [], topic: 'BrokerOrderTopic' }], unitMode: false }],
      producerDataSet: [{ groupName: 'PG_HB' }],
    };
    const r = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(hb))), 5000);
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const list = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_HB' }), 5000);
    expect(list.code).toBe(ResponseCode.SUCCESS);
    expect(JSON.parse(list.body!.toString()).consumerIdList).toEqual(['127.0.0.1@test#1']);
    // the retry topic of the group was created
    const retryMax = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_MAX_OFFSET, { topic: '%RETRY%CG_HB', queueId: 0 }), 5000);
    expect(retryMax.code).toBe(ResponseCode.SUCCESS);
    // a pull without the SUBSCRIPTION flag uses the registered subscription
    const pull = pullRequest({ group: 'CG_HB', topic: 'BrokerOrderTopic', queueId: 0, offset: 0, max: 4 });
    pull.extFields!.sysFlag = '0';
    const pr = await client.invoke(mq.broker, pull, 5000);
    expect(pr.code).toBe(ResponseCode.SUCCESS);
    // a 5.x heartbeat V2 "without subscriptions" refreshes the client and keeps its subscriptions
    const v2 = { ...hb, heartbeatFingerprint: 12345, withoutSub: true, consumerDataSet: [{ ...hb.consumerDataSet[0], subscriptionDataSet: [] }] };
    const r2 = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(v2))), 5000);
    expect(r2.code).toBe(ResponseCode.SUCCESS);
    expect(r2.extFields?.IS_SUPPORT_HEART_BEAT_V2).toBe('true');
    expect(r2.extFields?.IS_SUB_CHANGE).toBe('false');
    const pr2 = await client.invoke(mq.broker, pull, 5000);
    expect(pr2.code).toBe(ResponseCode.SUCCESS);
    const unknownGroup = { ...v2, consumerDataSet: [{ ...v2.consumerDataSet[0], groupName: 'CG_NEVER_SEEN' }] };
    const r3 = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(unknownGroup))), 5000);
    expect(r3.extFields?.IS_SUB_CHANGE).toBe('true');
    const unreg = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.UNREGISTER_CLIENT, { clientID: '127.0.0.1@test#1', consumerGroup: 'CG_HB', producerGroup: 'PG_HB' }), 5000);
    expect(unreg.code).toBe(ResponseCode.SUCCESS);
    const after = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG_HB' }), 5000);
    expect(after.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(after.remark).toBe('no consumer for this group, CG_HB');
  });
});
