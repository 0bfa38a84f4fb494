import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { MessageStore, type MessageStoreConfig } from '../../../src/store/message-store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { dumpStore } from '../../../src/store/dump.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

const base: Partial<MessageStoreConfig> = { mappedFileSizeCommitLog: 4096, mappedFileSizeConsumeQueue: 20 * 16, maxHashSlotNum: 16, maxIndexNum: 64 };

async function open(root: string, cfg: Partial<MessageStoreConfig> = {}): Promise<MessageStore> {
  const s = await MessageStore.open({ storePathRootDir: root, ...base, ...cfg });
  stores.push(s);
  return s;
}

function newDir(): string {
  const d = tmpStoreDir();
  dirs.push(d);
  return d;
}

async function fill(s: MessageStore, n: number, topic = 'T'): Promise<number[]> {
  const offs: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await s.putMessage(msg(topic, i % 2, `body-${i}-${'z'.repeat(i % 50)}`, { TAGS: `t${i % 3}`, KEYS: `key${i}`, UNIQ_KEY: `U${i}` }));
    offs.push(r.appendResult!.wroteOffset);
  }
  return offs;
}

async function allBodies(s: MessageStore, topic = 'T'): Promise<string[]> {
  const out: string[] = [];
  for (const q of [0, 1]) {
    let off = 0;
    for (;;) {
      const g = await s.getMessage('G', topic, q, off, 32);
      if (g.status !== 'FOUND') break;
      out.push(...decodeMessages(Buffer.concat(g.messages)).map((m) => m.body.toString()));
      off = g.nextBeginOffset;
    }
  }
  return out.sort();
}

