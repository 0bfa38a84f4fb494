// Broker admin codes against `mqctl start` (standalone namesrv + broker) in a child process, through our
// remoting client: what mqadmin's topic/group/stats/status/query/lock commands ask and what they get back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { decodeTopicConfigWrapper, decodeTopicRouteData } from '../../../src/protocol/route.js';
import {
  decodeConsumeStats,
  decodeConsumerConnection,
  decodeKVTable,
  decodeLockBatchResponseBody,
  decodeSubscriptionGroupWrapper,
  decodeTopicStatsTable,
  encodeLockBatchRequestBody,
  encodeSubscriptionGroupConfig,
  newSubscriptionGroupConfig,
} from '../../../src/protocol/admin.js';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { decodeOffsetMsgId } from '../../../src/common/msgid.js';
import { parseJavaProperties } from '../../../src/protocol/java-properties.js';
import { commitOffset, heartbeat, send, startStandaloneChild, type Standalone } from './helpers.js';

let sa: Standalone;
const client = new RemotingClient({ connectTimeoutMs: 3000 });
const consumer = new RemotingClient({ connectTimeoutMs: 3000 });

function call(code: number, fields?: Record<string, unknown>, body?: Buffer): Promise<RemotingCommand> {
  return client.invoke(sa.brokerAddr, RemotingCommand.createRequest(code, fields, body), 10_000);
}

beforeAll(async () => {
  sa = await startStandaloneChild();
}, 120_000);

afterAll(async () => {
  client.close();
  consumer.close();
  if (sa) {
    const code = await sa.stop();
    expect(code).toBe(0);
  }
});

