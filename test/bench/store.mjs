// Store append benchmark (a benchmark, not a test): `npm run bench -- store` (or `node test/bench/store.mjs`
// after `npm run build`). Appends through MessageStore (dispatch to consume queue + index included) with
// 1 and 64 concurrent producers, 100 B and 1 KB bodies, ASYNC_FLUSH and SYNC_FLUSH; also measures the
// disk's single-fsync rate (write 4 KiB + fdatasync in a loop) for comparison with SYNC_FLUSH group commit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { MessageStore } = await import(pathToFileURL(path.join(root, 'dist/store/message-store.js')).href);

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const baseDir = process.env.BENCH_DIR ?? os.tmpdir();

function fsyncRate(dir) {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  const buf = Buffer.alloc(4096, 1);
  const end = Date.now() + 1000;
  let n = 0;
  while (Date.now() < end) {
    fs.writeSync(fd, buf, 0, buf.length, (n % 1024) * 4096);
    fs.fdatasyncSync(fd);
    n++;
  }
  fs.closeSync(fd);
  return n;
}

async function runCase({ size, flush, producers, batch = 1 }) {
  const dir = fs.mkdtempSync(path.join(baseDir, 'mqctl-bench-store-'));
  const store = await MessageStore.open({ storePathRootDir: dir, flushDiskType: flush });
  const body = Buffer.alloc(size, 0x61);
  let count = 0;
  let bytes = 0;
  let failed = 0;
  let stop = false;
  const host = '127.0.0.1:50000';
  // Messages are built before the clock starts (a ring of distinct UNIQ_KEYs, reused round-robin): building
  // and formatting them is the client's work, not the store's; what is timed is the put and its dispatch.
  const RING = 16384;
  const ring = Array.from({ length: RING }, (_, i) => ({
    topic: 'BenchTopic', queueId: 0, flag: 0, body,
    properties: { TAGS: 'TagA', UNIQ_KEY: `7F000001${i.toString(16).toUpperCase().padStart(24, '0')}`, WAIT: 'true' },
    sysFlag: 0, bornTimestamp: Date.now(), bornHost: host, storeHost: '127.0.0.1:10911', reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  }));
  let seq = 0;
  const deadline = Date.now() + seconds * 1000;
  async function producer(p) {
    let k = 0;
    const queueId = p % 8;
    const one = () => {
      const m = ring[seq++ & (RING - 1)];
      m.queueId = queueId;
      return m;
    };
    while (!stop) {
      // A lone producer resolves through microtasks only: check the clock and yield now and then.
      if ((++k & 1023) === 0) {
        if (Date.now() >= deadline) stop = true;
        await new Promise((r) => setImmediate(r));
      }
      const r = batch === 1 ? await store.putMessage(one()) : await store.putMessages(Array.from({ length: batch }, one));
      if (r.status === 'PUT_OK') { count += batch; bytes += size * batch; } else failed += batch;
    }
  }
  const t0 = process.hrtime.bigint();
  const timer = setTimeout(() => { stop = true; }, seconds * 1000);
  await Promise.all(Array.from({ length: producers }, (_, i) => producer(i)));
  clearTimeout(timer);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await store.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
  return { size, flush, producers, batch, msgPerSec: count / secs, mbPerSec: bytes / secs / 1e6, failed };
}

const cases = [];
for (const flush of ['ASYNC_FLUSH', 'SYNC_FLUSH']) {
  for (const size of [100, 1024]) {
    for (const producers of [1, 64]) cases.push({ size, flush, producers });
  }
}
cases.push({ size: 100, flush: 'ASYNC_FLUSH', producers: 8, batch: 32 }, { size: 1024, flush: 'ASYNC_FLUSH', producers: 8, batch: 32 });
/** The disk's single-fsync rate now (it drifts on a shared box: measured again next to every SYNC case). */
function probeFsync() {
  const probeDir = fs.mkdtempSync(path.join(baseDir, 'mqctl-bench-fsync-'));
  try {
    return fsyncRate(probeDir);
  } finally {
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
}
console.log(`single fsync rate (4 KiB write + fdatasync): ${probeFsync().toFixed(0)} /s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| flush | body | producers | msg/s | MB/s (body) | failed |');
console.log('|---|---|---|---|---|---|');
for (const c of cases) {
  const before = c.flush === 'SYNC_FLUSH' && c.producers === 64 ? probeFsync() : 0;
  const r = await runCase(c);
  console.log(`| ${r.flush} | ${r.size} B | ${r.producers}${r.batch > 1 ? ` × ${r.batch}` : ''} | ${Math.round(r.msgPerSec).toLocaleString('en-US')} | ${r.mbPerSec.toFixed(1)} | ${r.failed} |`);
  if (before) {
    // the probe on both sides of the run, averaged: the same disk at the same time
    const fsyncPerSec = (before + probeFsync()) / 2;
    console.log(`|  | sync/64 vs single fsync (${fsyncPerSec.toFixed(0)} /s around this run) | | ${(r.msgPerSec / fsyncPerSec).toFixed(1)}× | | |`);
  }
}
