import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch, validateBatch } from '../../../src/client/producer/batch.js';
import { createMessage } from '../../../src/client/producer/message.js';
import { javaHashOf, selectByHash } from '../../../src/client/producer/selector.js';
import { toPublishInfo, toSubscribeInfo, defaultTopicRouteFor } from '../../../src/client/route.js';
import { toSendV2Fields } from './helpers.js';
import { encodeSendHeader } from '../../../src/protocol/send.js';
import { sendV2ExtFields } from '../../../src/client/api.js';
import { RequestCode } from '../../../src/protocol/codes.js';
import { string2messageProperties } from '../../../src/common/properties.js';
import type { TopicRouteData } from '../../../src/protocol/route.js';

describe('createMessage', () => {
  it('puts tags, keys, delay, user properties and WAIT into the properties', () => {
    const m = createMessage({ topic: 'T', body: 'x', tags: 'A', keys: ['k1', 'k2'], delayLevel: 3, properties: { a: '1' } });
    expect(m.properties).toEqual({ a: '1', TAGS: 'A', KEYS: 'k1 k2', DELAY: '3', WAIT: 'true' });
    expect(m.body.toString()).toBe('x');
  });
  it('refuses reserved property names', () => {
    expect(() => createMessage({ topic: 'T', body: 'x', properties: { UNIQ_KEY: 'x' } })).toThrow(/used by system/);
  });
});

describe('batch body', () => {
  it('encodes each message as TOTALSIZE, MAGIC 0, CRC 0, FLAG, body, properties', () => {
    const a = createMessage({ topic: 'T', body: 'hello', flag: 7, tags: 'A' });
    const b = createMessage({ topic: 'T', body: Buffer.alloc(0) });
    const buf = encodeBatch([a, b]);
    const first = 4 + 4 + 4 + 4 + 4 + 5 + 2 + Buffer.byteLength('TAGS\u0001A\u0002WAIT\u0001true\u0002');
    expect(buf.readInt32BE(0)).toBe(first);
    expect(buf.readInt32BE(4)).toBe(0);
    expect(buf.readInt32BE(8)).toBe(0);
    expect(buf.readInt32BE(12)).toBe(7);
    expect(buf.readInt32BE(16)).toBe(5);
    const back = decodeBatch(buf);
    expect(back).toHaveLength(2);
    expect(back[0].body.toString()).toBe('hello');
    expect(string2messageProperties(back[0].properties)).toEqual({ TAGS: 'A', WAIT: 'true' });
    expect(back[1].body.length).toBe(0);
  });
  it('rejects mixed topics, delays and retry topics', () => {
    expect(() => validateBatch([createMessage({ topic: 'A', body: 'x' }), createMessage({ topic: 'B', body: 'x' })])).toThrow(/same/);
    expect(() => validateBatch([createMessage({ topic: 'A', body: 'x', delayLevel: 2 })])).toThrow(/Delay/);
    expect(() => validateBatch([createMessage({ topic: '%RETRY%G', body: 'x' })])).toThrow(/Retry/);
  });
});

describe('send header', () => {
  it('travels with the one-letter V2 keys, exactly as the protocol codec writes them', () => {
    const f = sendV2ExtFields(toSendV2Fields());
    expect(f).toMatchObject({ a: 'PG', b: 'T', c: 'TBW102', d: '4', e: '1', f: '0', h: '0', i: 'WAIT\u0001true\u0002', m: 'false', n: 'broker-a' });
    expect(f).toEqual(encodeSendHeader(RequestCode.SEND_MESSAGE_V2, toSendV2Fields()));
    const batch = { ...toSendV2Fields(), batch: true, maxReconsumeTimes: 16, reconsumeTimes: 2 };
    expect(sendV2ExtFields(batch)).toEqual(encodeSendHeader(RequestCode.SEND_BATCH_MESSAGE, batch));
  });
});

describe('selector by hash', () => {
  it('uses Java hashCode and abs of the remainder', () => {
    expect(javaHashOf('abc')).toBe(96354);
    expect(javaHashOf(-7)).toBe(-7);
    const mqs = [0, 1, 2, 3].map((i) => ({ topic: 'T', brokerName: 'b', queueId: i }));
    const m = createMessage({ topic: 'T', body: 'x' });
    expect(selectByHash(mqs, m, 'abc').queueId).toBe(96354 % 4);
    expect(selectByHash(mqs, m, -7).queueId).toBe(3);
    expect(selectByHash(mqs, m, 'order-42')).toBe(selectByHash(mqs, m, 'order-42'));
  });
});

const route = (): TopicRouteData => ({
  queueDatas: [
    { brokerName: 'b', readQueueNums: 2, writeQueueNums: 3, perm: 6, topicSysFlag: 0 },
    { brokerName: 'a', readQueueNums: 4, writeQueueNums: 4, perm: 4, topicSysFlag: 0 },
    { brokerName: 'c', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
  ],
  brokerDatas: [
    { cluster: 'C', brokerName: 'a', brokerAddrs: new Map([[0, '10.0.0.1:10911']]) },
    { cluster: 'C', brokerName: 'b', brokerAddrs: new Map([[0, '10.0.0.2:10911']]) },
    { cluster: 'C', brokerName: 'c', brokerAddrs: new Map([[1, '10.0.0.3:10911']]) },
  ],
  filterServerTable: {},
});

describe('route -> queues', () => {
  it('publishes writable queues of brokers with a master only', () => {
    const info = toPublishInfo('T', route());
    expect(info.messageQueueList.map((q) => `${q.brokerName}${q.queueId}`)).toEqual(['b0', 'b1', 'b2']);
    expect(info.orderTopic).toBe(false);
  });
  it('subscribes readable queues', () => {
    expect(toSubscribeInfo('T', route()).map((q) => `${q.brokerName}${q.queueId}`)).toEqual(['b0', 'b1', 'a0', 'a1', 'a2', 'a3', 'c0']);
  });
  it('follows orderTopicConf', () => {
    const info = toPublishInfo('T', { ...route(), orderTopicConf: 'a:2;b:1' });
    expect(info.orderTopic).toBe(true);
    expect(info.messageQueueList.map((q) => `${q.brokerName}${q.queueId}`)).toEqual(['a0', 'a1', 'b0']);
  });
  it('round-robins and avoids the broker that just failed', () => {
    const two: TopicRouteData = { ...route(), queueDatas: [route().queueDatas[0], { ...route().queueDatas[1], perm: 6 }] };
    const info = toPublishInfo('T', two);
    for (let i = 0; i < 10; i++) expect(info.selectOneMessageQueue('a').brokerName).toBe('b');
    const seen = new Set([...Array(7).keys()].map(() => info.selectOneMessageQueue().queueId + info.selectOneMessageQueue().brokerName));
    expect(seen.size).toBeGreaterThan(1);
  });
  it('caps the TBW102 stand-in route to the default queue count', () => {
    const r = defaultTopicRouteFor(route(), 2);
    expect(r.queueDatas.map((q) => q.writeQueueNums)).toEqual([2, 2, 1]);
  });
});
