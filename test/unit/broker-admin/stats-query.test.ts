import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import {
  decodeConsumeStats,
  decodeKVTable,
  decodeQueryConsumeQueueResponseBody,
  decodeQueryConsumeTimeSpanBody,
  decodeTopicStatsTable,
  decodeGroupList,
} from '../../../src/protocol/admin.js';
import { parseObjectBody } from '../../../src/protocol/body.js';
import { parseJavaProperties } from '../../../src/protocol/java-properties.js';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { UNIQUE_MSG_QUERY_FLAG } from '../../../src/broker/processors/admin/query.js';
import { useHarness } from './harness.js';

const h = useHarness();

describe('GET_TOPIC_STATS_INFO', () => {
  it('reports min/max offsets and last store time per queue with MessageQueue keys', async () => {
    h.createTopic('StatsT', 3);
    for (let i = 0; i < 5; i++) await h.put('StatsT', 0, `m${i}`);
    await h.put('StatsT', 2, 'x');
    const r = await h.call(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'StatsT' });
    expect(r.code).toBe(0);
    // object-valued keys, as fastjson writes Map<MessageQueue, TopicOffset>
    expect(r.body!.toString()).toContain('{{"brokerName":"broker-a","queueId":0,"topic":"StatsT"}:{');
    const t = decodeTopicStatsTable(r.body!);
    expect(t.offsetTable).toHaveLength(3);
    const byQueue = new Map(t.offsetTable.map(([q, o]) => [q.queueId, o]));
    expect(byQueue.get(0)).toMatchObject({ minOffset: 0, maxOffset: 5 });
    expect(byQueue.get(0)!.lastUpdateTimestamp).toBeGreaterThan(Date.now() - 60_000);
    expect(byQueue.get(1)).toEqual({ minOffset: 0, maxOffset: 0, lastUpdateTimestamp: 0 });
    expect(byQueue.get(2)!.maxOffset).toBe(1);

    const none = await h.call(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'NoSuch' });
    expect(none.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(none.remark).toBe('topic[NoSuch] not exist');
  });
});