/** A crash image: the files of a running store (abort file included), as a SIGKILL leaves them. */
function crashCopy(src: string): string {
  const dst = newDir();
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

describe('recovery', () => {
  it('normal shutdown and reopen keeps everything and continues offsets', async () => {
    const dir = newDir();
    const s = await open(dir);
    await fill(s, 60);
    const before = await allBodies(s);
    await s.shutdown();
    stores.pop();
    expect(fs.existsSync(path.join(dir, 'abort'))).toBe(false);
    expect(verifyStore(dir).ok).toBe(true);
    const s2 = await open(dir);
    expect(s2.recovery.abnormal).toBe(false);
    expect(await allBodies(s2)).toEqual(before);
    const r = await s2.putMessage(msg('T', 0, 'after'));
    expect(r.appendResult!.queueOffset).toBe(30);
    expect((await s2.queryMessage('T', 'key59', 4, 0, Date.now() + 1000)).phyOffsets).toHaveLength(1);
  });

  it('abnormal recovery (abort file) re-dispatches queues and index lost with the crash', async () => {
    const dir = newDir();
    const s = await open(dir);
    await fill(s, 80);
    const img = crashCopy(dir);
    // Lose consume queues and index entirely: recovery must rebuild them from the commitlog.
    fs.rmSync(path.join(img, 'consumequeue'), { recursive: true, force: true });
    fs.rmSync(path.join(img, 'index'), { recursive: true, force: true });
    fs.rmSync(path.join(img, 'checkpoint'));
    const s2 = await open(img);
    expect(s2.recovery.abnormal).toBe(true);
    expect(await allBodies(s2)).toEqual(await allBodies(s));
    expect((await s2.queryMessage('T', 'U7', 4, 0, Date.now() + 1000)).phyOffsets).toHaveLength(1);
    await s2.shutdown();
    stores.pop();
    const v = verifyStore(img);
    expect(v.problems).toEqual([]);
  });

  it('crash after periodic flushes that skipped the slot table: the index is rebuilt from its entries and every key is found', async () => {
    const dir = newDir();
    const s = await open(dir, { maxHashSlotNum: 4096, maxIndexNum: 4096, flushIntervalConsumeQueue: 20 });
    await fill(s, 50);
    await new Promise((r) => setTimeout(r, 150)); // a few periodic flushes (entries and header only)
    const img = crashCopy(dir);
    const idxFile = path.join(img, 'index', fs.readdirSync(path.join(img, 'index'))[0]!);
    const slotTable = fs.readFileSync(idxFile).subarray(40, 40 + 4096 * 4);
    expect(slotTable.equals(Buffer.alloc(4096 * 4))).toBe(true); // no slot written yet
    const s2 = await open(img, { maxHashSlotNum: 4096, maxIndexNum: 4096 });
    expect(s2.recovery.abnormal).toBe(true);
    for (const k of ['key0', 'key17', 'key49', 'U3', 'U48']) {
      expect((await s2.queryMessage('T', k, 4, 0, Date.now() + 1000)).phyOffsets).toHaveLength(1);
    }
  });

  it('crash while creating an index file (empty, or cut short): the file is dropped and its keys re-indexed', async () => {
    const dir = newDir();
    const s = await open(dir);
    await fill(s, 40);
    for (const cut of [0, 17, 4096]) {
      const img = crashCopy(dir);
      // the newest index file as a crash right after open('w+') leaves it (0 bytes) or cut somewhere
      const idxDir = path.join(img, 'index');
      const names = fs.readdirSync(idxDir).sort();
      fs.writeFileSync(path.join(idxDir, String(BigInt(names[names.length - 1]!) + 1n)), Buffer.alloc(cut));
      const s2 = await open(img);
      expect(s2.recovery.abnormal).toBe(true);
      for (const k of ['key0', 'key21', 'key39', 'U5']) {
        expect((await s2.queryMessage('T', k, 4, 0, Date.now() + 1000)).phyOffsets, `cut ${cut}: ${k}`).toHaveLength(1);
      }
      const r = await s2.putMessage(msg('T', 0, 'after', { KEYS: 'after-key' }));
      expect(r.status).toBe('PUT_OK');
      expect((await s2.queryMessage('T', 'after-key', 4, 0, Date.now() + 1000)).phyOffsets).toEqual([r.appendResult!.wroteOffset]);
    }
  });

  it('torn write: a record cut mid-way with a garbage tail is truncated; verify is clean after', async () => {
    const dir = newDir();
    const s = await open(dir);
    const offs = await fill(s, 30);
    const max = s.getMaxPhyOffset();
    const img = crashCopy(dir);
    const last = offs[offs.length - 1];
    const segStart = last - (last % 4096);
    const file = path.join(img, 'commitlog', String(segStart).padStart(20, '0'));
    const fd = fs.openSync(file, 'r+');
    const cut = last - segStart + 40;
    const garbage = Buffer.alloc(300);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 97 + 13) & 0xff;
    fs.writeSync(fd, garbage, 0, Math.min(garbage.length, 4096 - cut), cut);
    fs.closeSync(fd);
    expect(verifyStore(img).ok).toBe(false);
    const s2 = await open(img);
    expect(s2.recovery.endOffset).toBe(last);
    expect(s2.getMaxPhyOffset()).toBe(last);
    expect(s2.recovery.endOffset).toBeLessThan(max);
    const bodies = await allBodies(s2);
    expect(bodies).toHaveLength(29);
    expect(bodies.some((b) => b.startsWith('body-29-'))).toBe(false);
    expect(s2.getMaxOffsetInQueue('T', 1)).toBe(14);
    const again = await s2.putMessage(msg('T', 1, 'again'));
    expect(again.appendResult!.queueOffset).toBe(14);
    expect(again.appendResult!.wroteOffset).toBe(last);
    await s2.shutdown();
    stores.pop();
    expect(verifyStore(img).problems).toEqual([]);
  });
});

