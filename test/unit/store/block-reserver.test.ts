import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockReserver } from '../../../src/store/commitlog/block-reserver.js';
import { Segment } from '../../../src/store/commitlog/segment.js';
import { ConsumeQueue, CQ_UNIT_SIZE } from '../../../src/store/consumequeue/consume-queue.js';
import { IndexService } from '../../../src/store/index/index-service.js';
import { rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const segs: Segment[] = [];
const reservers: BlockReserver[] = [];
afterEach(() => {
  for (const r of reservers.splice(0)) r.close();
  for (const s of segs.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmDir(d);
});

function segment(size: number): Segment {
  const dir = tmpStoreDir('reserve');
  dirs.push(dir);
  const s = new Segment(dir, 0, size, true);
  segs.push(s);
  return s;
}

const allocatedBytes = (file: string) => fs.statSync(file).blocks * 512;

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const onPath = (tool: string) => (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, tool)));
const fallocateAvailable = process.platform === 'linux' && onPath('fallocate');
/** fincore (util-linux) tells how much of a file is in the page cache; dd does the read-ahead. */
const readAheadVisible = fallocateAvailable && onPath('dd') && onPath('fincore');
const cachedBytes = (file: string) => Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' }).trim());

describe('BlockReserver', () => {
  it.runIf(fallocateAvailable)('reserves the next window of a sparse segment ahead of the write position', async () => {
    const window = 4 * 1024 * 1024;
    const s = segment(4 * window);
    expect(allocatedBytes(s.file)).toBe(0); // created sparse
    const r = new BlockReserver(window);
    reservers.push(r);
    r.ahead(s, 0);
    await until(() => s.allocatedPosition > 0);
    expect(s.allocatedPosition).toBe(window);
    expect(allocatedBytes(s.file)).toBeGreaterThanOrEqual(window);
    expect(fs.statSync(s.file).size).toBe(4 * window); // the file size does not change
    // more than half the window left: nothing to do; less than half: the next window
    r.ahead(s, window / 4);
    await new Promise((res) => setTimeout(res, 100));
    expect(s.allocatedPosition).toBe(window);
    r.ahead(s, window - 4096);
    await until(() => s.allocatedPosition > window);
    expect(s.allocatedPosition).toBe(2 * window); // continues from what is reserved
    // reserved blocks read back as zeros: data written before stays as it was
    const data = Buffer.from('record bytes');
    s.write([data], 100);
    r.ahead(s, 2 * window - 8192);
    await until(() => s.allocatedPosition > 2 * window);
    expect(s.read(100, data.length).equals(data)).toBe(true);
    expect(s.read(200, 16).equals(Buffer.alloc(16))).toBe(true);
  });

  it.runIf(readAheadVisible)('reads each reserved window into the page cache before the writes reach it', async () => {
    const window = 4 * 1024 * 1024;
    const s = segment(4 * window);
    expect(cachedBytes(s.file)).toBe(0);
    const r = new BlockReserver(window);
    reservers.push(r);
    r.ahead(s, 0);
    await until(() => s.allocatedPosition > 0);
    // the answer comes after the read: the whole window is cached (kernel readahead may add a little beyond it)
    expect(cachedBytes(s.file)).toBeGreaterThanOrEqual(window);
    r.ahead(s, window - 4096);
    await until(() => s.allocatedPosition > window);
    expect(cachedBytes(s.file)).toBeGreaterThanOrEqual(2 * window);
    // reading reserved blocks put zeros in the cache, not anything else: data written later reads back
    const data = Buffer.from('after the read-ahead');
    s.write([data], window + 10);
    expect(s.read(window + 10, data.length).equals(data)).toBe(true);
    expect(s.read(window + 10 + data.length, 8).equals(Buffer.alloc(8))).toBe(true);
  });

  it.runIf(fallocateAvailable)('reserves a new consume-queue-sized segment whole; small ones are left sparse', async () => {
    const r = new BlockReserver();
    reservers.push(r);
    const big = segment(6_000_000);
    r.whole(big);
    await until(() => big.allocatedPosition === big.fileSize);
    expect(allocatedBytes(big.file)).toBeGreaterThanOrEqual(6_000_000);
    const small = segment(64 * 1024);
    r.whole(small);
    await new Promise((res) => setTimeout(res, 100));
    expect(small.allocatedPosition).toBe(0);
    expect(allocatedBytes(small.file)).toBe(0);
  });

  it.runIf(fallocateAvailable)('one helper process serves many requests in order', async () => {
    const r = new BlockReserver();
    reservers.push(r);
    const many = Array.from({ length: 5 }, () => segment(2 * 1024 * 1024));
    for (const s of many) r.whole(s);
    await until(() => many.every((s) => s.allocatedPosition === s.fileSize));
    for (const s of many) expect(allocatedBytes(s.file)).toBeGreaterThanOrEqual(s.fileSize);
  });

  it.runIf(fallocateAvailable)('reserves an index file\'s entries ahead of the entry writes, not its slot table', async () => {
    const dir = tmpStoreDir('reserve-index');
    dirs.push(dir);
    const r = new BlockReserver();
    reservers.push(r);
    const idx = new IndexService(dir, 1_000_000, 1_000_000, () => Date.now());
    idx.reserver = r;
    for (let i = 0; i < 100; i++) idx.buildIndex('T', { UNIQ_KEY: `key-${i}` }, i * 100, Date.now());
    idx.commit();
    const f = idx.last()!;
    const entriesStart = f.entriesEnd() - 101 * 20; // header + slots, then entry 0 (unused) and 100 keys
    await until(() => f.allocatedPosition > f.entriesEnd());
    expect(f.allocatedPosition).toBeGreaterThanOrEqual(entriesStart + 8 * 1024 * 1024 - 4096);
    // the 4 MB slot table stays sparse: the flush writes it on the thread pool
    expect(allocatedBytes(f.file)).toBeLessThan(9 * 1024 * 1024); // the window and a page of header, not +4 MB
    expect(allocatedBytes(f.file)).toBeGreaterThanOrEqual(8 * 1024 * 1024 - 4096);
    expect(idx.query('T', 'key-7', 10, 0, Date.now() + 1000)).toEqual([700]);
    idx.close();
  });

  it.each([
    ['neither sh nor fallocate on PATH', () => '/nonexistent'],
    ['sh without fallocate', () => {
      const dir = tmpStoreDir('nofalloc');
      dirs.push(dir);
      fs.symlinkSync('/bin/sh', path.join(dir, 'sh'));
      return dir;
    }],
  ])('%s: gives up quietly and the segment stays usable', async (_name, pathDir) => {
    const saved = process.env.PATH;
    process.env.PATH = pathDir();
    try {
      const window = 1024 * 1024;
      const s = segment(4 * window);
      const r = new BlockReserver(window);
      reservers.push(r);
      r.ahead(s, 0);
      await new Promise((res) => setTimeout(res, 300));
      expect(s.allocatedPosition).toBe(0);
      r.ahead(s, 0); // disabled now: no new attempt
      s.write([Buffer.from('still writable')], 0);
      expect(s.read(0, 14).toString()).toBe('still writable');
      expect(allocatedBytes(s.file)).toBeLessThan(window);
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('ConsumeQueue.correctMinOffset', () => {
  it('finds the first unit still in the commitlog past the first read chunk of a segment', () => {
    const dir = tmpStoreDir('cqmin');
    dirs.push(dir);
    const units = 10_000; // the scan reads 4,096 units at a time
    const cq = new ConsumeQueue(dir, 'T', 0, units * CQ_UNIT_SIZE);
    for (let i = 0; i < units; i++) cq.putUnit(i, i * 100, 100, 0);
    cq.commit();
    cq.correctMinOffset(0);
    expect(cq.minOffsetInQueue()).toBe(0);
    cq.correctMinOffset(5_000 * 100);
    expect(cq.minOffsetInQueue()).toBe(5_000);
    cq.correctMinOffset(4_096 * 100 + 1);
    expect(cq.minOffsetInQueue()).toBe(4_097);
    cq.correctMinOffset(units * 100);
    expect(cq.minOffsetInQueue()).toBe(units); // nothing left: the end of the segment
    cq.close();
  });
});