describe('GET_CONSUME_STATS / GET_BROKER_CONSUME_STATS / QUERY_CONSUME_TIME_SPAN', () => {
  it('shows lag N - M after sending N and committing M', async () => {
    h.createTopic('LagT', 2);
    for (let i = 0; i < 7; i++) await h.put('LagT', 0, `a${i}`);
    for (let i = 0; i < 3; i++) await h.put('LagT', 1, `b${i}`);
    h.ctx.offsets.commit('LagG', 'LagT', 0, 4);
    h.ctx.offsets.commit('LagG', 'LagT', 1, 3);

    const r = await h.call(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'LagG', topic: 'LagT' });
    expect(r.code).toBe(0);
    const s = decodeConsumeStats(r.body!);
    const q = new Map(s.offsetTable.map(([mq, o]) => [mq.queueId, o]));
    expect(q.get(0)).toMatchObject({ brokerOffset: 7, consumerOffset: 4 });
    expect(q.get(1)).toMatchObject({ brokerOffset: 3, consumerOffset: 3 });
    const lag = s.offsetTable.reduce((n, [, o]) => n + o.brokerOffset - o.consumerOffset, 0);
    expect(lag).toBe(10 - 7);
    // lastTimestamp = store time of the last consumed message
    expect(q.get(0)!.lastTimestamp).toBeGreaterThan(0);
    expect(r.body!.toString()).toMatch(/"consumeTps":\d+\.\d/);

    // no topic given: every topic the group has offsets on
    const all = decodeConsumeStats((await h.call(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'LagG' })).body!);
    expect(all.offsetTable).toHaveLength(2);
    // an online group that does not subscribe the topic: dropped
    await h.addConsumer('LagG', '127.0.0.1@1', ['OtherTopic']);
    const dropped = decodeConsumeStats((await h.call(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'LagG', topic: 'LagT' })).body!);
    expect(dropped.offsetTable).toHaveLength(0);
    // ... unless named in topicList
    const listed = decodeConsumeStats((await h.call(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'LagG', topicList: 'LagT;' })).body!);
    expect(listed.offsetTable).toHaveLength(2);

    const broker = await h.call(RequestCode.GET_BROKER_CONSUME_STATS, { isOrder: false });
    expect(broker.code).toBe(0);
    const b = parseObjectBody(broker.body!, 'ConsumeStatsList');
    expect(b.brokerAddr).toBe(h.addr);
    expect(Array.isArray(b.consumeStatsList)).toBe(true);

    const span = await h.call(RequestCode.QUERY_CONSUME_TIME_SPAN, { topic: 'LagT', group: 'LagG' });
    expect(span.code).toBe(0);
    const spans = decodeQueryConsumeTimeSpanBody(span.body!);
    expect(spans).toHaveLength(2);
    const s0 = spans.find((x) => x.messageQueue.queueId === 0)!;
    expect(s0.minTimeStamp).toBeGreaterThan(0);
    expect(s0.maxTimeStamp).toBeGreaterThanOrEqual(s0.consumeTimeStamp);
    expect(s0.delayTime).toBeGreaterThanOrEqual(0);
    // fastjson also writes QueueTimeSpan's getter-only *Str properties
    expect(span.body!.toString()).toMatch(/"minTimeStampStr":"\d{4}-\d\d-\d\d#\d\d:\d\d:\d\d:\d{3}"/);
  });

  it('QUERY_TOPIC_CONSUME_BY_WHO unites online subscribers and groups with offsets', async () => {
    h.createTopic('WhoT', 1);
    h.ctx.offsets.commit('OffsetGroup', 'WhoT', 0, 0);
    await h.addConsumer('OnlineGroup', '127.0.0.1@2', ['WhoT']);
    const r = await h.call(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic: 'WhoT' });
    expect(decodeGroupList(r.body!).groupList.sort()).toEqual(['OffsetGroup', 'OnlineGroup']);
  });
});

