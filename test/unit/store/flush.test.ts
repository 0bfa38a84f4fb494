import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

async function open(cfg: Parameters<typeof MessageStore.open>[0] extends infer C ? Partial<C> : never): Promise<MessageStore> {
  const dir = tmpStoreDir('flush');
  dirs.push(dir);
  const s = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 1 << 20, mappedFileSizeConsumeQueue: 2000,
    maxHashSlotNum: 16, maxIndexNum: 64, flushIntervalConsumeQueue: 60_000, ...cfg });
  stores.push(s);
  return s;
}

describe('flush', () => {
  it('SYNC_FLUSH group commit: concurrent puts share a few fdatasync calls', async () => {
    const s = await open({ flushDiskType: 'SYNC_FLUSH' });
    const real = fs.fdatasync;
    let calls = 0;
    vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      calls++;
      setTimeout(() => real(fd, cb), 20);
    }) as typeof fs.fdatasync);
    const rs = await Promise.all(Array.from({ length: 100 }, (_, i) => s.putMessage(msg('T', i % 4, `m${i}`))));
    expect(rs.every((r) => r.status === 'PUT_OK')).toBe(true);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('SYNC_FLUSH answers FLUSH_DISK_TIMEOUT past syncFlushTimeout; the message stays stored', async () => {
    const s = await open({ flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 30 });
    const real = fs.fdatasync;
    vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      setTimeout(() => real(fd, cb), 300);
    }) as typeof fs.fdatasync);
    const r = await s.putMessage(msg('T', 0, 'slow disk'));
    expect(r.status).toBe('FLUSH_DISK_TIMEOUT');
    expect(r.appendResult!.queueOffset).toBe(0);
    expect((await s.getMessage('G', 'T', 0, 0, 1)).status).toBe('FOUND');
    // WAIT=false does not wait for the disk
    const nowait = await s.putMessage(msg('T', 0, 'no wait', { WAIT: 'false' }));
    expect(nowait.status).toBe('PUT_OK');
    vi.restoreAllMocks();
    await new Promise((r) => setTimeout(r, 350));
  });

  it('ASYNC_FLUSH acknowledges at once and flushes on its interval', async () => {
    const s = await open({ flushDiskType: 'ASYNC_FLUSH', flushIntervalCommitLog: 20, flushCommitLogLeastPages: 0 });
    const r = await s.putMessage(msg('T', 0, 'x'));
    expect(r.status).toBe('PUT_OK');
    expect(Number(s.getRuntimeInfo().remainHowManyDataToFlush)).toBe(r.appendResult!.wroteBytes);
    await new Promise((res) => setTimeout(res, 120));
    expect(s.getRuntimeInfo().remainHowManyDataToFlush).toBe('0');
    expect(s.getRuntimeInfo().commitLogMaxOffset).toBe(String(r.appendResult!.wroteBytes));
  });
});

describe('write failures', () => {
  it('a failed commitlog write answers UNKNOWN_ERROR, acknowledges nothing, and the next put reuses the offsets', async () => {
    const s = await open({});
    await s.putMessage(msg('T', 0, 'one'));
    await new Promise((r) => setImmediate(r)); // let the batched consume-queue write happen first
    const real = fs.writeSync;
    let fail = true;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      if (fail) { fail = false; throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); }
      return (real as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync);
    const bad = await s.putMessage(msg('T', 0, 'two'));
    expect(bad.status).toBe('UNKNOWN_ERROR');
    expect(bad.remark).toMatch(/ENOSPC/);
    vi.restoreAllMocks();
    const good = await s.putMessage(msg('T', 0, 'three'));
    expect(good.status).toBe('PUT_OK');
    expect(good.appendResult!.queueOffset).toBe(1);
    const g = await s.getMessage('G', 'T', 0, 0, 8);
    expect(g.messageCount).toBe(2);
  });

  it('a write failing in a round that opened the next segment loses nothing written before and leaves no stray segment', async () => {
    const dir = tmpStoreDir('roll');
    dirs.push(dir);
    const cfg = { storePathRootDir: dir, mappedFileSizeCommitLog: 4096, maxHashSlotNum: 16, maxIndexNum: 256 };
    const s = await MessageStore.open(cfg);
    stores.push(s);
    const bodies: string[] = [];
    // fill the first 4 KiB segment until the next message no longer fits
    while (s.getMaxPhyOffset() + 2 * 400 < 4096) {
      const b = `m${bodies.length}`.padEnd(300, '.');
      expect((await s.putMessage(msg('R', 0, b))).status).toBe('PUT_OK');
      bodies.push(b);
    }
    const real = fs.writeSync;
    let fail = true;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      // the new segment's first write (position 0) fails: disk full as the commitlog rolls
      if (fail && args[args.length - 1] === 0) { fail = false; throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }); }
      return (real as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync);
    const bad = await Promise.all([s.putMessage(msg('R', 0, 'x'.repeat(300))), s.putMessage(msg('R', 0, 'y'.repeat(300)))]);
    expect(fail).toBe(false);
    expect(bad.every((r) => r.status === 'UNKNOWN_ERROR')).toBe(true);
    vi.restoreAllMocks();
    expect(fs.readdirSync(`${dir}/commitlog`)).toEqual(['00000000000000000000']);
    for (let i = 0; i < 20; i++) {
      const b = `n${i}`.padEnd(300, '.');
      expect((await s.putMessage(msg('R', 0, b))).status).toBe('PUT_OK');
      bodies.push(b);
    }
    await s.shutdown();
    stores.pop();
    const again = await MessageStore.open(cfg);
    stores.push(again);
    const got: string[] = [];
    for (let off = 0; ;) {
      const r = await again.getMessage('G', 'R', 0, off, 32);
      if (r.messageCount === 0) break;
      for (const m of decodeMessages(Buffer.concat(r.messages))) got.push(m.body.toString());
      off = r.nextBeginOffset;
    }
    expect(got).toEqual(bodies);
  });
});
