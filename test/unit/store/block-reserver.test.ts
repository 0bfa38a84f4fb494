import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockReserver } from '../../../src/store/commitlog/block-reserver.js';
import { PageWarmer, WarmPlan } from '../../../src/store/commitlog/page-warmer.js';
import { Segment } from '../../../src/store/commitlog/segment.js';
import { ConsumeQueue, CQ_UNIT_SIZE } from '../../../src/store/consumequeue/consume-queue.js';
import { IndexService } from '../../../src/store/index/index-service.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

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
/** fincore (util-linux) tells how much of a file is in the page cache. */
const cacheVisible = fallocateAvailable && onPath('fincore');
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

  it.runIf(fallocateAvailable)('a segment deleted before its request runs is not brought back; later requests still run', async () => {
    const r = new BlockReserver();
    reservers.push(r);
    const gone = segment(2 * 1024 * 1024);
    const kept = segment(2 * 1024 * 1024);
    fs.rmSync(gone.file); // as cleanup or a store removal does while a request is queued
    r.whole(gone);
    r.whole(kept);
    // answered in order: once the second is done, the first has run
    await until(() => kept.allocatedPosition === kept.fileSize);
    expect(fs.existsSync(gone.file)).toBe(false);
    expect(fs.readdirSync(path.dirname(gone.file))).toEqual([]);
    expect(allocatedBytes(kept.file)).toBeGreaterThanOrEqual(kept.fileSize);
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

describe('PageWarmer', () => {
  const MB = 1024 * 1024;
  /**
   * What the warmer read is cached, and nothing more. Never above `read`: readahead would add megabytes. A few
   * pages below it are allowed: the kernel may reclaim page cache at any moment (this project's CI VM runs
   * DAMON pageout), which once left 2 of 1,020 pages out.
   */
  const expectCached = (file: string, read: number) => {
    const cached = cachedBytes(file);
    expect(cached).toBeLessThanOrEqual(read);
    expect(cached).toBeGreaterThanOrEqual(read - 64 * 4096);
  };

  it.runIf(cacheVisible)('keeps the reserved range just ahead of the writer in the page cache, from its own thread, without kernel readahead', async () => {
    const s = segment(64 * MB);
    const r = new BlockReserver(32 * MB);
    reservers.push(r);
    r.ahead(s, 0);
    await until(() => s.allocatedPosition > 0);
    expect(cachedBytes(s.file)).toBe(0); // reserving reads nothing
    const nice = (tid: string) => {
      try {
        return Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      } catch {
        return 0; // the thread ended meanwhile
      }
    };
    const lowest = () => fs.readdirSync('/proc/self/task').filter((t) => nice(t) === 19).length;
    const before = lowest();
    const w = new PageWarmer(4 * MB, MB, 256 * 1024, 0); // no margin: blocks from the writer on (margin: WarmPlan tests)
    try {
      w.ahead(s, 0);
      await until(() => w.reads >= 16); // 4 blocks of 1 MB, 4 reads each (the first one a page short)
      await new Promise((res) => setTimeout(res, 100));
      expect(w.reads).toBe(16);
      // the distance but the first page of each block, not the 32 MB reserved: read backwards, the chunks set
      // off no sequential readahead (which reads up to the disk's read_ahead_kb in one go)
      expectCached(s.file, 4 * MB - 4 * 4096);
      // the writer moves 100 KB: less than a block, nothing read; far ahead: from there on
      w.ahead(s, 100 * 1024);
      await new Promise((res) => setTimeout(res, 100));
      expect(w.reads).toBe(16);
      w.ahead(s, 10 * MB);
      await until(() => w.reads >= 32);
      expectCached(s.file, 8 * MB - 8 * 4096); // 0–4 MB and now 10–14 MB
      // what it read are the reserved zeros: data written before and after reads back as written
      const data = Buffer.from('after the read-ahead');
      s.write([data], 10 * MB + 10);
      expect(s.read(10 * MB + 10, data.length).equals(data)).toBe(true);
      expect(s.read(10 * MB + 10 + data.length, 8).equals(Buffer.alloc(8))).toBe(true);
      // the thread reads at the lowest priority: only its own thread, not this one
      expect(lowest()).toBe(before + 1);
      expect(nice(String(process.pid))).toBe(0);
    } finally {
      w.close();
    }
    // closed: the thread ends, later appends do nothing
    await until(() => lowest() === before);
    const n = w.reads;
    w.ahead(s, 20 * MB);
    await new Promise((res) => setTimeout(res, 100));
    expect(w.reads).toBe(n);
  });

  it.runIf(cacheVisible)('an ASYNC_FLUSH store keeps its commitlog warm ahead of its appends', async () => {
    const dir = tmpStoreDir('warm-store');
    dirs.push(dir);
    // a segment of at least the reserver's 64 MB window, or nothing is reserved (nor read)
    const store = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 128 * MB });
    try {
      const file = path.join(dir, 'commitlog', '00000000000000000000');
      expect((await store.putMessage(msg('WarmT', 0, Buffer.alloc(1024, 1)))).status).toBe('PUT_OK');
      // the first append has the window reserved; the warmer starts with an append that finds it reserved
      await until(() => allocatedBytes(file) >= 64 * MB);
      expect(cachedBytes(file)).toBeLessThanOrEqual(8192); // nothing read ahead yet
      expect((await store.putMessage(msg('WarmT', 0, Buffer.alloc(1024, 2)))).status).toBe('PUT_OK');
      // the whole 2 MB blocks within the warmer's 16 MB distance (seven: the first starts a page after the
      // writer's), each but its first page, and the written page; never the 64 MB reserved
      await until(() => cachedBytes(file) >= 12 * MB);
      await new Promise((res) => setTimeout(res, 100));
      const cached = cachedBytes(file);
      expect(cached).toBeLessThanOrEqual(16 * MB);
      expect(cached).toBeGreaterThanOrEqual(7 * (2 * MB - 4096) - 64 * 4096);
    } finally {
      await store.shutdown();
    }
  });

  describe('WarmPlan (what the thread reads next)', () => {
    const reads = (p: WarmPlan) => {
      const out: [number, number][] = [];
      for (let len = p.next(); len > 0; len = p.next()) out.push([p.from, len]);
      return out;
    };

    it('reads only reserved blocks, each block backwards leaving its first page, whole blocks within the distance', () => {
      const p = new WarmPlan(4 * MB, 2 * MB, MB);
      p.update(3, 8 * MB, 0, 0);
      expect(reads(p)).toEqual([]); // nothing reserved yet
      p.update(3, 8 * MB, 2 * MB, 0);
      expect(reads(p)).toEqual([[MB, MB], [4096, MB - 4096]]);
      p.update(3, 8 * MB, 8 * MB, 100);
      // 2–4 MB is a whole block within 4 MB of the writer; 4–6 MB is not, yet
      expect(reads(p)).toEqual([[3 * MB, MB], [2 * MB + 4096, MB - 4096]]);
      p.update(3, 8 * MB, 8 * MB, 5 * MB + 5);
      // the writer passed what was read: on from the next page boundary, never behind it
      const start = 5 * MB + 4096;
      // and where the reserved end comes before the distance, the part block up to it too
      expect(reads(p)).toEqual([[start + MB, MB], [start + 4096, MB - 4096], [start + 2 * MB + 4096, MB - 8192]]);
      p.update(3, 8 * MB, 8 * MB, 6 * MB);
      expect(reads(p)).toEqual([]);
    });

    /**
     * A writer that moves on by 0–100 KB at a time and a warmer that gets 0–5 reads in between, and now and
     * then none for a while (a SCHED_IDLE thread on a busy VM waits for a vCPU). Counts reads whose first
     * page not cached yet has a cached page just below it (written, or read before): the kernel takes those for
     * a sequential stream and reads ahead.
     */
    const readsAboveCached = (margin: number): { reads: number; aboveCached: number } => {
      const PAGE = 4096;
      const size = 64 * MB;
      const cached = new Uint8Array(size / PAGE);
      const p = new WarmPlan(16 * MB, 2 * MB, 64 * 1024, margin);
      let seed = 7;
      const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
      let writePos = 0;
      let reads = 0;
      let aboveCached = 0;
      let stalled = 0;
      while (writePos < size - 20 * MB) {
        const next = writePos + rnd(100 * 1024);
        for (let pg = Math.floor(writePos / PAGE); pg < Math.ceil(next / PAGE); pg++) cached[pg] = 1;
        writePos = next;
        if (stalled > 0) {
          stalled--; // the thread waits for a vCPU while the writer goes on
          continue;
        }
        if (rnd(100) < 3) stalled = 20 + rnd(200);
        for (let k = rnd(6); k > 0; k--) {
          p.update(3, size, size, writePos);
          const len = p.next();
          if (len === 0) break;
          reads++;
          expect(p.from).toBeGreaterThanOrEqual(writePos);
          // the kernel looks at the first page of the read that is not cached yet
          let first = p.from / PAGE;
          while (first < (p.from + len) / PAGE && cached[first]) first++;
          if (first < (p.from + len) / PAGE && cached[first - 1]) aboveCached++;
          for (let pg = p.from / PAGE; pg < (p.from + len) / PAGE; pg++) cached[pg] = 1;
        }
      }
      return { reads, aboveCached };
    };

    it('never starts a read just above a cached page, however far the writer gets ahead of it', () => {
      for (const margin of [0, 512 * 1024]) {
        const r = readsAboveCached(margin);
        expect(r.reads).toBeGreaterThan(100);
        expect(r.aboveCached).toBe(0);
      }
    });

    it('a block the writer comes near is left; reading goes on above what was read of it, not over it', () => {
      // as traced: a block read from its top down, then the writer passes the block's start. Going on from the
      // page above the writer (as before) made a block whose top read began inside the pages just read: its
      // first uncached page had 16 cached ones below it, and the kernel's readahead took over.
      const p = new WarmPlan(4 * MB, 2 * MB, MB / 2);
      p.update(3, 8 * MB, 8 * MB, 0);
      expect([p.next(), p.from]).toEqual([MB / 2, 1.5 * MB]);
      p.update(3, 8 * MB, 8 * MB, 40 * 1024);
      expect([p.next(), p.from]).toEqual([MB / 2, 3.5 * MB]); // the block above 2 MB, from its top
      // with a margin, the same once the writer is within it of the block's start
      const m = new WarmPlan(4 * MB, 2 * MB, MB / 2, MB / 2);
      m.update(3, 8 * MB, 8 * MB, 0);
      expect([m.next(), m.from]).toEqual([MB / 2, 2 * MB]); // the first block starts the margin above the writer
      m.update(3, 8 * MB, 8 * MB, 10);
      expect(m.next()).toBe(0); // the block left; the next one (from 2.5 MB) not yet within the distance
      m.update(3, 8 * MB, 8 * MB, MB);
      expect([m.next(), m.from]).toEqual([MB / 2, 4 * MB]);
    });

    it('starts over in a new segment and leaves a descriptor alone once a read of it failed', () => {
      const p = new WarmPlan(4 * MB, 2 * MB, MB);
      p.update(3, 8 * MB, 8 * MB, 7 * MB);
      expect(reads(p)).toEqual([[7 * MB + 4096, MB - 4096]]); // up to the segment's end
      p.update(4, 8 * MB, 8 * MB, 0);
      expect(reads(p)).toEqual([[MB, MB], [4096, MB - 4096], [3 * MB, MB], [2 * MB + 4096, MB - 4096]]);
      p.update(5, 8 * MB, 8 * MB, 0);
      p.failed(5);
      expect(reads(p)).toEqual([]);
      p.update(6, 8 * MB, 8 * MB, 0);
      expect(reads(p).length).toBe(4);
      p.update(5, 8 * MB, 8 * MB, 0); // the number again: another segment now, read again
      expect(reads(p).length).toBe(4);
    });
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
