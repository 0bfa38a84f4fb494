import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { decodeTopicConfigWrapper, topicConfigFromJson } from '../../../src/protocol/route.js';
import {
  decodeSubscriptionGroupConfig,
  decodeSubscriptionGroupWrapper,
  decodeTopicList,
  encodeSubscriptionGroupConfig,
  newSubscriptionGroupConfig,
} from '../../../src/protocol/admin.js';
import { parseObjectBody } from '../../../src/protocol/body.js';
import { useHarness } from './harness.js';

const h = useHarness();

function createFields(topic: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { topic, defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, ...over };
}

describe('UPDATE_AND_CREATE_TOPIC / GET_ALL_TOPIC_CONFIG / GET_TOPIC_CONFIG', () => {
  it('creates a topic with the asked queue counts and perm, persists it and registers once', async () => {
    const r = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('OrderTopic', { readQueueNums: 3, writeQueueNums: 5, perm: 4 }));
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(h.registrations).toBe(1);

    const all = await h.call(RequestCode.GET_ALL_TOPIC_CONFIG);
    expect(all.code).toBe(0);
    const w = decodeTopicConfigWrapper(all.body!);
    expect(w.topicConfigTable.OrderTopic).toMatchObject({ readQueueNums: 3, writeQueueNums: 5, perm: 4, topicFilterType: 'SINGLE_TAG' });
    expect(Number(all.field('totalTopicNum'))).toBe(Object.keys(w.topicConfigTable).length);
    // 5.x wrapper members are present
    const raw = parseObjectBody(all.body!, 'wrapper');
    expect(raw).toHaveProperty('mappingDataVersion');
    expect(raw).toHaveProperty('topicQueueMappingDetailMap');

    const onDisk = fs.readFileSync(path.join(h.dir, 'config', 'topics.json'), 'utf8');
    expect(onDisk).toContain('"OrderTopic"');

    // the same request again changes nothing and does not re-register
    const again = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('OrderTopic', { readQueueNums: 3, writeQueueNums: 5, perm: 4 }));
    expect(again.code).toBe(0);
    expect(h.registrations).toBe(1);

    const one = await h.call(RequestCode.GET_TOPIC_CONFIG, { topic: 'OrderTopic' });
    expect(one.code).toBe(0);
    expect(topicConfigFromJson(parseObjectBody(one.body!, 'tc'))).toMatchObject({ topicName: 'OrderTopic', writeQueueNums: 5 });
    const none = await h.call(RequestCode.GET_TOPIC_CONFIG, { topic: 'Nope' });
    expect(none.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(none.remark).toBe('No topic in this broker. topic: Nope');
  });

  it('refuses bad names, system topics and bad filter types with Apache codes', async () => {
    const bad = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('bad topic!'));
    expect(bad.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(bad.remark).toContain('contains illegal characters');
    const long = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('x'.repeat(128)));
    expect(long.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(long.remark).toContain('longer than topic max length 127');
    for (const sys of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'rmq_sys_anything', 'DefaultCluster', 'broker-a']) {
      const r = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields(sys));
      expect(r.code, sys).toBe(ResponseCode.INVALID_PARAMETER);
      expect(r.remark).toBe(`The topic[${sys}] is conflict with system topic.`);
    }
    const filter = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('T1', { topicFilterType: 'WHATEVER' }));
    expect(filter.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(filter.remark).toContain('TopicFilterType.WHATEVER');
    // a missing required field: SYSTEM_ERROR naming it, and the server goes on
    const missing = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic: 'T2', topicFilterType: 'SINGLE_TAG' });
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toMatch(/custom field <\w+> is null/);
    expect(h.ctx.topics.get('T2')).toBeUndefined();
    // absurd queue counts are refused before they can stall the per-queue loops
    const huge = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('T5', { readQueueNums: 2147483647 }));
    expect(huge.code).toBe(ResponseCode.INVALID_PARAMETER);
    const negative = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('T6', { writeQueueNums: -1 }));
    expect(negative.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(h.registrations).toBe(0);
  });

  it('applies 5.x attributes (+k=v) and rejects unknown ones', async () => {
    const r = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('FifoTopic', { attributes: '+message.type=FIFO' }));
    expect(r.code).toBe(0);
    expect(h.ctx.topics.get('FifoTopic')?.attributes).toEqual({ 'message.type': 'FIFO' });
    const bad = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('T3', { attributes: '+no.such=1' }));
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toBe('unsupported key: no.such');
    const mixed = await h.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createFields('T4', { attributes: '+message.type=MIXED' }));
    expect(mixed.code).toBe(ResponseCode.INVALID_PARAMETER);
  });
});

