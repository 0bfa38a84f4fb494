import { describe, expect, it } from 'vitest';
import {
  HeaderParseError,
  decodeRequired,
  defineHeader,
  javaDoubleString,
  parseJavaBoolean,
  parseJavaDouble,
  parseJavaInt,
  parseJavaLong,
} from '../../../src/protocol/header.js';
import {
  SEND_V2_KEYS,
  SendMessageRequestHeader,
  SendMessageRequestHeaderV2,
  SendMessageResponseHeader,
  decodeBatchBody,
  decodeSendHeader,
  encodeBatchBody,
  encodeSendHeader,
} from '../../../src/protocol/send.js';
import { PullMessageRequestHeader, PullMessageResponseHeader, PullSysFlag, buildPullSysFlag, hasSuspendFlag, clearCommitOffsetFlag } from '../../../src/protocol/pull.js';
import { QueryConsumerOffsetRequestHeader, GetMaxOffsetRequestHeader, SearchOffsetRequestHeader, parseBoundaryType } from '../../../src/protocol/offset.js';
import { EndTransactionRequestHeader, CheckTransactionStateRequestHeader } from '../../../src/protocol/transaction.js';
import { RegisterBrokerRequestHeader } from '../../../src/protocol/namesrv.js';
import { CreateTopicRequestHeader } from '../../../src/protocol/admin-headers.js';
import { ResetOffsetRequestHeader } from '../../../src/protocol/client.js';
import { RequestCode } from '../../../src/protocol/codes.js';

describe('Java parse rules', () => {
  it('Integer.parseInt', () => {
    expect(parseJavaInt('42')).toBe(42);
    expect(parseJavaInt('-1')).toBe(-1);
    expect(parseJavaInt('+7')).toBe(7);
    expect(parseJavaInt('2147483647')).toBe(2147483647);
    expect(parseJavaInt('2147483648')).toBeUndefined();
    expect(parseJavaInt('-2147483649')).toBeUndefined();
    expect(parseJavaInt(' 5')).toBeUndefined();
    expect(parseJavaInt('5.0')).toBeUndefined();
    expect(parseJavaInt('')).toBeUndefined();
    expect(parseJavaInt('0x10')).toBeUndefined();
  });
  it('Long.parseLong', () => {
    expect(parseJavaLong('1700000000000')).toBe(1700000000000);
    expect(parseJavaLong('-9223372036854775808')).toBe(-9223372036854775808);
    expect(parseJavaLong('9223372036854775808')).toBeUndefined();
    expect(parseJavaLong('12L')).toBeUndefined();
  });
  it('Boolean.parseBoolean', () => {
    expect(parseJavaBoolean('true')).toBe(true);
    expect(parseJavaBoolean('TRUE')).toBe(true);
    expect(parseJavaBoolean('yes')).toBe(false);
    expect(parseJavaBoolean('1')).toBe(false);
    expect(parseJavaBoolean(undefined)).toBe(false);
  });
  it('Double.parseDouble / toString', () => {
    expect(parseJavaDouble('1.5')).toBe(1.5);
    expect(parseJavaDouble(' 2 ')).toBe(2);
    expect(parseJavaDouble('3d')).toBe(3);
    expect(parseJavaDouble('abc')).toBeUndefined();
    expect(javaDoubleString(1)).toBe('1.0');
    expect(javaDoubleString(0.25)).toBe('0.25');
    expect(javaDoubleString(1e7)).toBe('1.0E7');
    expect(javaDoubleString(12345678.5)).toBe('1.23456785E7');
    expect(javaDoubleString(0.0001)).toBe('1.0E-4');
    expect(javaDoubleString(-0)).toBe('-0.0');
  });
});

describe('header codec', () => {
  const H = defineHeader<{ s?: string; i?: number; l?: number; b?: boolean; p?: boolean; k?: string }>({
    s: { type: 'string', required: true },
    i: 'int',
    l: 'long',
    b: 'boolean',
    p: { type: 'boolean', primitive: false },
    k: { type: 'string', key: 'kk' },
  });

  it('omits undefined/null, always writes primitives, renames keys', () => {
    expect(H.toFields({ s: 'x', i: 3, l: undefined, k: 'v' })).toEqual({ s: 'x', i: '3', p: 'false', kk: 'v' });
  });

  it('leaves unparsable values at their default (lenient decode)', () => {
    const h = H.fromFields({ s: 'x', i: 'abc', l: '99', b: 'TRUE', kk: 'z' });
    expect(h).toEqual({ s: 'x', l: 99, b: true, p: false, k: 'z' });
  });

  it('strict decode throws like a FastCodesHeader', () => {
    expect(() => H.fromFields({ s: 'x', i: 'abc' }, { strict: true })).toThrow(HeaderParseError);
  });

  it('missing required fields are reported, decodeRequired throws Java\'s text', () => {
    expect(H.missingRequired(H.fromFields({}))).toEqual(['s']);
    expect(() => decodeRequired(H, { i: '1' })).toThrow('the custom field <s> is null');
    expect(H.fromFields(undefined)).toEqual({ p: false });
  });
});