describe('store verify finds each defect', () => {
  async function cleanStore(): Promise<{ dir: string; offs: number[] }> {
    const dir = newDir();
    const s = await open(dir);
    const offs = await fill(s, 40);
    await s.shutdown();
    stores.pop();
    expect(verifyStore(dir).problems).toEqual([]);
    return { dir, offs };
  }
  const cqFile = (dir: string, q: number) => path.join(dir, 'consumequeue', 'T', String(q), '00000000000000000000');
  const patch = (file: string, pos: number, bytes: Buffer) => {
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, bytes, 0, bytes.length, pos);
    fs.closeSync(fd);
  };
  const long = (v: number) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(v)); return b; };
  const int = (v: number) => { const b = Buffer.alloc(4); b.writeInt32BE(v); return b; };

  it('a flipped body byte (CRC)', async () => {
    const { dir, offs } = await cleanStore();
    const file = path.join(dir, 'commitlog', '00000000000000000000');
    const buf = fs.readFileSync(file);
    patch(file, offs[3] + 90, Buffer.from([buf[offs[3] + 90] ^ 0x20]));
    const v = verifyStore(dir);
    expect(v.problems.map((p) => [p.kind, p.phyOffset])).toEqual([['crc', offs[3]]]);
    expect(v.problems[0].file).toBe(file);
  });

  it('a truncated segment', async () => {
    const { dir } = await cleanStore();
    fs.truncateSync(path.join(dir, 'commitlog', '00000000000000000000'), 3000);
    const v = verifyStore(dir);
    expect(v.problems.some((p) => p.kind === 'truncated-segment')).toBe(true);
  });

  it('a consume-queue unit pointing past the commitlog', async () => {
    const { dir } = await cleanStore();
    patch(cqFile(dir, 0), 20 * 2, long(10_000_000));
    const v = verifyStore(dir);
    expect(v.problems.map((p) => p.kind)).toEqual(['cq-past-commitlog']);
  });

  it('a wrong unit size', async () => {
    const { dir } = await cleanStore();
    patch(cqFile(dir, 1), 20 * 3 + 8, int(77));
    expect(verifyStore(dir).problems.map((p) => p.kind)).toEqual(['cq-wrong-size']);
  });

  it('a wrong tag hash', async () => {
    const { dir } = await cleanStore();
    patch(cqFile(dir, 0), 20 * 4 + 12, long(12345));
    expect(verifyStore(dir).problems.map((p) => p.kind)).toEqual(['cq-wrong-tags-hash']);
  });

  it('a broken index entry', async () => {
    const { dir, offs } = await cleanStore();
    const idxDir = path.join(dir, 'index');
    const file = path.join(idxDir, fs.readdirSync(idxDir).sort()[0]);
    const entries = 40 + 16 * 4;
    patch(file, entries + 5 * 20 + 4, long(offs[7] + 3)); // entry 5 now points inside a record
    const v = verifyStore(dir);
    expect(v.problems.map((p) => p.kind)).toEqual(['index-entry']);
  });

  it('a checkpoint claiming a flush after the last record', async () => {
    const { dir } = await cleanStore();
    patch(path.join(dir, 'checkpoint'), 0, long(Date.now() + 86_400_000));
    expect(verifyStore(dir).problems.map((p) => p.kind)).toEqual(['checkpoint']);
  });

  it('cannot read: missing directory', () => {
    expect(() => verifyStore('/nonexistent/store/dir')).toThrow(/not a directory/);
  });

  it('dump lists records by queue offset and by physical offset', async () => {
    const { dir, offs } = await cleanStore();
    const byQueue = [...dumpStore(dir, { topic: 'T', queueId: 1, offset: 2, count: 3 })];
    expect(byQueue.map((r) => r.queueOffset)).toEqual([2, 3, 4]);
    expect(byQueue[0].keys).toBe('key5');
    expect(byQueue[0].uniqKey).toBe('U5');
    const byPhy = [...dumpStore(dir, { phyOffset: offs[10], count: 2 })];
    expect(byPhy.map((r) => r.phyOffset)).toEqual([offs[10], offs[11]]);
    expect(byPhy[0].bodyPreview.startsWith('body-10-')).toBe(true);
    expect([...dumpStore(dir, { count: 1000 })]).toHaveLength(40);
  });
});
