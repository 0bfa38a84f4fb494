// Side-by-side benchmark (figures, never assertions): `node test/bench/compare.mjs` after `npm run build` and a
// Maven build of test/compat (`npm run test:compat` does both; or `cd test/compat && mvn -q -B package`).
//
// The same client (`mqctl bench produce` and `mqctl bench e2e`, same flags) against
//   - our standalone (`mqctl start`, one Node process), and
//   - Apache RocketMQ namesrv + broker started from the jars in test/compat/target/lib-<line>/ (-Xmx512m).
// Measures start time (spawn → both ports answering), idle RSS (VmRSS from /proc/<pid>/status, 3 s after
// start), loaded RSS (peak VmRSS sampled during the runs), send msg/s, send p99, e2e p99. Writes the table into
// test/compat/README.md between the bench markers and prints it.
// Env: BENCH_DURATION (default 10s), BENCH_SIZE (1024), BENCH_CLIENTS (4), BENCH_INFLIGHT (32),
//      COMPAT_APACHE_LINE (5; 4 for the 4.9 servers).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPAT_DIR, jarVersion, lineBuilt, makeRocketmqHome, startApache } from '../compat/lib/apache.mjs';
import { mqctl, mqctlFailure, startOurs } from '../compat/lib/ours.mjs';
import { killAll, sleep } from '../compat/lib/proc.mjs';

const DURATION = process.env.BENCH_DURATION || '10s';
const SIZE = process.env.BENCH_SIZE || '1024';
const CLIENTS = process.env.BENCH_CLIENTS || '4';
const INFLIGHT = process.env.BENCH_INFLIGHT || '32';
const LINE = process.env.COMPAT_APACHE_LINE === '4' ? '4' : '5';
const WORK = join(COMPAT_DIR, '.work', 'bench');
const README = join(COMPAT_DIR, 'README.md');
const START_MARK = '<!-- bench:start -->';
const END_MARK = '<!-- bench:end -->';

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Peak summed RSS of the given pids, sampled every 200 ms until stop() is called. */
function sampleRss(pids) {
  let peak = 0;
  const t = setInterval(() => {
    const sum = pids.reduce((s, p) => s + (rssMb(p) || 0), 0);
    if (sum > peak) peak = sum;
  }, 200);
  return () => { clearInterval(t); return peak; };
}

function pick(doc, ...paths) {
  for (const p of paths) {
    let v = doc;
    for (const k of p.split('.')) v = v == null ? undefined : v[k];
    if (typeof v === 'number') return v;
  }
  return NaN;
}

async function bench(kind, nsAddr) {
  const topic = `bench_${kind}_${Math.random().toString(36).slice(2, 8)}`;
  const r = await mqctl(['-n', nsAddr, '--json', 'bench', kind, '-t', topic, '--size', SIZE, '--clients', CLIENTS,
    '--inflight', INFLIGHT, '--duration', DURATION], { timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`mqctl bench ${kind}: ${mqctlFailure(r)}`);
  const lines = r.stdout.trim().split('\n').filter((l) => l.trim().startsWith('{'));
  if (!lines.length) throw new Error(`mqctl bench ${kind} --json printed no JSON`);
  const doc = JSON.parse(lines[lines.length - 1]);
  return { tps: pick(doc, 'tps'), p99: pick(doc, 'latency.p99', 'p99'), raw: doc };
}

async function measure(label, start) {
  const t = await start();
  await sleep(3000);
  const idle = t.pids.reduce((s, p) => s + rssMb(p), 0);
  const stopSampling = sampleRss(t.pids);
  let produce;
  let e2e;
  let error = '';
  try {
    produce = await bench('produce', t.nsAddr);
    e2e = await bench('e2e', t.nsAddr);
  } catch (err) {
    error = err.message;
  }
  const loaded = stopSampling();
  await t.stop();
  return { label, startMs: t.startMs, idle, loaded, produce, e2e, error };
}

const fmt = (v, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

function table(rows, ratioRow) {
  const head = '| server | start (ms) | idle RSS (MB) | loaded RSS (MB) | send msg/s | send p99 (ms) | e2e p99 (ms) |';
  const sep = '| --- | --- | --- | --- | --- | --- | --- |';
  const body = rows.map((r) => `| ${r.label} | ${fmt(r.startMs)} | ${fmt(r.idle, 1)} | ${fmt(r.loaded, 1)} | ${fmt(r.produce?.tps)} | ${fmt(r.produce?.p99, 2)} | ${fmt(r.e2e?.p99, 2)} |`);
  return [head, sep, ...body, ratioRow].filter(Boolean).join('\n');
}

async function main() {
  if (!existsSync(join(COMPAT_DIR, '..', '..', 'dist', 'cli', 'main.js'))) throw new Error('run `npm run build` first');
  if (!lineBuilt(LINE)) throw new Error(`test/compat/target/lib-${LINE} missing: run \`cd test/compat && mvn -q -B package\` first`);
  const help = await mqctl(['bench', '--help'], { timeoutMs: 20_000 });
  if (help.code !== 0 || !/Usage: mqctl bench/.test(help.stdout)) {
    throw new Error(`\`mqctl bench\` is not available yet (${mqctlFailure(help)}): nothing to compare`);
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const env = { rocketmqHome: makeRocketmqHome(join(WORK, 'rocketmq-home')), clientHome: join(WORK, 'client-home'), versions: {} };

  const ours = await measure('mqctl standalone (Node, 1 process)', async () => {
    const s = await startOurs(join(WORK, 'ours'), join(WORK, 'ours', 'store'));
    return { ...s, pids: [s.pid] };
  });
  const version = jarVersion(LINE, 'rocketmq-broker');
  const apache = await measure(`Apache RocketMQ ${version} namesrv + broker (2 JVMs, -Xmx512m)`, async () => {
    const s = await startApache(env, LINE, join(WORK, 'apache'));
    return { ...s, pids: [s.pids.namesrv, s.pids.broker] };
  });
  const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
  const ratioRow = `| ratio ours / Apache | ${ratio(ours.startMs, apache.startMs)} | ${ratio(ours.idle, apache.idle)} | ${ratio(ours.loaded, apache.loaded)} | ${ratio(ours.produce?.tps, apache.produce?.tps)} | ${ratio(ours.produce?.p99, apache.produce?.p99)} | ${ratio(ours.e2e?.p99, apache.e2e?.p99)} |`;
  const md = [
    START_MARK,
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`node test/bench/compare.mjs\` on this machine (${(await import('node:os')).cpus().length} cores):`,
    `\`mqctl bench produce|e2e --size ${SIZE} --clients ${CLIENTS} --inflight ${INFLIGHT} --duration ${DURATION}\` against each server in turn.`,
    '',
    table([ours, apache], ratioRow),
    '',
    ...[ours, apache].filter((r) => r.error).map((r) => `- ${r.label}: ${r.error}`),
    END_MARK,
  ].join('\n');
  process.stdout.write(`${md}\n`);
  const readme = existsSync(README) ? readFileSync(README, 'utf8') : '';
  const i = readme.indexOf(START_MARK);
  const j = readme.indexOf(END_MARK);
  const next = i >= 0 && j > i ? readme.slice(0, i) + md + readme.slice(j + END_MARK.length) : `${readme.trimEnd()}\n\n## Side-by-side benchmark\n\n${md}\n`;
  writeFileSync(README, next);
}

main().then(() => { killAll(); process.exit(0); }).catch((err) => {
  process.stderr.write(`bench compare: ${err.message}\n`);
  killAll();
  process.exit(1);
});