describe('send headers', () => {
  const h = {
    producerGroup: 'PG',
    topic: 'TopicTest',
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: 4,
    queueId: 1,
    sysFlag: 0,
    bornTimestamp: 1700000000000,
    flag: 0,
    properties: 'UNIQ_KEY\u0001C0A8010A303950D1\u0002WAIT\u0001true\u0002',
    reconsumeTimes: 0,
    unitMode: false,
    batch: false,
    brokerName: 'broker-a',
  };

  it('V2 uses the one-letter keys of requests.md §3', () => {
    const ext = SendMessageRequestHeaderV2.toFields(h);
    expect(ext).toEqual({
      a: 'PG', b: 'TopicTest', c: 'TBW102', d: '4', e: '1', f: '0', g: '1700000000000', h: '0',
      i: h.properties, j: '0', k: 'false', m: 'false', n: 'broker-a',
    });
    expect(SEND_V2_KEYS.maxReconsumeTimes).toBe('l');
    expect(SendMessageRequestHeaderV2.fromFields(ext)).toEqual(h);
  });

  it('V1 uses named keys and bname for the broker name', () => {
    const ext = SendMessageRequestHeader.toFields(h);
    expect(ext.producerGroup).toBe('PG');
    expect(ext.bname).toBe('broker-a');
    expect(ext.n).toBeUndefined();
    expect(SendMessageRequestHeader.fromFields(ext)).toEqual(h);
  });

  it('picks the key set by request code', () => {
    expect(encodeSendHeader(RequestCode.SEND_MESSAGE_V2, h).a).toBe('PG');
    expect(encodeSendHeader(RequestCode.SEND_BATCH_MESSAGE, h).a).toBe('PG');
    expect(encodeSendHeader(RequestCode.SEND_MESSAGE, h).producerGroup).toBe('PG');
    expect(decodeSendHeader(RequestCode.SEND_MESSAGE_V2, { a: 'G', b: 'T', e: '3' })).toMatchObject({ producerGroup: 'G', topic: 'T', queueId: 3 });
  });

  it('V2 decode ignores base keys and throws on bad numbers', () => {
    expect(SendMessageRequestHeaderV2.fromFields({ a: 'G', ns: 'x', bname: 'b' })).toEqual({ producerGroup: 'G' });
    expect(() => SendMessageRequestHeaderV2.fromFields({ a: 'G', e: 'x' })).toThrow(HeaderParseError);
  });

  it('response header round trip', () => {
    const r = { msgId: 'C0A8010A00002A9F0000000000000000', queueId: 1, queueOffset: 0, transactionId: 'T1' };
    expect(SendMessageResponseHeader.fromFields(SendMessageResponseHeader.toFields(r))).toEqual(r);
  });

  it('batch body round trip and layout', () => {
    const entries = [
      { flag: 0, body: Buffer.from('hello'), properties: 'UNIQ_KEY\u0001A\u0002' },
      { flag: 7, body: Buffer.alloc(0), properties: '' },
    ];
    const buf = encodeBatchBody(entries);
    expect(buf.readInt32BE(0)).toBe(20 + 5 + 2 + 11);
    expect(buf.readInt32BE(4)).toBe(0);
    const back = decodeBatchBody(buf);
    expect(back.map((e) => [e.flag, e.body.toString(), e.properties])).toEqual([[0, 'hello', 'UNIQ_KEY\u0001A\u0002'], [7, '', '']]);
    expect(() => decodeBatchBody(buf.subarray(0, buf.length - 1))).toThrow();
  });
});

