import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BLANK_MAGIC, checkRecord, decodeMessages, decodeRecord, encodeRecord, patchRecord, MAGIC_V2,
} from '../../../src/common/record-codec.js';
import type { MessageExtBrokerInner } from '../../../src/common/message.js';
import { SysFlag } from '../../../src/common/sysflag.js';
import { createOffsetMsgId, decodeOffsetMsgId, UniqueIdGenerator } from '../../../src/common/msgid.js';
import { messageProperties2String, string2messageProperties } from '../../../src/common/properties.js';
import { continueJavaHash, javaStringHashCode, tagsString2tagsCode, parseTagExpression } from '../../../src/common/tags.js';
import { perm2String, isValidPerm } from '../../../src/common/perm.js';
import { getRetryTopic, isSystemTopic, validateTopic, groupOfRetryOrDLQ } from '../../../src/common/topics.js';

const fx = (n: string) => fs.readFileSync(path.join(__dirname, '../../../fixtures/captured', n));

function inner(over: Partial<MessageExtBrokerInner> = {}): MessageExtBrokerInner {
  return {
    topic: 'TopicTest', flag: 0, body: Buffer.from('Hello'), properties: { TAGS: 'TagA', WAIT: 'true' }, queueId: 1,
    sysFlag: 0, bornTimestamp: 1700000000000, bornHost: '192.168.1.10:52000', storeHost: '192.168.1.20:10911',
    reconsumeTimes: 0, preparedTransactionOffset: 0, ...over,
  };
}