describe('DELETE_TOPIC_IN_BROKER', () => {
  it('removes the config, the offsets and the consume queues', async () => {
    h.createTopic('Gone', 2);
    await h.put('Gone', 0, 'a');
    await h.put('Gone', 1, 'b');
    h.ctx.offsets.commit('G1', 'Gone', 0, 1);
    expect(h.ctx.store.getMaxOffsetInQueue('Gone', 0)).toBe(1);

    const r = await h.call(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'Gone' });
    expect(r.code).toBe(0);
    expect(h.ctx.topics.get('Gone')).toBeUndefined();
    expect(h.ctx.offsets.query('G1', 'Gone', 0)).toBe(-1);
    expect(h.ctx.store.getQueueIds('Gone')).toEqual([]);
    expect(fs.existsSync(path.join(h.dir, 'consumequeue', 'Gone'))).toBe(false);

    const sys = await h.call(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'TBW102' });
    expect(sys.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(h.ctx.topics.get('TBW102')).toBeDefined();
    const blank = await h.call(RequestCode.DELETE_TOPIC_IN_BROKER, {});
    expect(blank.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(blank.remark).toBe('The specified topic is blank.');
  });
});

describe('GET_SYSTEM_TOPIC_LIST_FROM_BROKER', () => {
  it('lists built-in and start-up system topics', async () => {
    const r = await h.call(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER);
    const list = decodeTopicList(r.body!).topicList;
    for (const t of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'DefaultCluster', 'broker-a', 'OFFSET_MOVED_EVENT']) expect(list).toContain(t);
    expect(list).not.toContain('UserTopic');
  });
});

describe('subscription groups', () => {
  it('creates, reads back, lists and deletes a group (offsets only with cleanOffset)', async () => {
    const cfg = newSubscriptionGroupConfig('G_orders', { retryMaxTimes: 3, consumeMessageOrderly: true });
    const r = await h.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, encodeSubscriptionGroupConfig(cfg));
    expect(r.code).toBe(0);

    const one = await h.call(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, { group: 'G_orders' });
    expect(one.code).toBe(0);
    expect(decodeSubscriptionGroupConfig(one.body!)).toMatchObject({ groupName: 'G_orders', retryMaxTimes: 3, consumeMessageOrderly: true });
    const missing = await h.call(RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, { group: 'Nobody' });
    expect(missing.code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);

    const all = await h.call(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
    const w = decodeSubscriptionGroupWrapper(all.body!);
    expect(w.subscriptionGroupTable.G_orders.retryMaxTimes).toBe(3);
    expect(parseObjectBody(all.body!, 'w')).toHaveProperty('forbiddenTable');

    h.ctx.offsets.commit('G_orders', 'T', 0, 7);
    const keep = await h.call(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: 'G_orders' });
    expect(keep.code).toBe(0);
    expect(h.ctx.groups.get('G_orders')).toBeUndefined();
    expect(h.ctx.offsets.query('G_orders', 'T', 0)).toBe(7);

    await h.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, encodeSubscriptionGroupConfig(cfg));
    const clean = await h.call(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: 'G_orders', cleanOffset: true });
    expect(clean.code).toBe(0);
    expect(h.ctx.offsets.query('G_orders', 'T', 0)).toBe(-1);
  });

  it('rejects an invalid group name with 29 and a malformed body with 1', async () => {
    const bad = await h.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, encodeSubscriptionGroupConfig(newSubscriptionGroupConfig('bad group')));
    expect(bad.code).toBe(ResponseCode.INVALID_PARAMETER);
    const junk = await h.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, Buffer.from('{not json'));
    expect(junk.code).toBe(ResponseCode.SYSTEM_ERROR);
    // still serving
    expect((await h.call(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)).code).toBe(0);
  });
});

describe('default processor', () => {
  it('answers an unknown code with REQUEST_CODE_NOT_SUPPORTED and Apache remark', async () => {
    const r = await h.call(9999);
    expect(r.code).toBe(3);
    expect(r.remark).toBe(' request type 9999 not supported');
  });
});