describe('other headers round trip', () => {
  it('pull request/response and sysFlag', () => {
    const flag = buildPullSysFlag({ commitOffset: true, suspend: true, subscription: true });
    expect(flag).toBe(PullSysFlag.COMMIT_OFFSET | PullSysFlag.SUSPEND | PullSysFlag.SUBSCRIPTION);
    expect(hasSuspendFlag(flag)).toBe(true);
    expect(clearCommitOffsetFlag(flag)).toBe(6);
    const h = {
      consumerGroup: 'CG', topic: 'T', queueId: 2, queueOffset: 100, maxMsgNums: 32, sysFlag: flag, commitOffset: 90,
      suspendTimeoutMillis: 15000, subscription: 'TagA || TagB', subVersion: 1700000000000, expressionType: 'TAG', maxMsgBytes: 262144,
    };
    const ext = PullMessageRequestHeader.toFields(h);
    expect(ext.queueOffset).toBe('100');
    expect(PullMessageRequestHeader.fromFields(ext)).toEqual(h);
    expect(() => PullMessageRequestHeader.fromFields({ ...ext, queueId: 'x' })).toThrow(HeaderParseError);
    const r = { suggestWhichBrokerId: 0, nextBeginOffset: 12, minOffset: 0, maxOffset: 12 };
    expect(PullMessageResponseHeader.fromFields(PullMessageResponseHeader.toFields(r))).toEqual(r);
  });

  it('offset headers', () => {
    const q = { consumerGroup: 'CG', topic: 'T', queueId: 0, setZeroIfNotFound: false };
    expect(QueryConsumerOffsetRequestHeader.fromFields(QueryConsumerOffsetRequestHeader.toFields(q))).toEqual(q);
    expect(GetMaxOffsetRequestHeader.toFields({ topic: 'T', queueId: 1 })).toEqual({ topic: 'T', queueId: '1', committed: 'true' });
    const s = SearchOffsetRequestHeader.fromFields({ topic: 'T', queueId: '0', timestamp: '5', boundaryType: 'upper' });
    expect(parseBoundaryType(s.boundaryType)).toBe('UPPER');
    expect(parseBoundaryType('whatever')).toBe('LOWER');
  });

  it('transaction headers and checkFields', () => {
    const e = { producerGroup: 'PG', tranStateTableOffset: 3, commitLogOffset: 1024, commitOrRollback: 8, fromTransactionCheck: true, msgId: 'M' };
    const back = EndTransactionRequestHeader.fromFields(EndTransactionRequestHeader.toFields(e));
    expect(back).toEqual(e);
    expect(() => EndTransactionRequestHeader.check(back)).not.toThrow();
    expect(() => EndTransactionRequestHeader.check({ ...back, commitOrRollback: 4 })).toThrow('commitOrRollback field wrong');
    const c = { tranStateTableOffset: 1, commitLogOffset: 2, msgId: 'm', transactionId: 't', offsetMsgId: 'o', brokerName: 'b' };
    const ce = CheckTransactionStateRequestHeader.toFields(c);
    expect(ce.bname).toBe('b');
    expect(CheckTransactionStateRequestHeader.fromFields(ce)).toEqual(c);
  });

  it('register broker header always carries compressed and bodyCrc32', () => {
    const ext = RegisterBrokerRequestHeader.toFields({ brokerName: 'b', brokerAddr: 'a:1', clusterName: 'c', haServerAddr: 'a:2', brokerId: 0 });
    expect(ext.compressed).toBe('false');
    expect(ext.bodyCrc32).toBe('0');
    expect(RegisterBrokerRequestHeader.fromFields({ ...ext, compressed: 'TRUE' }).compressed).toBe(true);
  });

  it('create topic checkFields rejects an unknown filter type', () => {
    const h = CreateTopicRequestHeader.fromFields({ topic: 'T', defaultTopic: 'TBW102', readQueueNums: '8', writeQueueNums: '8', perm: '6', topicFilterType: 'BAD', order: 'false' });
    expect(h.readQueueNums).toBe(8);
    expect(() => CreateTopicRequestHeader.check(h)).toThrow('TopicFilterType');
  });

  it('reset offset header primitives', () => {
    expect(ResetOffsetRequestHeader.toFields({ topic: 'T', group: 'G' })).toEqual({ topic: 'T', group: 'G', timestamp: '0', isForce: 'false', queueId: '-1' });
  });
});

describe('POP headers (5.x)', () => {
  it('extra info and offset info strings round trip', async () => {
    const { encodePopExtraInfo, decodePopExtraInfo, encodePopOffsetInfo, decodePopOffsetInfo, PopMessageRequestHeader, ChangeInvisibleTimeRequestHeader } = await import('../../../src/protocol/pop.js');
    const info = { startOffset: 10, popTime: 1700000000000, invisibleTime: 60000, reviveQid: 3, topicKind: 0 as const, brokerName: 'broker-a', queueId: 1, queueOffset: 12 };
    const s = encodePopExtraInfo(info);
    expect(s).toBe('10 1700000000000 60000 3 0 broker-a 1 12');
    expect(decodePopExtraInfo(s)).toEqual(info);
    expect(() => decodePopExtraInfo('1 2 3')).toThrow();
    const off = '0 1 10;2 3 4,5';
    expect(encodePopOffsetInfo(decodePopOffsetInfo(off))).toBe(off);
    expect(decodePopOffsetInfo('1 qo2%7 3')[0]).toEqual({ topicKind: 1, queue: 'qo2%7', value: '3' });
    const ph = { consumerGroup: 'CG', topic: 'T', queueId: -1, maxMsgNums: 32, invisibleTime: 60000, pollTime: 15000, bornTime: 5, initMode: 0, order: false };
    expect(PopMessageRequestHeader.fromFields(PopMessageRequestHeader.toFields(ph))).toEqual(ph);
    const ch = ChangeInvisibleTimeRequestHeader.toFields({ consumerGroup: 'CG', topic: 'T', queueId: 0, extraInfo: s, offset: 12, invisibleTime: 1000 });
    expect(ch.invisibleTime).toBe('1000');
  });
});
