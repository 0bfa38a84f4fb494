import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../src/common/record-codec.js';
import { javaStringHashCode } from '../../../src/common/tags.js';
import { MessageStore, type MessageStoreConfig } from '../../../src/store/message-store.js';
import { readIndexHeader } from '../../../src/store/index/index-file.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

async function open(cfg: Partial<MessageStoreConfig> = {}): Promise<MessageStore> {
  const root = tmpStoreDir();
  dirs.push(root);
  const s = await MessageStore.open({ storePathRootDir: root, mappedFileSizeCommitLog: 8192, mappedFileSizeConsumeQueue: 20 * 10,
    maxHashSlotNum: 16, maxIndexNum: 32, ...cfg });
  stores.push(s);
  return s;
}

describe('consume queue', () => {
  it('writes 20-byte units {phy, size, tags hash} across CQ segments', async () => {
    const s = await open();
    const rs = [];
    for (let i = 0; i < 25; i++) rs.push(await s.putMessage(msg('TopicA', 3, `b${i}`, { TAGS: `tag${i % 3}` })));
    await s.flush(); // units reach their files within a few ms of the put; flush writes them now
    const dir = path.join(s.cfg.storePathRootDir, 'consumequeue', 'TopicA', '3');
    expect(fs.readdirSync(dir).sort()).toEqual(['00000000000000000000', '00000000000000000200', '00000000000000000400']);
    const seg1 = fs.readFileSync(path.join(dir, '00000000000000000200'));
    expect(seg1.length).toBe(200);
    const u = rs[12].appendResult!;
    expect(Number(seg1.readBigInt64BE(40))).toBe(u.wroteOffset);
    expect(seg1.readInt32BE(48)).toBe(u.wroteBytes);
    expect(Number(seg1.readBigInt64BE(52))).toBe(javaStringHashCode('tag0'));
    expect(s.getMinOffsetInQueue('TopicA', 3)).toBe(0);
    expect(s.getMaxOffsetInQueue('TopicA', 3)).toBe(25);
    expect(await s.getCommitLogOffsetInQueue('TopicA', 3, 12)).toBe(u.wroteOffset);
  });

  it('finds offsets by store time (binary search, LOWER/UPPER)', async () => {
    let now = 1_700_000_000_000;
    const s = await open({ now: () => now });
    for (let i = 0; i < 20; i++) {
      now = 1_700_000_000_000 + Math.floor(i / 2) * 1000; // two messages per second
      await s.putMessage(msg('T', 0, `m${i}`));
    }
    const t = (sec: number) => 1_700_000_000_000 + sec * 1000;
    expect(await s.getOffsetInQueueByTime('T', 0, t(3))).toBe(6);
    expect(await s.getOffsetInQueueByTime('T', 0, t(3), 'UPPER')).toBe(7);
    expect(await s.getOffsetInQueueByTime('T', 0, t(3) + 500)).toBe(8);
    expect(await s.getOffsetInQueueByTime('T', 0, t(3) + 500, 'UPPER')).toBe(7);
    expect(await s.getOffsetInQueueByTime('T', 0, t(-5))).toBe(0);
    expect(await s.getOffsetInQueueByTime('T', 0, t(-5), 'UPPER')).toBe(0);
    expect(await s.getOffsetInQueueByTime('T', 0, t(100))).toBe(20);
    expect(await s.getOffsetInQueueByTime('T', 0, t(100), 'UPPER')).toBe(19);
    expect(await s.getOffsetInQueueByTime('nope', 0, t(1))).toBe(0);
    expect(await s.getEarliestMessageTime('T', 0)).toBe(t(0));
    expect(await s.getMessageStoreTimeStamp('T', 0, 19)).toBe(t(9));
  });
});

describe('index', () => {
  it('indexes UNIQ_KEY and each KEYS token; query by key and time range', async () => {
    let now = 1_700_000_000_000;
    const s = await open({ now: () => now });
    const a = await s.putMessage(msg('T', 0, 'a', { KEYS: 'order-1 user-7', UNIQ_KEY: 'U1' }));
    now += 10_000;
    const b = await s.putMessage(msg('T', 1, 'b', { KEYS: 'order-1' }));
    await s.putMessage(msg('Other', 0, 'c', { KEYS: 'order-1' }));
    const q = await s.queryMessage('T', 'order-1', 32, 0, now + 1000);
    expect(q.phyOffsets.sort((x, y) => x - y)).toEqual([a.appendResult!.wroteOffset, b.appendResult!.wroteOffset]);
    expect(decodeRecord(q.messages[0])!.topic).toBe('T');
    expect((await s.queryMessage('T', 'user-7', 32, 0, now)).phyOffsets).toEqual([a.appendResult!.wroteOffset]);
    expect((await s.queryMessage('T', 'U1', 32, 0, now)).phyOffsets).toEqual([a.appendResult!.wroteOffset]);
    // time range excluding the first message
    expect((await s.queryMessage('T', 'order-1', 32, now - 1000, now + 1000)).phyOffsets).toEqual([b.appendResult!.wroteOffset]);
    expect((await s.queryMessage('T', 'order-1', 1, 0, now + 1000)).phyOffsets).toHaveLength(1);
    expect((await s.queryMessage('T', 'missing', 32, 0, now)).phyOffsets).toEqual([]);
  });

  it('rolls to a new index file when full; header as Apache', async () => {
    let now = 1_700_000_000_000;
    const s = await open({ now: () => now++ });
    for (let i = 0; i < 40; i++) await s.putMessage(msg('T', 0, `m${i}`, { KEYS: `k${i}` }));
    await s.flush();
    const dir = path.join(s.cfg.storePathRootDir, 'index');
    const files = fs.readdirSync(dir).sort();
    expect(files.length).toBe(2);
    expect(files[0]).toMatch(/^\d{17}$/);
    const h = readIndexHeader(fs.readFileSync(path.join(dir, files[0])).subarray(0, 40));
    expect(h.indexCount).toBe(32);
    expect(fs.statSync(path.join(dir, files[0])).size).toBe(40 + 16 * 4 + 32 * 20);
    for (const k of ['k0', 'k30', 'k39']) expect((await s.queryMessage('T', k, 4, 0, now)).phyOffsets).toHaveLength(1);
  });
});