describe('record codec', () => {
  it('encodes the worked example of storage.md §3 byte for byte', () => {
    const buf = encodeRecord(inner(), { queueOffset: 7, physicalOffset: 1024, storeTimestamp: 1700000000005 });
    const hex = `00 00 00 7d da a3 20 a7 77 d1 89 82 00 00 00 01
      00 00 00 00 00 00 00 00 00 00 00 07 00 00 00 00 00 00 04 00 00 00 00 00 00 00 01 8b cf e5 68 00
      c0 a8 01 0a 00 00 cb 20 00 00 01 8b cf e5 68 05 c0 a8 01 14 00 00 2a 9f 00 00 00 00 00 00 00 00
      00 00 00 00 00 00 00 05 48 65 6c 6c 6f 09 54 6f 70 69 63 54 65 73 74 00 14 54 41 47 53 01 54 61
      67 41 02 57 41 49 54 01 74 72 75 65 02`.replace(/\s+/g, '');
    expect(buf.toString('hex')).toBe(hex);
    const m = decodeRecord(buf)!;
    expect(m.msgId).toBe(createOffsetMsgId('192.168.1.20:10911', 1024));
    expect(m.properties).toEqual({ TAGS: 'TagA', WAIT: 'true' });
  });

  it('patchRecord sets queue offset, physical offset and store time', () => {
    const buf = encodeRecord(inner({ bornHost: '[::1]:5000' }));
    patchRecord(buf, 0, 42, 2 ** 40 + 3, 1700000001234);
    const m = decodeRecord(buf)!;
    expect([m.queueOffset, m.commitLogOffset, m.storeTimestamp]).toEqual([42, 2 ** 40 + 3, 1700000001234]);
    expect(m.bornHost).toBe('[::1]:5000');
  });

  it('every sysFlag and host variant round-trips', () => {
    const hosts = ['10.0.0.1:1', '[2001:db8::7]:10911', '[fe80::1:2:3:4]:65535', '127.0.0.1:0'];
    const flags = [0, SysFlag.MULTI_TAGS, SysFlag.TRANSACTION_PREPARED_TYPE, SysFlag.TRANSACTION_COMMIT_TYPE,
      SysFlag.TRANSACTION_ROLLBACK_TYPE, SysFlag.NEED_UNWRAP | SysFlag.INNER_BATCH, SysFlag.COMPRESSION_LZ4];
    for (const born of hosts) for (const store of hosts) for (const sysFlag of flags) {
      const buf = encodeRecord(inner({ bornHost: born, storeHost: store, sysFlag, reconsumeTimes: 3, preparedTransactionOffset: 99 }),
        { queueOffset: 5, physicalOffset: 77, storeTimestamp: 1 });
      const bornV6 = born.startsWith('[');
      const storeV6 = store.startsWith('[');
      expect(buf.length).toBe(125 + (bornV6 ? 12 : 0) + (storeV6 ? 12 : 0));
      const m = decodeRecord(buf, 0, { checkCRC: true })!;
      expect(m.bornHost).toBe(born);
      expect(m.storeHost).toBe(store);
      expect(m.sysFlag & ~0x30).toBe(sysFlag);
      expect(!!(m.sysFlag & SysFlag.BORNHOST_V6)).toBe(bornV6);
      expect(!!(m.sysFlag & SysFlag.STOREHOSTADDRESS_V6)).toBe(storeV6);
      expect(m.msgId.length).toBe(storeV6 ? 56 : 32);
      expect(decodeOffsetMsgId(m.msgId)).toEqual({ address: store, offset: 77 });
      expect([m.reconsumeTimes, m.preparedTransactionOffset, m.queueOffset]).toEqual([3, 99, 5]);
    }
  });

  it('writes magic v2 for long topics and decodes it', () => {
    const topic = 'T'.repeat(200);
    const buf = encodeRecord(inner({ topic }));
    expect(buf.readInt32BE(4)).toBe(MAGIC_V2);
    const m = decodeRecord(buf)!;
    expect(m.topic).toBe(topic);
    expect(m.version).toBe(2);
    expect(() => encodeRecord(inner({ topic }), { version: 1 })).toThrow();
  });

  it('rejects oversize properties', () => {
    expect(() => encodeRecord(inner({ properties: { K: 'x'.repeat(40000) } }))).toThrow(/PROPERTIES|exceeds/);
  });

  it('checkRecord: blank, bad magic, crc, size', () => {
    const blank = Buffer.alloc(8);
    blank.writeInt32BE(4000, 0);
    blank.writeInt32BE(BLANK_MAGIC, 4);
    expect(checkRecord(blank, 0, 8, true)).toEqual({ kind: 'blank', size: 4000 });
    const buf = encodeRecord(inner());
    const flipped = Buffer.from(buf);
    flipped[89] ^= 1; // body byte
    expect(checkRecord(flipped, 0, flipped.length, true)).toMatchObject({ kind: 'invalid', reason: 'crc' });
    expect(checkRecord(flipped, 0, flipped.length, false).kind).toBe('record');
    const badSize = Buffer.from(buf);
    badSize.writeInt32BE(buf.length - 1, 0);
    expect(checkRecord(badSize, 0, badSize.length, true)).toMatchObject({ kind: 'invalid', reason: 'size' });
    expect(checkRecord(buf, 0, buf.length - 3, true)).toMatchObject({ kind: 'invalid', reason: 'truncated' });
    const badMagic = Buffer.from(buf);
    badMagic.writeInt32BE(1234, 4);
    expect(checkRecord(badMagic, 0, badMagic.length, true)).toMatchObject({ kind: 'invalid', reason: 'magic' });
  });

  it('decodes back-to-back records and inflates zlib bodies', () => {
    const body = Buffer.from('compress me '.repeat(100));
    const a = encodeRecord(inner({ body: zlib.deflateSync(body), sysFlag: SysFlag.COMPRESSED | SysFlag.COMPRESSION_ZLIB }));
    const b = encodeRecord(inner({ body: Buffer.from('second'), properties: { KEYS: 'k1 k2' } }));
    const list = decodeMessages(Buffer.concat([a, b, Buffer.alloc(5)]));
    expect(list.map((m) => m.body.toString())).toEqual([body.toString(), 'second']);
    expect(list[0].sysFlag & SysFlag.COMPRESSED).toBe(0);
    expect(decodeMessages(Buffer.concat([a, b.subarray(0, 50)]))).toHaveLength(1);
  });
});

