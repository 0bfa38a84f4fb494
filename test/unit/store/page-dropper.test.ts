import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PageDropper, type Droppable } from '../../../src/store/commitlog/page-dropper.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { decodeRecord } from '../../../src/common/record-codec.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';
import { cacheVisible, cachedBytes, perlAvailable, MB, until } from './page-cache.js';

const dirs: string[] = [];
const droppers: PageDropper[] = [];
afterEach(() => {
  for (const d of droppers.splice(0)) d.close();
  for (const d of dirs.splice(0)) rmDir(d);
});

/** A written, flushed segment file of `size` bytes holding `written` bytes of a pattern (so it reads back checkably). */
function segmentFile(fromOffset: number, size: number, written: number): Droppable & { fd: number } {
  const dir = tmpStoreDir('drop');
  dirs.push(dir);
  const file = path.join(dir, String(fromOffset).padStart(20, '0'));
  const fd = fs.openSync(file, 'w+');
  fs.ftruncateSync(fd, size);
  const chunk = Buffer.alloc(MB);
  for (let at = 0; at < written; at += MB) {
    chunk.fill(at / MB + 1);
    fs.writeSync(fd, chunk, 0, Math.min(MB, written - at), at);
  }
  fs.fdatasyncSync(fd); // the kernel does not drop dirty pages
  return { file, fileFromOffset: fromOffset, fileSize: size, wrotePosition: written, fd };
}

function dropper(keep: number, step: number): PageDropper {
  const d = new PageDropper(keep, step);
  droppers.push(d);
  return d;
}

const canDrop = cacheVisible && perlAvailable;

describe('PageDropper', () => {
  it.runIf(canDrop)('drops flushed pages more than `keep` behind the flushed offset, in whole steps; the data reads back', async () => {
    const s = segmentFile(0, 64 * MB, 48 * MB);
    try {
      expect(cachedBytes(s.file)).toBeGreaterThanOrEqual(48 * MB - 64 * 4096); // just written: cached
      const d = dropper(16 * MB, 4 * MB);
      d.behind([s], 0); // the store's first flush: nothing behind yet
      expect(d.droppedOffset).toBe(0);
      d.behind([s], 48 * MB);
      await until(() => cachedBytes(s.file) <= 17 * MB);
      expect(d.droppedOffset).toBe(32 * MB);
      // exactly [0, 32 MB): the 16 MB behind the flushed offset stay
      const cached = cachedBytes(s.file);
      expect(cached).toBeGreaterThanOrEqual(16 * MB - 64 * 4096);
      expect(cached).toBeLessThanOrEqual(16 * MB);
      // less than a step more: nothing
      await new Promise((r) => setTimeout(r, 100)); // its answer
      d.behind([s], 48 * MB + 3 * MB);
      expect(d.droppedOffset).toBe(32 * MB);
      const back = Buffer.alloc(16);
      fs.readSync(s.fd, back, 0, 16, 5 * MB);
      expect(back.every((b) => b === 6)).toBe(true); // from disk now, as written
    } finally {
      fs.closeSync(s.fd);
    }
  });

  it.runIf(canDrop)('a full segment is dropped to its written end, then the next segment from its start', async () => {
    const a = segmentFile(0, 8 * MB, 8 * MB);
    const b = segmentFile(8 * MB, 8 * MB, 6 * MB);
    try {
      const d = dropper(4 * MB, MB);
      d.behind([a, b], 0);
      d.behind([a, b], 14 * MB);
      await until(() => cachedBytes(a.file) === 0);
      expect(d.droppedOffset).toBe(8 * MB); // the whole first segment in one request, not up to the target
      // (as the store does: one request at a time, the next at the flush after the answer)
      await until(() => {
        d.behind([a, b], 14 * MB);
        return cachedBytes(b.file) <= 4 * MB;
      });
      expect(d.droppedOffset).toBe(10 * MB);
      expect(cachedBytes(b.file)).toBeGreaterThanOrEqual(4 * MB - 64 * 4096);
    } finally {
      fs.closeSync(a.fd);
      fs.closeSync(b.fd);
    }
  });

  it.runIf(perlAvailable)('a segment deleted before its request runs stays deleted; refusals in a row turn it off', async () => {
    const s = segmentFile(0, 8 * MB, 8 * MB);
    fs.closeSync(s.fd);
    fs.rmSync(s.file);
    const d = dropper(MB, MB);
    d.behind([s], 0);
    for (let i = 0; i < 3; i++) {
      d.behind([{ ...s, fileFromOffset: d.droppedOffset, wrotePosition: 8 * MB }], d.droppedOffset + 8 * MB + MB);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(fs.existsSync(s.file)).toBe(false); // the helper only opens it for reading: nothing re-creates it
    const before = d.droppedOffset;
    d.behind([{ ...s, fileFromOffset: before, wrotePosition: 8 * MB }], before + 16 * MB);
    expect(d.droppedOffset).toBe(before); // off after three refusals in a row
  });

  it.runIf(canDrop)('a store keeps only its last commitlogCacheBehindMb of flushed commitlog cached; old messages still read', async () => {
    const dir = tmpStoreDir('drop-store');
    dirs.push(dir);
    const store = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 128 * MB, commitLogCacheBehindMb: 8,
      flushIntervalCommitLog: 20 });
    try {
      const file = path.join(dir, 'commitlog', '00000000000000000000');
      const body = Buffer.alloc(16 * 1024, 7);
      let first = -1;
      for (let i = 0; i < 96 * 64; i += 64) {
        const rs = await Promise.all(Array.from({ length: 64 }, (_, j) => store.putMessage(msg('DropT', 0, body, { KEYS: `k${i + j}` }))));
        if (first < 0) first = rs[0].appendResult!.wroteOffset;
      }
      // ~98 MB written; cached at most: 8 MB kept + an 8 MB step not yet due + what the warmer read ahead (16 MB
      // of blocks, 26 MB seen) + the few pages the kernel declined to drop. Each flush lets the dropper go on (it
      // has one request at a time). Without it: all ~98 MB.
      await until(() => {
        void store.flush();
        return cachedBytes(file) <= 56 * MB;
      });
      const g = await store.getMessage('G', 'DropT', 0, 0, 1);
      expect(g.status).toBe('FOUND');
      const rec = decodeRecord(g.messages[0])!;
      expect(rec.body.equals(body)).toBe(true);
      expect(rec.commitLogOffset).toBe(first);
    } finally {
      await store.shutdown();
    }
  }, 30_000);
});
