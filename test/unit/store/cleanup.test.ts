import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageStore, type MessageStoreConfig } from '../../../src/store/message-store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

const HOUR = 3600_000;

async function filled(cfg: Partial<MessageStoreConfig>): Promise<{ s: MessageStore; dir: string; segs: () => string[] }> {
  const dir = tmpStoreDir();
  dirs.push(dir);
  const s = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 4096, mappedFileSizeConsumeQueue: 20 * 16,
    maxHashSlotNum: 16, maxIndexNum: 64, fileReservedTime: 72, ...cfg });
  stores.push(s);
  for (let i = 0; i < 130; i++) await s.putMessage(msg('T', i % 2, `m${i}-${'x'.repeat(40)}`, { KEYS: `k${i}` }));
  const clDir = path.join(dir, 'commitlog');
  const segs = () => fs.readdirSync(clDir).sort();
  return { s, dir, segs };
}

function age(dir: string, names: string[], hours: number): void {
  const t = (Date.now() - hours * HOUR) / 1000;
  for (const n of names) fs.utimesSync(path.join(dir, 'commitlog', n), t, t);
}

describe('cleanup', () => {
  it('at the deleteWhen hour removes only expired segments, never the last; queues and index follow', async () => {
    const now = Date.now();
    const { s, dir, segs } = await filled({ deleteWhen: String(new Date(now).getHours()), diskUsage: () => 0.1 });
    const before = segs();
    expect(before.length).toBeGreaterThanOrEqual(5);
    age(dir, before.slice(0, 3), 100);
    age(dir, before.slice(3), 1);
    const r = s.runCleanup();
    expect(r.commitLogDeleted).toBe(3);
    expect(segs()).toEqual(before.slice(3));
    expect(s.getMinPhyOffset()).toBe(Number(before[3]));
    expect(r.consumeQueueSegmentsDeleted).toBeGreaterThan(0);
    const minQ = s.getMinOffsetInQueue('T', 0);
    expect(minQ).toBeGreaterThan(0);
    expect((await s.getMessage('G', 'T', 0, 0, 8)).status).toBe('OFFSET_TOO_SMALL');
    const g = await s.getMessage('G', 'T', 0, minQ, 8);
    expect(g.status).toBe('FOUND');
    // everything left is consistent
    await s.shutdown();
    stores.pop();
    expect(verifyStore(dir).problems).toEqual([]);
  });

  it('outside the deleteWhen hour with a roomy disk nothing goes', async () => {
    const other = (new Date().getHours() + 5) % 24;
    const { s, dir, segs } = await filled({ deleteWhen: String(other), diskUsage: () => 0.1 });
    const before = segs();
    age(dir, before, 100);
    expect(s.runCleanup().commitLogDeleted).toBe(0);
    expect(segs()).toEqual(before);
  });

  it('disk ratios: expired at any hour, forcibly, and refusing writes when full', async () => {
    let usage = 0.8;
    const other = (new Date().getHours() + 5) % 24;
    const { s, dir, segs } = await filled({ deleteWhen: String(other), diskUsage: () => usage, deleteFileBatchMax: 10 });
    const before = segs();
    age(dir, before.slice(0, 2), 100);
    age(dir, before.slice(2), 1);
    expect(s.runCleanup().commitLogDeleted).toBe(2); // > 75%: expired files at any hour
    usage = 0.87; // > 85%: even unexpired files, but never the last
    s.runCleanup();
    expect(segs()).toEqual([before[before.length - 1]]);
    usage = 0.95; // > 90%: writes refused, nothing corrupted
    s.runCleanup();
    const refused = await s.putMessage(msg('T', 0, 'no room'));
    expect(refused.status).toBe('SERVICE_NOT_AVAILABLE');
    expect(refused.remark).toMatch(/disk full/);
    usage = 0.5;
    s.runCleanup();
    expect((await s.putMessage(msg('T', 0, 'room again'))).status).toBe('PUT_OK');
    await s.shutdown();
    stores.pop();
    expect(verifyStore(dir).problems).toEqual([]);
  });
});
