import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { offset2FileName, zeroTail } from '../../../src/store/file-util.js';
import { MessageStore, type MessageStoreConfig } from '../../../src/store/message-store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

// Apache's broker creates the commitlog's next segment, and the one after, before its writer reaches them
// (AllocateMappedFileService): a store it ran, copied or crashed while running, ends with one or two segments
// that hold nothing. Verify accepts them and our recovery continues the data where it ends.

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown();
  for (const d of dirs.splice(0)) rmDir(d);
});

function newDir(): string {
  const d = tmpStoreDir('ahead');
  dirs.push(d);
  return d;
}

async function open(root: string, cfg: Partial<MessageStoreConfig>): Promise<MessageStore> {
  const s = await MessageStore.open({ storePathRootDir: root, ...cfg });
  stores.push(s);
  return s;
}

async function close(s: MessageStore): Promise<void> {
  stores.splice(stores.indexOf(s), 1);
  await s.shutdown();
}

async function bodies(s: MessageStore, topic: string, queueId = 0): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let off = 0; ;) {
    const g = await s.getMessage('G', topic, queueId, off, 32);
    if (g.status !== 'FOUND') return out;
    out.push(...decodeMessages(Buffer.concat(g.messages)).map((m) => m.body));
    off = g.nextBeginOffset;
  }
}

const SMALL = { mappedFileSizeCommitLog: 4096, mappedFileSizeConsumeQueue: 20 * 16, maxHashSlotNum: 16, maxIndexNum: 64 };
const clDir = (root: string) => path.join(root, 'commitlog');
const files = (root: string) => fs.readdirSync(clDir(root)).sort();

describe('empty commitlog segments after the data (created ahead of the writer)', () => {
  // Cases: the writer inside its segment (no blank record before the empty ones), one or two empty segments
  // ahead; or it had just rolled and its first records never reached the disk (a blank record, then an empty
  // segment).
  it.each([
    ['the writer inside its segment, one empty segment ahead', false, 1],
    ['the writer inside its segment, two empty segments ahead', false, 2],
    ['right after a roll whose records were lost', true, 1],
  ])('crash image with %s: verify is clean, recovery keeps every record and goes on', async (_name, rolled, ahead) => {
    const root = newDir();
    const s = await open(root, SMALL);
    for (let i = 0; i < 30; i++) await s.putMessage(msg('T', 0, `body-${i}-${'x'.repeat(i * 7)}`));
    await s.flush();
    const image = newDir();
    fs.cpSync(root, image, { recursive: true }); // the files of the running store, abort file included
    await close(s);
    const segs = files(image);
    let last = path.join(clDir(image), segs[segs.length - 1]!);
    let kept = 30;
    if (rolled) {
      // drop what went into the last segment, as if its pages never reached the disk: the segment before
      // ends with its blank record, the last one is empty
      const fd = fs.openSync(last, 'r+');
      zeroTail(fd, 0, 4096);
      fs.closeSync(fd);
      const inLast = await recordsIn(root, segs[segs.length - 1]!);
      kept -= inLast;
      expect(inLast).toBeGreaterThan(0);
    } else {
      for (let i = 1; i <= ahead; i++) fs.writeFileSync(path.join(clDir(image), offset2FileName(Number(segs[segs.length - 1]) + i * 4096)), Buffer.alloc(4096));
      last = path.join(clDir(image), offset2FileName(Number(segs[segs.length - 1]) + 4096));
    }
    // verify accepts the empty segments at the end as it finds them (the crash image's consume queues and
    // index may lag: only the commitlog's continuity is asked here)
    expect(verifyStore(image).problems.filter((p) => p.kind === 'continuity')).toEqual([]);
    expect(files(image).length).toBe(segs.length + (rolled ? 0 : ahead));

    const r = await open(image, SMALL);
    const got = await bodies(r, 'T');
    expect(got.map(String)).toEqual(Array.from({ length: kept }, (_, i) => `body-${i}-${'x'.repeat(i * 7)}`));
    // the next put continues the data: right after the last record, or at the empty segment's start
    const p = await r.putMessage(msg('T', 0, 'after'));
    expect(p.status).toBe('PUT_OK');
    expect(p.appendResult!.queueOffset).toBe(kept);
    if (rolled) expect(p.appendResult!.wroteOffset).toBe(Number(path.basename(last)));
    else expect(p.appendResult!.wroteOffset).toBeLessThan(Number(path.basename(last)));
    expect((await bodies(r, 'T')).length).toBe(kept + 1);
    await close(r);
    expect(verifyStore(image).problems).toEqual([]);
  });
});

/** Messages of topic T (queue 0) stored from the start of the named segment on, read back from a store. */
async function recordsIn(root: string, segName: string): Promise<number> {
  const from = Number(segName);
  const s = await open(root, SMALL);
  let n = 0;
  for (let off = 0; ;) {
    const g = await s.getMessage('G', 'T', 0, off, 32);
    if (g.status !== 'FOUND') break;
    for (const m of decodeMessages(Buffer.concat(g.messages))) if (m.commitLogOffset >= from) n++;
    off = g.nextBeginOffset;
  }
  await close(s);
  return n;
}
