import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessages, decodeRecord } from '../../../src/common/record-codec.js';
import { SysFlag } from '../../../src/common/sysflag.js';
import { javaStringHashCode } from '../../../src/common/tags.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

async function open(cfg: Partial<Parameters<typeof MessageStore.open>[0]> = {}, dir?: string): Promise<MessageStore> {
  const root = dir ?? tmpStoreDir();
  if (!dir) dirs.push(root);
  const s = await MessageStore.open({ storePathRootDir: root, mappedFileSizeCommitLog: 4096, mappedFileSizeConsumeQueue: 20 * 50,
    maxHashSlotNum: 64, maxIndexNum: 256, ...cfg });
  stores.push(s);
  return s;
}

describe('MessageStore put/get', () => {
  it('round-trips messages with offsets, msgIds and queue offsets', async () => {
    const s = await open();
    const r1 = await s.putMessage(msg('T', 0, 'hello', { TAGS: 'A', KEYS: 'k1 k2' }));
    const r2 = await s.putMessage(msg('T', 0, 'world', { TAGS: 'B' }));
    const r3 = await s.putMessage(msg('T', 1, 'other'));
    expect(r1.status).toBe('PUT_OK');
    expect(r1.appendResult!.wroteOffset).toBe(0);
    expect(r2.appendResult!.wroteOffset).toBe(r1.appendResult!.wroteBytes);
    expect([r1.appendResult!.queueOffset, r2.appendResult!.queueOffset, r3.appendResult!.queueOffset]).toEqual([0, 1, 0]);
    expect(s.getMaxOffsetInQueue('T', 0)).toBe(2);
    const g = await s.getMessage('G', 'T', 0, 0, 32);
    expect(g.status).toBe('FOUND');
    expect(g.nextBeginOffset).toBe(2);
    const list = decodeMessages(Buffer.concat(g.messages));
    expect(list.map((m) => m.body.toString())).toEqual(['hello', 'world']);
    expect(list[0].msgId).toBe(r1.appendResult!.msgId);
    expect(list[1].queueOffset).toBe(1);
    expect(list[1].commitLogOffset).toBe(r2.appendResult!.wroteOffset);
    expect(list[0].storeTimestamp).toBe(r1.appendResult!.storeTimestamp);
    const filtered = await s.getMessage('G', 'T', 0, 0, 32, (code) => Number(code) === javaStringHashCode('B'));
    expect(filtered.messages.length).toBe(1);
    expect(decodeRecord(filtered.messages[0])!.body.toString()).toBe('world');
    const none = await s.getMessage('G', 'T', 0, 0, 32, () => false);
    expect(none.status).toBe('NO_MATCHED_MESSAGE');
    expect(none.nextBeginOffset).toBe(2);
  });

  it('answers the offset statuses', async () => {
    const s = await open();
    expect((await s.getMessage('G', 'X', 0, 0, 1)).status).toBe('NO_MATCHED_LOGIC_QUEUE');
    await s.putMessage(msg('T', 0, 'a'));
    expect((await s.getMessage('G', 'T', 0, 1, 1)).status).toBe('OFFSET_OVERFLOW_ONE');
    const bad = await s.getMessage('G', 'T', 0, 9, 1);
    expect(bad.status).toBe('OFFSET_OVERFLOW_BADLY');
    expect(bad.nextBeginOffset).toBe(1);
  });

  it('rolls segments with a blank record at the end', async () => {
    const s = await open();
    const body = 'x'.repeat(300);
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await s.putMessage(msg('T', 0, body)));
    const size = results[0].appendResult!.wroteBytes;
    const perSeg = Math.floor((4096 - 8) / size);
    expect(results[perSeg].appendResult!.wroteOffset).toBe(4096);
    const seg0 = fs.readFileSync(path.join(s.cfg.storePathCommitLog, '00000000000000000000'));
    expect(seg0.readInt32BE(perSeg * size)).toBe(4096 - perSeg * size);
    expect(seg0.readInt32BE(perSeg * size + 4)).toBe(-875286124);
    expect(seg0.subarray(perSeg * size + 8).every((b) => b === 0)).toBe(true);
    expect(fs.existsSync(path.join(s.cfg.storePathCommitLog, '00000000000000004096'))).toBe(true);
    let off = 0;
    let n = 0;
    for (;;) {
      const g = await s.getMessage('G', 'T', 0, off, 32);
      if (g.status !== 'FOUND') break;
      n += g.messageCount;
      off = g.nextBeginOffset;
    }
    expect(n).toBe(40);
  });

  it('batch put: one contiguous run with consecutive queue offsets', async () => {
    const s = await open();
    await s.putMessage(msg('T', 0, 'first'));
    const r = await s.putMessages([msg('T', 0, 'a'), msg('T', 0, 'b'), msg('T', 0, 'c')]);
    expect(r.status).toBe('PUT_OK');
    expect(r.appendResult!.msgNum).toBe(3);
    expect(r.appendResult!.queueOffset).toBe(1);
    expect(r.appendResult!.msgId.split(',')).toHaveLength(3);
    const g = await s.getMessage('G', 'T', 0, 1, 32);
    expect(decodeMessages(Buffer.concat(g.messages)).map((m) => [m.body.toString(), m.queueOffset])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('concurrent puts share rounds and keep per-queue order', async () => {
    const s = await open({ mappedFileSizeCommitLog: 64 * 1024 });
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) => s.putMessage(msg('T', i % 2, `m${i}`))));
    expect(rs.every((r) => r.status === 'PUT_OK')).toBe(true);
    const q0 = rs.filter((_, i) => i % 2 === 0).map((r) => r.appendResult!.queueOffset);
    expect(q0).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('rejects illegal messages with Apache statuses', async () => {
    const s = await open({ maxMessageSize: 100 });
    expect((await s.putMessage(msg('T', 0, 'y'.repeat(101)))).status).toBe('MESSAGE_ILLEGAL');
    expect((await s.putMessage(msg('T', 0, 'ok', { BIG: 'p'.repeat(33000) }))).status).toBe('PROPERTIES_SIZE_EXCEEDED');
    expect((await s.putMessage(msg('T', 0, 'ok', {}, { bornHost: 'nonsense' }))).status).toBe('MESSAGE_ILLEGAL');
    for (const topic of ['', '..', 'a/b', 'x\\y']) {
      expect((await s.putMessage(msg(topic, 0, 'x'))).status).toBe('MESSAGE_ILLEGAL');
    }
    expect((await s.putMessage(msg('T', -1, 'x'))).status).toBe('MESSAGE_ILLEGAL');
    expect((await s.putMessage(msg('T', 1.5, 'x'))).status).toBe('MESSAGE_ILLEGAL');
    await s.putMessage(msg('T', 0, 'fine'));
    expect((await s.getMessage('G', 'T', 0, -3, 1)).status).toBe('OFFSET_TOO_SMALL');
    expect((await s.getMessage('G', 'T', 0, Number.NaN, 1)).status).toBe('OFFSET_TOO_SMALL');
    const slave = await open({ brokerRole: 'SLAVE' });
    expect((await slave.putMessage(msg('T', 0, 'x'))).status).toBe('SERVICE_NOT_AVAILABLE');
  });

  it('prepared and rollback records get no queue offset or unit', async () => {
    const s = await open();
    const p = await s.putMessage(msg('T', 0, 'half', {}, { sysFlag: SysFlag.TRANSACTION_PREPARED_TYPE }));
    expect(p.appendResult!.queueOffset).toBe(0);
    expect(s.getMaxOffsetInQueue('T', 0)).toBe(0);
    const c = await s.putMessage(msg('T', 0, 'commit', {}, { sysFlag: SysFlag.TRANSACTION_COMMIT_TYPE }));
    expect(c.appendResult!.queueOffset).toBe(0);
    expect(s.getMaxOffsetInQueue('T', 0)).toBe(1);
    const m = await s.lookMessageByOffset(p.appendResult!.wroteOffset);
    expect(m!.body.toString()).toBe('half');
  });
});

describe('MessageStore deleteTopics', () => {
  it('a topic deleted before its batched queue units are written stays deleted, also after a restart', async () => {
    const root = tmpStoreDir();
    dirs.push(root);
    const s = await open({}, root);
    await s.putMessage(msg('Gone', 0, 'a'));
    await s.putMessage(msg('Gone', 1, 'b'));
    await s.putMessage(msg('Kept', 0, 'c'));
    // At once: the units are still queued for the store's commit timer.
    await s.deleteTopics(new Set(['Gone']));
    const cqDir = path.join(root, 'consumequeue', 'Gone');
    expect(fs.existsSync(cqDir)).toBe(false);
    await new Promise((r) => setTimeout(r, 100)); // several commit intervals
    expect(fs.existsSync(cqDir)).toBe(false);
    expect(s.getQueueIds('Gone')).toEqual([]);
    expect(s.getMaxOffsetInQueue('Kept', 0)).toBe(1);

    await s.shutdown();
    stores.splice(stores.indexOf(s), 1);
    const again = await open({}, root);
    expect(fs.existsSync(cqDir)).toBe(false);
    expect(again.getQueueIds('Gone')).toEqual([]);
    expect((await again.getMessage('G', 'Kept', 0, 0, 8)).messages.length).toBe(1);
  });
});

describe('MessageStore clean restart', () => {
  it('re-dispatches the records past the newest consume-queue unit', async () => {
    const root = tmpStoreDir();
    dirs.push(root);
    const s = await open({}, root);
    for (const b of ['a', 'b', 'c']) await s.putMessage(msg('T', 0, b));
    await s.putMessage(msg('U', 0, 'u'));
    await s.shutdown();
    stores.splice(stores.indexOf(s), 1);
    // The newest units are lost (as if their writes never reached the disk): T's third and U's only one. The
    // newest unit left is T's second, so the records after it (T's third, U's) are dispatched again.
    const zeroUnit = (topic: string, unit: number) => {
      const fd = fs.openSync(path.join(root, 'consumequeue', topic, '0', '00000000000000000000'), 'r+');
      fs.writeSync(fd, Buffer.alloc(20), 0, 20, unit * 20);
      fs.closeSync(fd);
    };
    zeroUnit('T', 2);
    zeroUnit('U', 0);
    const again = await open({}, root);
    expect(again.getMaxOffsetInQueue('T', 0)).toBe(3);
    expect(again.getMaxOffsetInQueue('U', 0)).toBe(1);
    const g = await again.getMessage('G', 'T', 0, 0, 8);
    expect(decodeMessages(Buffer.concat(g.messages)).map((m) => m.body.toString())).toEqual(['a', 'b', 'c']);
  });
});