describe('index file crash repair', () => {
  it('rebuildSlots reproduces the slot table and slot count from the entries', async () => {
    const { IndexFile } = await import('../../../src/store/index/index-file.js');
    const dir = tmpStoreDir('idx');
    dirs.push(dir);
    const f = path.join(dir, 'idx');
    const a = new IndexFile(f, 64, 256, true);
    for (let i = 0; i < 100; i++) a.putKey((i * 7919) % 100000, i * 100, 1_700_000_000_000 + i);
    a.flush();
    a.close();
    const good = fs.readFileSync(f).subarray(0, 40 + 256);
    // Simulate a crash after slots were written for later entries than the header knows.
    const fd = fs.openSync(f, 'r+');
    const junk = Buffer.alloc(256, 0x7f);
    fs.writeSync(fd, junk, 0, junk.length, 40);
    fs.closeSync(fd);
    const b = new IndexFile(f, 64, 256, false);
    b.rebuildSlots();
    const out: number[] = [];
    b.selectPhyOffsets(out, (42 * 7919) % 100000, 8, 0, 1_800_000_000_000);
    b.close();
    expect(fs.readFileSync(f).subarray(0, 40 + 256).equals(good)).toBe(true);
    expect(out).toContain(4200);
  });

  it('flushAsync writes every dirty slot page and the header off the main thread; a reader of the file finds every key', async () => {
    const { IndexFile, INDEX_HEADER_SIZE } = await import('../../../src/store/index/index-file.js');
    const dir = tmpStoreDir('idx');
    dirs.push(dir);
    const f = path.join(dir, 'idx');
    const slots = 50_000; // 49 slot pages
    const a = new IndexFile(f, slots, 4096, true);
    const hash = (i: number) => (i * 2654435761) % 2147483647;
    for (let i = 0; i < 1500; i++) a.putKey(hash(i), 1000 + i, 1_700_000_000_000 + i);
    await a.flushAsync();
    // more keys after the first flush: only their pages are written by the second one
    for (let i = 1500; i < 2000; i++) a.putKey(hash(i), 1000 + i, 1_700_000_000_000 + i);
    expect(a.isDirty()).toBe(true);
    await a.flushAsync();
    expect(a.isDirty()).toBe(false);
    // the file on disk alone (a second reader, no shared memory) answers every key
    const b = new IndexFile(f, slots, 4096, false);
    expect(b.header.indexCount).toBe(2001);
    for (let i = 0; i < 2000; i += 37) {
      const out: number[] = [];
      b.selectPhyOffsets(out, hash(i), 4, 0, 1_800_000_000_000);
      expect(out).toContain(1000 + i);
    }
    // the slot table on disk equals the writer's table in memory
    const onDisk = fs.readFileSync(f).subarray(INDEX_HEADER_SIZE, INDEX_HEADER_SIZE + slots * 4);
    expect(onDisk.equals((a as unknown as { slots: Buffer }).slots)).toBe(true);
    a.close();
    b.close();
  });
  it('flushAsync(false) writes the entries and the header but not the slot table; after a crash the slots are rebuilt and every key is found', async () => {
    const { IndexFile, INDEX_HEADER_SIZE } = await import('../../../src/store/index/index-file.js');
    const dir = tmpStoreDir('idx');
    dirs.push(dir);
    const f = path.join(dir, 'idx');
    const slots = 50_000;
    const a = new IndexFile(f, slots, 4096, true);
    const hash = (i: number) => (i * 2654435761) % 2147483647;
    for (let i = 0; i < 1000; i++) a.putKey(hash(i), 1000 + i, 1_700_000_000_000 + i);
    await a.flushAsync(false);
    expect(a.isDirty()).toBe(true); // the slot pages still wait for a full flush
    const onDisk = fs.readFileSync(f);
    expect(onDisk.subarray(INDEX_HEADER_SIZE, INDEX_HEADER_SIZE + slots * 4).equals(Buffer.alloc(slots * 4))).toBe(true);
    expect(readIndexHeader(onDisk.subarray(0, INDEX_HEADER_SIZE)).indexCount).toBe(1001);
    a.close(); // "crash": the in-memory table is gone
    const b = new IndexFile(f, slots, 4096, false);
    b.rebuildSlots();
    for (let i = 0; i < 1000; i += 13) {
      const out: number[] = [];
      b.selectPhyOffsets(out, hash(i), 4, 0, 1_800_000_000_000);
      expect(out).toContain(1000 + i);
    }
    b.close();
  });
});