describe('captured fixtures (Apache broker)', () => {
  it('record-plain.bin', () => {
    const list = decodeMessages(fx('record-plain.bin'));
    expect(list).toHaveLength(1);
    const m = list[0];
    expect(m.storeSize).toBe(132);
    expect(m.msgId).toBe('0ADA91A6000029CC0000006500E59F3E');
    expect(m.topic).toBe('TopicTest');
    expect(m.properties.TAGS).toBe('TagA');
    expect(m.properties.KEYS).toBeUndefined();
    expect(m.body.toString()).toBe('{"room":"1","msg":"1"}');
    expect(m.storeHost).toBe('10.218.145.166:10700');
    expect(checkRecord(fx('record-plain.bin'), 0, 264, true).kind).toBe('record');
  });
  it('record-compressed.bin', () => {
    const list = decodeMessages(fx('record-compressed.bin'));
    expect(list).toHaveLength(1);
    expect(list[0].storeSize).toBe(125);
    expect(list[0].msgId).toBe('0ADA91A6000029CC000000661A586D98');
    expect(list[0].properties.TAGS).toBe('TagA');
    expect(list[0].body.toString()).toBe('Hello MetaQ !!!');
    // TOTALSIZE and CRC describe the inflated body (not Apache's rule): a store verifier flags it, a client decodes it.
    expect(checkRecord(fx('record-compressed.bin'), 0, 258, true).kind).toBe('invalid');
    expect(decodeRecord(fx('record-compressed.bin'), 0, { strict: true })).toBeNull();
  });
  it('records-three.bin', () => {
    const list = decodeMessages(fx('records-three.bin'));
    expect(list.map((m) => m.msgId)).toEqual([
      '0ADA91A6000029CC000000659560A2AA', '0ADA91A6000029CC000000659560D349', '0ADA91A6000029CC000000659560D578',
    ]);
    expect(list.reduce((s, m) => s + m.storeSize, 0)).toBe(375);
    expect(list[0].body.toString()).toBe('Hello MetaQ !!!');
  });
  it('offset msgId decodes', () => {
    expect(decodeOffsetMsgId('0ADA91A6000029CC0000006504009B6F')).toEqual({ address: '10.218.145.166:10700', offset: 433858845551 });
    expect(createOffsetMsgId('192.168.1.20:10911', 500)).toBe('C0A8011400002A9F00000000000001F4');
  });
});

describe('common helpers', () => {
  it('properties string', () => {
    expect(messageProperties2String({ A: '1', B: 'x' })).toBe('A\u00011\u0002B\u0001x\u0002');
    expect(string2messageProperties('A\u00011\u0002E\u0001\u0002\u0001v\u0002xy\u0002K\u0001a\u0001b\u0002')).toEqual({ A: '1', K: 'a\u0001b' });
    // a piece without a separator before one with it; no trailing separator
    expect(string2messageProperties('abc\u0002C\u00011\u0002Z\u0001last')).toEqual({ C: '1', Z: 'last' });
  });
  it('unique ids', () => {
    const g = new UniqueIdGenerator(Buffer.from([192, 168, 1, 10]), 0x3039, 0x5af97850);
    const now = new Date(2026, 0, 1, 0, 0, 1).getTime();
    const a = g.next(now);
    const b = g.next(now);
    expect(a).toBe('C0A8010A30395AF97850000003E80000');
    expect(b.slice(-4)).toBe('0001');
    expect(a.length).toBe(32);
  });
  it('tag hash = Java String.hashCode', () => {
    expect(javaStringHashCode('TagA')).toBe(2598919);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    // a running hash: the hash of "topic#key" from the hash of "topic#" (index keys), with 32-bit wrap-around
    expect(continueJavaHash(javaStringHashCode('TopicTest#'), '7F0000010000000000000000000ABCDE')).toBe(javaStringHashCode('TopicTest#7F0000010000000000000000000ABCDE'));
    expect(['TagA', 'TagA'].map(javaStringHashCode)).toEqual([2598919, 2598919]);
    expect(tagsString2tagsCode(undefined)).toBe(0);
    expect(parseTagExpression('A || B ||').tags).toEqual(new Set(['A', 'B']));
    expect(parseTagExpression('*').all).toBe(true);
  });
  it('perm and topics', () => {
    expect(perm2String(6)).toBe('RW-');
    expect(perm2String(7)).toBe('RWX');
    expect(isValidPerm(8)).toBe(false);
    expect(getRetryTopic('G')).toBe('%RETRY%G');
    expect(groupOfRetryOrDLQ('%DLQ%G')).toBe('G');
    expect(isSystemTopic('rmq_sys_x')).toBe(true);
    expect(isSystemTopic('TBW102')).toBe(true);
    expect(isSystemTopic('Foo')).toBe(false);
    expect(validateTopic('a b')).toMatch(/illegal/);
    expect(validateTopic('ok-topic_1')).toBeNull();
  });
});
