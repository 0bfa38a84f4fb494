import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { decodeBrokerStatsData, decodeTopicList, subscriptionGroupConfigToJson, newSubscriptionGroupConfig } from '../../../src/protocol/admin.js';
import { encodeJson, parseObjectBody } from '../../../src/protocol/body.js';
import { newTopicConfig, topicConfigToJson } from '../../../src/protocol/route.js';
import { useHarness } from './harness.js';

const h = useHarness();

describe('UPDATE_AND_CREATE_TOPIC_LIST / UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST', () => {
  it('creates every topic of the list and registers once', async () => {
    const a = topicConfigToJson(newTopicConfig('ListA', { readQueueNums: 2, writeQueueNums: 2 }));
    const b = { ...topicConfigToJson(newTopicConfig('ListB', { readQueueNums: 3, writeQueueNums: 3 })), attributes: { '+message.type': 'FIFO' } };
    const r = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC_LIST, undefined, encodeJson({ topicConfigList: [a, b] }));
    expect(r.code).toBe(0);
    expect(h.ctx.topics.get('ListA')?.writeQueueNums).toBe(2);
    expect(h.ctx.topics.get('ListB')?.attributes).toEqual({ 'message.type': 'FIFO' });
    expect(h.registrations).toBe(1);

    // one bad name refuses the whole list before anything changes
    const bad = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC_LIST, undefined,
      encodeJson({ topicConfigList: [topicConfigToJson(newTopicConfig('ListC')), topicConfigToJson(newTopicConfig('TBW102'))] }));
    expect(bad.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(h.ctx.topics.get('ListC')).toBeUndefined();
  });

  it('creates every group of the list; an invalid name refuses all', async () => {
    const list = [newSubscriptionGroupConfig('LG1', { retryMaxTimes: 2 }), newSubscriptionGroupConfig('LG2')].map((g) => subscriptionGroupConfigToJson(g));
    expect((await h.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, undefined, encodeJson({ groupConfigList: list }))).code).toBe(0);
    expect(h.ctx.groups.get('LG1')?.retryMaxTimes).toBe(2);
    expect(h.ctx.groups.get('LG2')).toBeDefined();
    const bad = [newSubscriptionGroupConfig('LG3'), newSubscriptionGroupConfig('bad name')].map((g) => subscriptionGroupConfigToJson(g));
    expect((await h.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, undefined, encodeJson({ groupConfigList: bad }))).code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(h.ctx.groups.get('LG3')).toBeUndefined();
  });
});

describe('producer info, topics/subscription by consumer', () => {
  it('GET_ALL_PRODUCER_INFO lists producer groups with their clients', async () => {
    const { channel } = await h.addConsumer('c', 'c', []);
    h.ctx.producers.register('PG1', { channel, clientId: 'p-1', language: 'JAVA', version: 479, lastUpdate: 1234 });
    const r = await h.call(RequestCode.GET_ALL_PRODUCER_INFO);
    expect(r.code).toBe(0);
    const data = parseObjectBody(r.body!, 'ProducerTableInfo').data as Record<string, Array<Record<string, unknown>>>;
    expect(data.PG1).toEqual([{ clientId: 'p-1', language: 'JAVA', lastUpdateTimestamp: 1234, remoteIP: channel.remoteAddr, version: 479 }]);
  });

  it('QUERY_TOPICS_BY_CONSUMER and QUERY_SUBSCRIPTION_BY_CONSUMER', async () => {
    h.ctx.offsets.commit('QG', 'T1', 0, 1);
    h.ctx.offsets.commit('QG', 'T2', 0, 1);
    const t = decodeTopicList((await h.call(RequestCode.QUERY_TOPICS_BY_CONSUMER, { group: 'QG' })).body!);
    expect(t.topicList).toEqual(['T1', 'T2']);
    expect(t.brokerAddr).toBe(h.addr);

    await h.addConsumer('QG', 'q-1', ['T1']);
    const s = parseObjectBody((await h.call(RequestCode.QUERY_SUBSCRIPTION_BY_CONSUMER, { group: 'QG', topic: 'T1' })).body!, 'x');
    expect(s.group).toBe('QG');
    expect((s.subscriptionData as Record<string, unknown>).subString).toBe('*');
    const none = parseObjectBody((await h.call(RequestCode.QUERY_SUBSCRIPTION_BY_CONSUMER, { group: 'QG', topic: 'T2' })).body!, 'x');
    expect(none.subscriptionData).toBeUndefined();
  });
});

describe('VIEW_BROKER_STATS_DATA / CLEAN_UNUSED_TOPIC', () => {
  it('reports put counts of a topic and refuses unknown items', async () => {
    h.createTopic('StT', 1);
    for (let i = 0; i < 3; i++) await h.put('StT', 0, `s${i}`);
    const r = await h.call(RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'StT' });
    expect(r.code).toBe(0);
    const d = decodeBrokerStatsData(r.body!);
    // the broker has run ~65 s in the harness: hour and day hold everything put since start
    expect(d.statsHour.sum).toBe(3);
    expect(d.statsDay.sum).toBe(3);
    const none = await h.call(RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'Nothing' });
    expect(none.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(none.remark).toBe('The stats <TOPIC_PUT_NUMS> <Nothing> not exist');
    const cluster = await h.call(RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'BROKER_PUT_NUMS', statsKey: 'DefaultCluster' });
    expect(decodeBrokerStatsData(cluster.body!).statsDay.sum).toBe(3);
  });

  it('CLEAN_UNUSED_TOPIC drops queues of topics without config only', async () => {
    h.createTopic('Kept', 1);
    await h.put('Kept', 0, 'k');
    await h.put('Orphan', 0, 'o');
    expect(h.ctx.store.getQueueIds('Orphan')).toEqual([0]);
    expect((await h.call(RequestCode.CLEAN_UNUSED_TOPIC)).code).toBe(0);
    expect(h.ctx.store.getQueueIds('Orphan')).toEqual([]);
    expect(h.ctx.store.getQueueIds('Kept')).toEqual([0]);
  });
});
