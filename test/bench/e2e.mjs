// Client benchmark (`npm run bench -- e2e`): a figure, never a test.
// Starts our standalone broker (`mqctl start`, fresh ports and store), then runs `mqctl bench produce` and
// `mqctl bench e2e` against it and prints throughput and latency percentiles.
// Options: BENCH_DURATION (default 10s), BENCH_SIZE (1024), BENCH_CLIENTS (4), BENCH_INFLIGHT (32).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'mqctl.js');
const DURATION = process.env.BENCH_DURATION || '10s';
const SIZE = process.env.BENCH_SIZE || '1024';
const CLIENTS = process.env.BENCH_CLIENTS || '4';
const INFLIGHT = process.env.BENCH_INFLIGHT || '32';

function mqctl(args, env) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const store = mkdtempSync(path.join(tmpdir(), 'mqctl-bench-e2e-'));
const home = mkdtempSync(path.join(tmpdir(), 'mqctl-bench-home-'));
const env = { ...process.env, MQCTL_HOME: home, NO_COLOR: '1' };
const broker = spawn(process.execPath, [BIN, 'start', '--namesrv-port', '0', '--port', '0', '--store-dir', store], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
const ns = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`broker not ready:\n${out}`)), 30_000);
  const on = (d) => {
    out += d;
    const m = /standalone ready: namesrv (\S+),/.exec(out);
    if (m) {
      clearTimeout(t);
      resolve(m[1]);
    }
  };
  broker.stdout.on('data', on);
  broker.stderr.on('data', on);
});

const fmt = (n, d = 2) => (typeof n === 'number' && Number.isFinite(n) ? n.toFixed(d) : 'n/a');
try {
  for (const kind of ['produce', 'e2e']) {
    const topic = `bench_${kind}_${Date.now().toString(36)}`;
    const r = await mqctl(['-n', ns, '--json', 'bench', kind, '-t', topic, '--size', SIZE, '--clients', CLIENTS, '--inflight', INFLIGHT, '--duration', DURATION], env);
    if (r.code !== 0) {
      process.stdout.write(`${kind}: failed (${r.code}): ${r.stderr.trim()}\n`);
      continue;
    }
    const doc = JSON.parse(r.stdout.trim().split('\n').pop());
    const l = doc.latency;
    process.stdout.write(`${kind.padEnd(8)} ${Math.round(doc.tps)} msg/s  ${fmt(doc.mbps)} MB/s  p50 ${fmt(l.p50)} ms  p90 ${fmt(l.p90)} ms  p99 ${fmt(l.p99)} ms  p999 ${fmt(l.p999)} ms  max ${fmt(l.max)} ms` +
      `  (${DURATION}, ${SIZE} B, ${CLIENTS} clients x ${INFLIGHT} in flight${doc.sent !== undefined ? `, sent ${doc.sent}, received ${doc.messages}` : ''})\n`);
  }
} finally {
  broker.kill('SIGTERM');
  await new Promise((r) => broker.once('exit', r));
  rmSync(store, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
