// mqctl (ours): the standalone namesrv + broker and the CLI, run as child processes from the repository root.
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, run, startDaemon, stopDaemon, waitPorts } from './proc.mjs';

export const ROOT = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');
const BIN = join(ROOT, 'bin', 'mqctl.js');

/** Runs `node bin/mqctl.js ...args`. */
export function mqctl(args, { timeoutMs = 60_000, owner, input, env } = {}) {
  return run(process.execPath, [BIN, ...args], { cwd: ROOT, timeoutMs, owner, input, env: { NO_COLOR: '1', ...env } });
}

/** One-line reason for a failed mqctl invocation: exit code and the first meaningful stderr line. */
export function mqctlFailure(r) {
  if (r.timedOut) return `mqctl killed at time limit (${r.ms} ms)`;
  const line = (r.stderr || r.stdout).split('\n').map((l) => l.trim()).find((l) => l.length > 0) || '';
  return `mqctl exit ${r.code}: ${line.slice(0, 240)}`;
}

/** Parses `--json` output: one JSON document, or one object per line. */
export function parseJsonOutput(stdout) {
  const text = stdout.trim();
  if (!text) throw new Error('empty --json output');
  try {
    return JSON.parse(text);
  } catch {
    const out = [];
    for (const line of text.split('\n')) {
      const l = line.trim();
      if (!l) continue;
      try {
        out.push(JSON.parse(l));
      } catch {
        throw new Error(`--json output is not JSON: ${l.slice(0, 160)}`);
      }
    }
    return out;
  }
}

/** Every scalar value anywhere in a JSON document, as strings (field names are not assumed). */
export function scalars(doc, acc = new Set()) {
  if (doc === null || doc === undefined) return acc;
  if (Array.isArray(doc)) {
    for (const v of doc) scalars(v, acc);
  } else if (typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      acc.add(k);
      scalars(v, acc);
    }
  } else {
    acc.add(String(doc));
  }
  return acc;
}

/**
 * Starts `mqctl start --namesrv-port P --port Q --store-dir DIR [-c conf]`. Throws with the cause when it does not
 * come up; returns { nsAddr, brokerAddr, pid, startMs, stop() }.
 */
export async function startOurs(dir, storeDir, { brokerConf } = {}) {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js missing: `npm run build` did not produce the CLI');
  mkdirSync(dir, { recursive: true });
  const nsPort = await freePort([0]);
  const brokerPort = await freePort([0, -2, 1]);
  const log = join(dir, 'mqctl-start.out');
  const args = [BIN, 'start', '--namesrv-port', String(nsPort), '--port', String(brokerPort), '--store-dir', storeDir];
  if (brokerConf) args.push('-c', brokerConf);
  const started = Date.now();
  const child = startDaemon(process.execPath, args, { cwd: ROOT, env: { NO_COLOR: '1', MQCTL_HOME: join(dir, 'home') }, logFile: log });
  const tail = () => {
    try {
      return readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' | ').slice(0, 400);
    } catch { return ''; }
  };
  try {
    await waitPorts(child, [nsPort, brokerPort], 30_000, tail);
  } catch (err) {
    await stopDaemon(child, 2_000);
    throw new Error(`\`mqctl start\` did not serve: ${err.message}`);
  }
  const startMs = Date.now() - started;
  return {
    nsAddr: `127.0.0.1:${nsPort}`,
    brokerAddr: `127.0.0.1:${brokerPort}`,
    pid: child.pid,
    startMs,
    logTail: tail,
    stop: () => stopDaemon(child, 15_000),
  };
}

/**
 * `mqctl start namesrv` + `mqctl start broker -c <conf>` as two processes: the way to open a store that another
 * broker wrote, with that broker's own broker.conf (segment sizes, names), paths and ports rewritten.
 */
export async function startOursSplit(dir, storeDir, confText) {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js missing: `npm run build` did not produce the CLI');
  mkdirSync(dir, { recursive: true });
  const nsPort = await freePort([0]);
  const brokerPort = await freePort([0, -2, 1]);
  const drop = /^(listenPort|namesrvAddr|storePathRootDir|storePathCommitLog|bindAddress)=/;
  const conf = [
    ...confText.split('\n').filter((l) => l.trim() && !drop.test(l)),
    `listenPort=${brokerPort}`,
    `namesrvAddr=127.0.0.1:${nsPort}`,
    `storePathRootDir=${storeDir}`,
    `storePathCommitLog=${join(storeDir, 'commitlog')}`,
    '',
  ].join('\n');
  const confFile = join(dir, 'broker.conf');
  writeFileSync(confFile, conf);
  const env = { NO_COLOR: '1', MQCTL_HOME: join(dir, 'home') };
  const nsLog = join(dir, 'namesrv.out');
  const brokerLog = join(dir, 'broker.out');
  const tail = (f) => () => {
    try { return readFileSync(f, 'utf8').trim().split('\n').slice(-3).join(' | ').slice(0, 400); } catch { return ''; }
  };
  const started = Date.now();
  const ns = startDaemon(process.execPath, [BIN, 'start', 'namesrv', '--port', String(nsPort)], { cwd: ROOT, env, logFile: nsLog });
  const broker = startDaemon(process.execPath, [BIN, 'start', 'broker', '-c', confFile, '--listen', '127.0.0.1'], { cwd: ROOT, env, logFile: brokerLog });
  const stop = async () => {
    const clean = await stopDaemon(broker, 15_000);
    await stopDaemon(ns, 5_000);
    return clean;
  };
  try {
    await waitPorts(ns, [nsPort], 30_000, tail(nsLog));
    await waitPorts(broker, [brokerPort], 60_000, tail(brokerLog));
  } catch (err) {
    await stop();
    throw new Error(`\`mqctl start namesrv\` + \`mqctl start broker -c\` did not serve: ${err.message}`);
  }
  return { nsAddr: `127.0.0.1:${nsPort}`, brokerAddr: `127.0.0.1:${brokerPort}`, startMs: Date.now() - started, stop };
}

/** Whether `mqctl <words> --help` knows the given option (feature detection for optional flags). */
export async function helpMentions(words, option) {
  const r = await mqctl([...words, '--help'], { timeoutMs: 20_000 });
  return r.code === 0 && r.stdout.includes(option);
}

/**
 * Waits until the name server at `nsAddr` gives a route for `topic` (the broker's registration reached it), or
 * `ms` pass. A fixed pause was too short on a loaded 2-core CI machine: the client then found no queue.
 */
export async function waitForRoute(nsAddr, topic, { ms = 20_000, owner } = {}) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await mqctl(['-n', nsAddr, '--json', 'topic', 'route', '-t', topic], { owner, timeoutMs: 15_000 });
    if (r.code === 0 && /"queueDatas"\s*:\s*\[\s*\{/.test(r.stdout)) return;
    if (Date.now() > end) throw new Error(`no route for ${topic} after ${ms} ms: ${mqctlFailure(r)}`);
    await new Promise((res) => setTimeout(res, 300));
  }
}