describe('broker admin over the wire (standalone child process)', () => {
  it('creates a topic that GET_ALL_TOPIC_CONFIG and the name server route show with its queue counts', async () => {
    const r = await call(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: 'AdminIT', defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
    });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const all = decodeTopicConfigWrapper((await call(RequestCode.GET_ALL_TOPIC_CONFIG)).body!);
    expect(all.topicConfigTable.AdminIT).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6 });
    // registration is done before the answer: the route is there at once
    const route = await client.invoke(sa.namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'AdminIT' }), 5000);
    expect(route.code).toBe(0);
    const rd = decodeTopicRouteData(route.body!);
    expect(rd.queueDatas).toHaveLength(1);
    expect(rd.queueDatas[0]).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6 });
  });

  it('consume stats after sending N and committing M show lag N - M; topic stats and runtime info follow', async () => {
    for (let i = 0; i < 6; i++) await send(client, sa.brokerAddr, 'AdminIT', 0, `q0-${i}`);
    for (let i = 0; i < 4; i++) await send(client, sa.brokerAddr, 'AdminIT', 1, `q1-${i}`);
    // the group exists first, as a consumer's heartbeat would make it: 5.3.x refuses offsets of an unknown group
    const group = { groupName: 'AdminITGroup', consumeEnable: true, consumeBroadcastEnable: true, consumeFromMinEnable: true, retryQueueNums: 1,
      retryMaxTimes: 16, brokerId: 0, whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true };
    expect((await call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, Buffer.from(JSON.stringify(group)))).code).toBe(0);
    await commitOffset(client, sa.brokerAddr, 'AdminITGroup', 'AdminIT', 0, 2);
    await commitOffset(client, sa.brokerAddr, 'AdminITGroup', 'AdminIT', 1, 3);

    const cs = await call(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'AdminITGroup', topic: 'AdminIT' });
    expect(cs.code).toBe(0);
    const stats = decodeConsumeStats(cs.body!);
    const lag = stats.offsetTable.reduce((n, [, o]) => n + (o.brokerOffset - o.consumerOffset), 0);
    expect(lag).toBe(10 - 5);
    expect(stats.offsetTable).toHaveLength(4);

    const ts = decodeTopicStatsTable((await call(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'AdminIT' })).body!);
    const max = new Map(ts.offsetTable.map(([q, o]) => [q.queueId, o.maxOffset]));
    expect([max.get(0), max.get(1), max.get(2), max.get(3)]).toEqual([6, 4, 0, 0]);

    const rt = decodeKVTable((await call(RequestCode.GET_BROKER_RUNTIME_INFO)).body!).table;
    expect(rt.brokerVersionDesc).toBe('V5_3_3');
    expect(Number(rt.msgPutTotalTodayNow)).toBeGreaterThanOrEqual(10);
    expect(Number(rt.commitLogMaxOffset)).toBeGreaterThan(0);
    expect(rt.putTps.split(' ')).toHaveLength(3);
    expect(Number(rt.bootTimestamp)).toBeGreaterThan(0);
  });

  it('finds messages by key, by unique key and by offset msgId', async () => {
    const sent = await send(client, sa.brokerAddr, 'AdminIT', 2, 'keyed body', { KEYS: 'invoice-77', UNIQ_KEY: 'AC1100010000AAAA0000000000000077' });
    const byKey = await call(RequestCode.QUERY_MESSAGE, { topic: 'AdminIT', key: 'invoice-77', maxNum: 32, beginTimestamp: 0, endTimestamp: Date.now() + 60_000 });
    expect(byKey.code).toBe(0);
    expect(decodeMessages(byKey.body!).map((m) => m.body.toString())).toEqual(['keyed body']);
    const byUniq = await call(RequestCode.QUERY_MESSAGE, {
      topic: 'AdminIT', key: 'AC1100010000AAAA0000000000000077', maxNum: 1, beginTimestamp: 0, endTimestamp: Date.now() + 60_000, _UNIQUE_KEY_QUERY: 'true',
    });
    expect(decodeMessages(byUniq.body!)[0].msgId).toBe(sent.msgId);
    const { address, offset } = decodeOffsetMsgId(sent.msgId);
    expect(address).toBe(sa.brokerAddr);
    const view = await call(RequestCode.VIEW_MESSAGE_BY_ID, { offset });
    expect(decodeMessages(view.body!)[0].properties.KEYS).toBe('invoice-77');
  });

  it('groups, connections and relayed running info', async () => {
    const g = await call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, encodeSubscriptionGroupConfig(newSubscriptionGroupConfig('AdminITGroup', { retryMaxTimes: 5 })));
    expect(g.code).toBe(0);
    const groups = decodeSubscriptionGroupWrapper((await call(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)).body!);
    expect(groups.subscriptionGroupTable.AdminITGroup.retryMaxTimes).toBe(5);

    expect((await call(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'AdminITGroup' })).code).toBe(ResponseCode.CONSUMER_NOT_ONLINE);
    consumer.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, () => {
      const r = RemotingCommand.createResponse(0);
      r.body = Buffer.from('{"properties":{"PROP_CONSUME_TYPE":"CONSUME_PASSIVELY"},"subscriptionSet":[]}');
      return r;
    });
    await heartbeat(consumer, sa.brokerAddr, '127.0.0.1@admin-it', 'AdminITGroup', ['AdminIT']);
    const conn = decodeConsumerConnection((await call(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'AdminITGroup' })).body!);
    expect(conn.connectionSet.map((c) => c.clientId)).toEqual(['127.0.0.1@admin-it']);
    expect(Object.keys(conn.subscriptionTable)).toContain('AdminIT');

    const info = await call(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'AdminITGroup', clientId: '127.0.0.1@admin-it', jstackEnable: false });
    expect(info.code).toBe(0);
    expect(info.body!.toString()).toContain('PROP_CONSUME_TYPE');
  });

  it('lock/unlock give one owner per queue', async () => {
    const mq = { topic: 'AdminIT', brokerName: '', queueId: 0 };
    const route = decodeTopicRouteData((await client.invoke(sa.namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'AdminIT' }), 5000)).body!);
    mq.brokerName = route.brokerDatas[0].brokerName;
    const lock = async (clientId: string) =>
      decodeLockBatchResponseBody((await call(RequestCode.LOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody({ consumerGroup: 'LockG', clientId, mqSet: [mq] }))).body!).lockOKMQSet.length;
    expect(await lock('A')).toBe(1);
    expect(await lock('B')).toBe(0);
    await call(RequestCode.UNLOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody({ consumerGroup: 'LockG', clientId: 'A', mqSet: [mq] }));
    expect(await lock('B')).toBe(1);
  });

  it('broker config round trip, unknown code, and topic deletion', async () => {
    const cfg = parseJavaProperties((await call(RequestCode.GET_BROKER_CONFIG)).body!.toString());
    expect(cfg.brokerClusterName).toBe('DefaultCluster');
    expect((await call(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from('defaultQueryMaxNum=16\n'))).code).toBe(0);
    expect(parseJavaProperties((await call(RequestCode.GET_BROKER_CONFIG)).body!.toString()).defaultQueryMaxNum).toBe('16');

    const unknown = await call(4242);
    expect(unknown.code).toBe(3);
    expect(unknown.remark).toBe(' request type 4242 not supported');

    expect((await call(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'AdminIT' })).code).toBe(0);
    const all = decodeTopicConfigWrapper((await call(RequestCode.GET_ALL_TOPIC_CONFIG)).body!);
    expect(all.topicConfigTable.AdminIT).toBeUndefined();
    const stats = await call(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'AdminIT' });
    expect(stats.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });
});