describe('GET_BROKER_RUNTIME_INFO', () => {
  it('has every key mqadmin brokerStatus / clusterList read, with Java-formatted values', async () => {
    h.createTopic('RtT', 1);
    await h.put('RtT', 0, 'one');
    await h.put('RtT', 0, 'two');
    const r = await h.call(RequestCode.GET_BROKER_RUNTIME_INFO);
    expect(r.code).toBe(0);
    const t = decodeKVTable(r.body!).table;
    for (const k of [
      'brokerVersionDesc', 'brokerVersion', 'brokerActive', 'msgPutTotalTodayNow', 'msgGetTotalTodayNow',
      'msgPutTotalYesterdayMorning', 'msgPutTotalTodayMorning', 'msgGetTotalYesterdayMorning', 'msgGetTotalTodayMorning',
      'putTps', 'getTransferredTps', 'getTransferedTps', 'getFoundTps', 'getMissTps', 'getTotalTps',
      'commitLogMaxOffset', 'commitLogMinOffset', 'commitLogDiskRatio', 'consumeQueueDiskRatio', 'bootTimestamp', 'runtime',
      'earliestMessageTimeStamp', 'startAcceptSendRequestTimeStamp', 'sendThreadPoolQueueSize', 'sendThreadPoolQueueCapacity',
      'pullThreadPoolQueueSize', 'pullThreadPoolQueueCapacity', 'sendThreadPoolQueueHeadWaitTimeMills',
      'pullThreadPoolQueueHeadWaitTimeMills', 'pageCacheLockTimeMills', 'dispatchBehindBytes', 'putMessageTimesTotal',
      'putMessageSizeTotal', 'putMessageAverageSize', 'putMessageDistributeTime', 'putLatency99', 'putLatency999',
      'timerReadBehind', 'timerOffsetBehind', 'timerCongestNum', 'timerEnqueueTps', 'timerDequeueTps',
      'remainHowManyDataToFlush', 'EndTransactionQueueSize', 'queryThreadPoolQueueCapacity',
    ]) {
      expect(t, k).toHaveProperty(k);
    }
    expect(t.brokerVersionDesc).toBe('V5_3_3');
    expect(t.brokerVersion).toBe('479');
    expect(t.brokerActive).toBe('true');
    expect(t.msgPutTotalTodayNow).toBe('2');
    expect(Number(t.commitLogMaxOffset)).toBeGreaterThan(0);
    expect(t.commitLogMinOffset).toBe('0');
    // "x y z": tps over 10 s, 60 s, 600 s; clusterList parses the first as a double
    expect(t.putTps).toMatch(/^\d+\.\d+ \d+\.\d+ \d+\.\d+$/);
    expect(t.runtime).toMatch(/^\[ 0 days, 0 hours, 1 minutes, \d+ seconds \]$/);
    expect(Number(t.earliestMessageTimeStamp)).toBeGreaterThan(0);
    expect(Number(t.commitLogDiskRatio)).toBeGreaterThan(0);
    expect(Number(t.commitLogDiskRatio)).toBeLessThanOrEqual(1);
    expect(t.sendThreadPoolQueueCapacity).toBe('10000');
    expect(t.timerEnqueueTps).toBe('0.0');
  });

  it('reports schedule progress per delay level as "delayOffset,maxOffset"', async () => {
    fs.mkdirSync(path.join(h.dir, 'config'), { recursive: true });
    fs.writeFileSync(path.join(h.dir, 'config', 'delayOffset.json'), '{"offsetTable":{1:0,3:1}}');
    await h.put('SCHEDULE_TOPIC_XXXX', 2, 'delayed');
    await h.put('SCHEDULE_TOPIC_XXXX', 2, 'delayed');
    const t = decodeKVTable((await h.call(RequestCode.GET_BROKER_RUNTIME_INFO)).body!).table;
    expect(t.scheduleMessageOffset_3).toBe('1,2');
    expect(t.scheduleMessageOffset_1).toBe('0,0');
  });
});

describe('GET_BROKER_CONFIG / UPDATE_BROKER_CONFIG', () => {
  it('answers sorted properties text with a version header and applies updates', async () => {
    const r = await h.call(RequestCode.GET_BROKER_CONFIG);
    expect(r.code).toBe(0);
    const text = r.body!.toString();
    const lines = text.trimEnd().split('\n');
    expect([...lines].sort()).toEqual(lines);
    const props = parseJavaProperties(text);
    expect(props.brokerName).toBe('broker-a');
    expect(props.brokerClusterName).toBe('DefaultCluster');
    expect(props.autoCreateTopicEnable).toBe('true');
    const v1 = JSON.parse(r.field('version')!);
    expect(v1).toHaveProperty('counter');

    const up = await h.call(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from('maxMessageSize=1024\nautoCreateTopicEnable : false\n'));
    expect(up.code).toBe(0);
    expect(h.ctx.config.maxMessageSize).toBe(1024);
    expect(h.ctx.config.autoCreateTopicEnable).toBe(false);
    const after = await h.call(RequestCode.GET_BROKER_CONFIG);
    expect(parseJavaProperties(after.body!.toString()).maxMessageSize).toBe('1024');
    expect(JSON.parse(after.field('version')!).counter).toBe(v1.counter + 1);
    expect(h.registrations).toBe(0);

    const black = await h.call(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from('brokerConfigPath=/tmp/x\n'));
    expect(black.code).toBe(ResponseCode.NO_PERMISSION);
    expect(black.remark).toBe('Can not update config in black list.');

    const dv = h.ctx.topics.dataVersion.counter;
    const perm = await h.call(RequestCode.UPDATE_BROKER_CONFIG, undefined, Buffer.from('brokerPermission=4\n'));
    expect(perm.code).toBe(0);
    expect(h.ctx.config.brokerPermission).toBe(4);
    expect(h.registrations).toBe(1);
    expect(h.ctx.topics.dataVersion.counter).toBe(dv + 1);
  });
});

