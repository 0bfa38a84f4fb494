// Big append rounds are written on the thread pool while the next round is encoded: what must hold is the
// same as for a synchronous write — every acknowledged message readable in queue order with its bytes, no
// gaps in queue offsets, and a failed write gives its offsets back without leaving a hole.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../../src/common/record-codec.js';
import { Segment } from '../../../src/store/commitlog/segment.js';
import { MessageStore, type MessageStoreConfig } from '../../../src/store/message-store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { readQueue } from '../../helpers/store.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
const realWriteAsync = Segment.prototype.writeAsync;
afterEach(async () => {
  Segment.prototype.writeAsync = realWriteAsync;
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

async function open(cfg: Partial<MessageStoreConfig> = {}): Promise<{ s: MessageStore; dir: string }> {
  const dir = tmpStoreDir('async');
  dirs.push(dir);
  const s = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 1024 * 1024, ...cfg });
  stores.push(s);
  return { s, dir };
}

function body(tag: string, i: number): Buffer {
  return Buffer.from(`${tag}-${i}-`.padEnd(1500, String.fromCharCode(97 + (i % 26))));
}

describe('append rounds written on the thread pool', () => {
  it('64 concurrent 1.5 KB puts (several rounds in flight) read back in queue order, intact, after a reopen too', async () => {
    const { s, dir } = await open();
    for (let wave = 0; wave < 3; wave++) {
      const results = await Promise.all(Array.from({ length: 64 }, (_, i) => s.putMessage(msg('Big', i % 2, body(`w${wave}`, i), { UNIQ_KEY: `W${wave}-${i}` }))));
      expect(results.every((r) => r.status === 'PUT_OK')).toBe(true);
    }
    for (const q of [0, 1]) {
      const got = await readQueue(s, 'Big', q);
      expect(got).toHaveLength(96);
      expect(got.map((m) => m.queueOffset)).toEqual(Array.from({ length: 96 }, (_, i) => i));
      // each wave's messages of this queue, in put order
      const want = [0, 1, 2].flatMap((w) => Array.from({ length: 32 }, (_, k) => body(`w${w}`, 2 * k + q).toString()));
      expect(got.map((m) => m.body.toString())).toEqual(want);
    }
    await s.shutdown();
    stores.pop();
    expect(verifyStore(dir).problems).toEqual([]);
    const again = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 1024 * 1024 });
    stores.push(again);
    expect(again.getMaxOffsetInQueue('Big', 0)).toBe(96);
    expect((await readQueue(again, 'Big', 1)).map((m) => m.properties.UNIQ_KEY).slice(0, 3)).toEqual(['W0-1', 'W0-3', 'W0-5']);
  });

  it('a failed thread-pool write fails its puts, gives their queue offsets back and leaves no hole', async () => {
    const { s, dir } = await open();
    let failures = 1;
    Segment.prototype.writeAsync = function (this: Segment, buf: Buffer, len: number, pos: number, done: (err: Error | null) => void): void {
      if (failures-- > 0) {
        setImmediate(() => done(new Error('EIO: injected')));
        return;
      }
      realWriteAsync.call(this, buf, len, pos, done);
    };
    const first = await Promise.all(Array.from({ length: 64 }, (_, i) => s.putMessage(msg('F', 0, body('a', i)))));
    const ok = first.filter((r) => r.status === 'PUT_OK');
    const bad = first.filter((r) => r.status !== 'PUT_OK');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((r) => r.status === 'UNKNOWN_ERROR' && /EIO: injected/.test(r.remark ?? ''))).toBe(true);
    // the store goes on: later puts succeed and queue offsets stay contiguous
    const second = await Promise.all(Array.from({ length: 64 }, (_, i) => s.putMessage(msg('F', 0, body('b', i)))));
    expect(second.every((r) => r.status === 'PUT_OK')).toBe(true);
    const got = await readQueue(s, 'F', 0);
    expect(got).toHaveLength(ok.length + 64);
    expect(got.map((m) => m.queueOffset)).toEqual(Array.from({ length: got.length }, (_, i) => i));
    expect(s.getMaxOffsetInQueue('F', 0)).toBe(got.length);
    // every acknowledged put is the message at its offset
    for (const r of [...ok, ...second]) {
      const rec = await s.selectOneMessageByOffset(r.appendResult!.wroteOffset);
      expect(decodeRecord(rec!)!.queueOffset).toBe(r.appendResult!.queueOffset);
    }
    await s.shutdown();
    stores.pop();
    expect(verifyStore(dir).problems).toEqual([]);
  });
});
