import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessages, decodeRecord } from '../../../src/common/record-codec.js';
import { dumpStore } from '../../../src/store/dump.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { rmDir, tmpStoreDir } from './helpers.js';

const FIXTURE = path.join(__dirname, '../../../fixtures/store/good');
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmDir(d); });

describe('fixtures/store/good (a small store in the on-disk format, 8 KiB segments)', () => {
  it('verifies clean and dumps', () => {
    const r = verifyStore(FIXTURE);
    expect(r.problems).toEqual([]);
    expect(r.commitlog.records).toBe(60);
    expect(r.index.files).toBe(2);
    const [first] = [...dumpStore(FIXTURE, { count: 1 })];
    expect(first).toMatchObject({ phyOffset: 0, topic: 'FixB', queueId: 0, queueOffset: 0, tags: 'tag0', keys: 'key-0 order-0',
      bornHost: '[2001:db8::1]:40000', storeHost: '10.0.0.9:10911', storeTimestamp: 1700000001000, bodyPreview: 'fixture message 0' });
    expect(first.msgId).toBe('0A00000900002A9F0000000000000000');
  });

  it('opens with MessageStore: queues, index and appends continue', async () => {
    const dir = tmpStoreDir('fixture');
    dirs.push(dir);
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const s = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 8192, mappedFileSizeConsumeQueue: 640,
      maxHashSlotNum: 32, maxIndexNum: 128 });
    try {
      expect(s.recovery.abnormal).toBe(false);
      expect(s.getMaxOffsetInQueue('FixA', 1)).toBe(20);
      const g = await s.getMessage('G', 'FixA', 1, 0, 32);
      const bodies = decodeMessages(Buffer.concat(g.messages)).map((m) => m.body.toString());
      expect(bodies[0]).toBe('fixture message 1');
      expect(bodies).toHaveLength(20);
      const q = await s.queryMessage('FixA', 'order-2', 64, 0, 1800000000000);
      expect(q.messages.map((b) => decodeRecord(b)!.properties.KEYS.split(' ')[0]).sort()).toEqual(
        ['key-2', 'key-22', 'key-32', 'key-37', 'key-47', 'key-52', 'key-17', 'key-7'].sort());
      const r = await s.putMessage({ topic: 'FixA', queueId: 1, flag: 0, body: Buffer.from('new'), properties: {}, sysFlag: 0,
        bornTimestamp: 1, bornHost: '10.0.0.5:1', storeHost: '10.0.0.9:10911', reconsumeTimes: 0, preparedTransactionOffset: 0 });
      expect(r.appendResult!.queueOffset).toBe(20);
      expect(r.appendResult!.wroteOffset).toBe(11933);
    } finally {
      await s.shutdown();
    }
    expect(verifyStore(dir).problems).toEqual([]);
  });
});