describe('VIEW_MESSAGE_BY_ID / QUERY_MESSAGE / QUERY_CONSUME_QUEUE', () => {
  it('finds a message by commitlog offset, by key and by unique key', async () => {
    h.createTopic('QT', 2);
    await h.put('QT', 0, 'first', { KEYS: 'order-1 order-2', UNIQ_KEY: 'AC110001000018B4AAC2000000000001', TAGS: 'TagA' });
    const second = await h.put('QT', 1, 'second', { KEYS: 'order-3', UNIQ_KEY: 'AC110001000018B4AAC2000000000002' });

    const view = await h.call(RequestCode.VIEW_MESSAGE_BY_ID, { offset: second.phyOffset });
    expect(view.code).toBe(0);
    const [m] = decodeMessages(view.body!);
    expect(m.body.toString()).toBe('second');
    expect(m.msgId).toBe(second.msgId);
    const gone = await h.call(RequestCode.VIEW_MESSAGE_BY_ID, { offset: 999_999 });
    expect(gone.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(gone.remark).toBe('can not find message by the offset, 999999');

    const now = Date.now();
    const byKey = await h.call(RequestCode.QUERY_MESSAGE, { topic: 'QT', key: 'order-2', maxNum: 32, beginTimestamp: 0, endTimestamp: now + 60_000 });
    expect(byKey.code).toBe(0);
    const found = decodeMessages(byKey.body!);
    expect(found.map((x) => x.body.toString())).toEqual(['first']);
    expect(Number(byKey.field('indexLastUpdatePhyoffset'))).toBeGreaterThan(0);
    expect(byKey.field('indexLastUpdateTimestamp')).toBeDefined();

    const uniq = RequestCode.QUERY_MESSAGE;
    const byUniq = await h.call(uniq, { topic: 'QT', key: 'AC110001000018B4AAC2000000000002', maxNum: 0, beginTimestamp: 0, endTimestamp: now + 60_000, [UNIQUE_MSG_QUERY_FLAG]: 'true' });
    expect(byUniq.code).toBe(0);
    expect(decodeMessages(byUniq.body!).map((x) => x.body.toString())).toEqual(['second']);

    const miss = await h.call(RequestCode.QUERY_MESSAGE, { topic: 'QT', key: 'nope', maxNum: 32, beginTimestamp: 0, endTimestamp: now + 60_000 });
    expect(miss.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(miss.remark).toBe('can not find message, maybe time range not correct');
  });

  it('lists consume-queue units and says when a queue does not exist', async () => {
    h.createTopic('CQT', 1);
    for (let i = 0; i < 4; i++) await h.put('CQT', 0, `u${i}`, { TAGS: 'TagA' });
    const r = await h.call(RequestCode.QUERY_CONSUME_QUEUE, { topic: 'CQT', queueId: 0, index: 1, count: 2, consumerGroup: 'CG' });
    expect(r.code).toBe(0);
    const b = decodeQueryConsumeQueueResponseBody(r.body!);
    expect(b.minQueueIndex).toBe(0);
    expect(b.maxQueueIndex).toBe(4);
    expect(b.queueData).toHaveLength(2);
    expect(b.queueData[0].physicSize).toBeGreaterThan(0);
    expect(b.queueData[1].physicOffset).toBeGreaterThan(b.queueData[0].physicOffset);
    expect(b.filterData).toBe('CG@CQT is not online!');
    const missing = await h.call(RequestCode.QUERY_CONSUME_QUEUE, { topic: 'CQT', queueId: 5, index: 0, count: 1 });
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toBe('5@CQT is not exist!');
    const beyond = await h.call(RequestCode.QUERY_CONSUME_QUEUE, { topic: 'CQT', queueId: 0, index: 10, count: 1 });
    expect(beyond.code).toBe(0);
    expect(beyond.remark).toBe('Index 10 of 0@CQT is not exist!');
  });
});
