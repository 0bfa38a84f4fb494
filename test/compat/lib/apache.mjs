// Apache RocketMQ from the jars Maven copied into test/compat/target/lib-<line>/: our Java programs, mqadmin,
// and an Apache namesrv + broker on free ports with a temporary store.
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { freePort, run, startDaemon, stopDaemon, trackChild, waitPorts } from './proc.mjs';

export const COMPAT_DIR = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/** The two lines under test: directory suffix, version of the client jar, version of the server jars. */
export const LINES = {
  4: { id: '4', label: '4.9' },
  5: { id: '5', label: '5.x' },
};

export function libDir(line) {
  return join(COMPAT_DIR, 'target', `lib-${line}`);
}

/** Versions read from the jar names Maven copied (e.g. rocketmq-client-4.9.8.jar). */
export function jarVersion(line, artifact) {
  try {
    const re = new RegExp(`^${artifact}-(\\d[^/]*)\\.jar$`);
    for (const f of readdirSync(libDir(line))) {
      const m = re.exec(f);
      if (m) return m[1];
    }
  } catch { /* not built */ }
  return '?';
}

export function lineBuilt(line) {
  return existsSync(join(libDir(line), 'mqctl-compat.jar'));
}

/**
 * RocketMQ 4.9 reaches into JDK internals through reflection to unmap commit log files (DirectByteBuffer's
 * cleaner/attachment); on Java 17 that needs these opens or the broker's shutdown hook dies and leaves the
 * abort file. 5.x runs without them; they are harmless there.
 */
export const ADD_OPENS = [
  '--add-opens', 'java.base/java.nio=ALL-UNNAMED',
  '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens', 'java.base/jdk.internal.ref=ALL-UNNAMED',
  '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
];

/** 4.9 servers and tools want $ROCKETMQ_HOME/conf/logback_<name>.xml; 5.x carries its own. */
export function makeRocketmqHome(dir) {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  for (const n of ['namesrv', 'broker', 'tools']) {
    writeFileSync(join(dir, 'conf', `logback_${n}.xml`), `<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>\${user.home}/logs/rocketmqlogs/${n}.log</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5p %c{0} - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
`);
  }
  return dir;
}

function clientJvm(work) {
  return [
    '-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto',
    `-Duser.home=${work}`,
    `-Drocketmq.client.logRoot=${join(work, 'logs')}`,
    `-Drocketmq.client.localOffsetStoreDir=${join(work, 'offsets')}`,
    ...ADD_OPENS,
  ];
}

/** The last stdout line that is one of our programs' JSON summaries, parsed; null when there is none. */
export function summaryOf(stdout) {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{"program"'));
  if (lines.length === 0) return null;
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return null;
  }
}

/** Runs one of our programs (Producer, PushConsumer, LitePullConsumer) with the given line's client jars. */
export async function javaProgram(env, line, program, args, { timeoutMs = 90_000, owner } = {}) {
  const r = await run('java', [...clientJvm(env.clientHome), '-cp', `${libDir(line)}/*`, `mqctl.compat.${program}`, ...args],
    { timeoutMs, owner, env: { ROCKETMQ_HOME: env.rocketmqHome } });
  const summary = summaryOf(r.stdout);
  if (!summary) {
    const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${program} printed no summary (exit ${r.code}${r.timedOut ? ', killed at time limit' : ''}): ${tail.slice(0, 300)}`);
  }
  return summary;
}

/** Noise the 5.x shaded logback prints on stdout at start-up. */
function dropLogbackNoise(text) {
  return text.split('\n').filter((l) => !/^\d\d:\d\d:\d\d,\d{3} \|-/.test(l) && !/^\d\d:\d\d:\d\d\.\d{3} \[[^\]]+\] (INFO|WARN|DEBUG) /.test(l)).join('\n').replace(/^\n+/, '');
}

/**
 * One long-lived JVM per line running mqadmin commands (AdminShell.java): a JVM start costs seconds on a busy
 * 2-core box, a command in a warm JVM well under one. Requests are serialised; a command that outlives its time
 * limit kills the shell, and the next request starts a fresh one.
 */
class AdminShell {
  constructor(env, line) {
    this.env = env;
    this.line = line;
    this.child = null;
    this.queue = Promise.resolve();
  }

  spawnShell() {
    const child = spawn('java', [...clientJvm(this.env.clientHome), '-cp', `${libDir(this.line)}/*`, 'mqctl.compat.AdminShell'],
      { env: { ...process.env, ROCKETMQ_HOME: this.env.rocketmqHome }, stdio: ['pipe', 'pipe', 'pipe'] });
    trackChild(child);
    child.buf = '';
    child.waiters = [];
    child.stdout.on('data', (d) => {
      child.buf += d.toString('utf8');
      let i;
      while ((i = child.buf.indexOf(END)) >= 0) {
        const text = child.buf.slice(0, i);
        child.buf = child.buf.slice(i + END.length);
        const w = child.waiters.shift();
        if (w) w(text);
      }
    });
    child.stderr.on('data', () => {});
    child.stdin.on('error', () => {});
    child.on('close', () => {
      for (const w of child.waiters.splice(0)) w(null);
      if (this.child === child) this.child = null;
    });
    // The first block is the READY banner.
    child.ready = new Promise((resolve) => child.waiters.push(resolve));
    this.child = child;
    return child;
  }

  exec(args, timeoutMs) {
    const job = this.queue.then(() => this.execNow(args, timeoutMs));
    this.queue = job.catch(() => {});
    return job;
  }

  async execNow(args, timeoutMs) {
    const started = Date.now();
    const child = this.child || this.spawnShell();
    let timer;
    const limit = new Promise((resolve) => { timer = setTimeout(() => resolve(undefined), timeoutMs); });
    const ready = await Promise.race([child.ready, limit]);
    if (ready === undefined || ready === null) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      return { code: -1, stdout: '', stderr: 'mqadmin shell did not start', timedOut: ready === undefined, ms: Date.now() - started };
    }
    const out = new Promise((resolve) => child.waiters.push(resolve));
    child.stdin.write(`${args.join('\t')}\n`);
    const text = await Promise.race([out, limit]);
    clearTimeout(timer);
    if (text === undefined) {
      child.kill('SIGKILL');
      return { code: -1, stdout: '', stderr: '', timedOut: true, ms: Date.now() - started };
    }
    if (text === null) return { code: -1, stdout: '', stderr: 'mqadmin shell died', timedOut: false, ms: Date.now() - started };
    return { code: 0, stdout: text, stderr: '', timedOut: false, ms: Date.now() - started };
  }
}

const END = '\u0001END\n';
const shells = new Map();

/** Apache's mqadmin (tools jar). It exits 0 even on failure, so callers judge by output (r.failure). */
export async function mqadmin(env, line, args, { timeoutMs = 60_000 } = {}) {
  if (!shells.has(line)) shells.set(line, new AdminShell(env, line));
  const r = await shells.get(line).exec(args, timeoutMs);
  r.stdout = dropLogbackNoise(r.stdout);
  const all = `${r.stdout}\n${r.stderr}`;
  // A failed command prints a Java stack trace (and mqadmin still exits 0).
  const m = /([\w.$]+Exception)(?::[ \t]*([^\n]*))?\n\s+at /.exec(all);
  r.failure = r.timedOut ? 'killed at time limit' : r.code !== 0 ? r.stderr : m ? `${m[1].split('.').pop()}: ${(m[2] || '').slice(0, 200)}` : null;
  return r;
}

/** Polls GET_ROUTEINFO_BY_TOPIC on a namesrv until the topic has a route (our remoting client, from dist/). */
async function waitForRoute(nsAddr, topic, timeoutMs) {
  const dist = new URL('../../../dist/', import.meta.url);
  const { RemotingClient } = await import(new URL('remoting/client.js', dist).href);
  const { RemotingCommand } = await import(new URL('remoting/command.js', dist).href);
  const client = new RemotingClient();
  const until = Date.now() + timeoutMs;
  let last = '';
  try {
    while (Date.now() < until) {
      try {
        const r = await client.invoke(nsAddr, RemotingCommand.createRequest(105, { topic }), 3000);
        if (r.code === 0) return;
        last = `code ${r.code} ${r.remark ?? ''}`;
      } catch (e) {
        last = e.message;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    client.close();
  }
  throw new Error(`no route for ${topic} on ${nsAddr} within ${timeoutMs} ms (${last})`);
}

/**
 * Starts an Apache namesrv and broker of the given line on free ports with a temporary store.
 * Returns { nsAddr, brokerAddr, brokerName, cluster, storeDir, stop(): Promise<boolean clean> }.
 */
export async function startApache(env, line, dir) {
  mkdirSync(dir, { recursive: true });
  const home = env.rocketmqHome;
  const nsPort = await freePort([0]);
  const brokerPort = await freePort([0, -2, 1]);
  const storeDir = join(dir, 'store');
  // bindAddress keeps 5.x on loopback (4.9 ignores the key and binds the wildcard address).
  writeFileSync(join(dir, 'namesrv.conf'), `listenPort=${nsPort}\nbindAddress=127.0.0.1\n`);
  writeFileSync(join(dir, 'broker.conf'), [
    'brokerClusterName=DefaultCluster',
    'brokerName=broker-a',
    'brokerId=0',
    `listenPort=${brokerPort}`,
    'bindAddress=127.0.0.1',
    `namesrvAddr=127.0.0.1:${nsPort}`,
    'brokerIP1=127.0.0.1',
    `storePathRootDir=${storeDir}`,
    `storePathCommitLog=${join(storeDir, 'commitlog')}`,
    'mappedFileSizeCommitLog=67108864',
    'mappedFileSizeConsumeQueue=300000',
    'autoCreateTopicEnable=true',
    'autoCreateSubscriptionGroup=true',
    'flushDiskType=ASYNC_FLUSH',
    'brokerRole=ASYNC_MASTER',
    // Check-back for transactional messages within seconds instead of a minute.
    'transactionCheckInterval=3000',
    'transactionTimeOut=2000',
    '',
  ].join('\n'));
  const jvm = ['-Xms256m', '-Xmx512m', `-Duser.home=${dir}`, ...ADD_OPENS, '-cp', `${libDir(line)}/*`];
  const nsLog = join(dir, 'namesrv.out');
  const brokerLog = join(dir, 'broker.out');
  const tail = (f) => () => {
    try {
      return readFileSync(f, 'utf8').split('\n').filter((l) => l && !/\|-(INFO|WARN)/.test(l)).slice(-3).join(' | ').slice(0, 400);
    } catch { return ''; }
  };
  const started = Date.now();
  const ns = startDaemon('java', [...jvm, 'org.apache.rocketmq.namesrv.NamesrvStartup', '-c', join(dir, 'namesrv.conf')],
    { env: { ROCKETMQ_HOME: home }, logFile: nsLog });
  const broker = startDaemon('java', [...jvm, 'org.apache.rocketmq.broker.BrokerStartup', '-c', join(dir, 'broker.conf')],
    { env: { ROCKETMQ_HOME: home }, logFile: brokerLog });
  const stopAll = async () => {
    const clean = await stopDaemon(broker, 30_000);
    await stopDaemon(ns, 10_000);
    return clean;
  };
  try {
    await waitPorts(ns, [nsPort], 60_000, tail(nsLog));
    await waitPorts(broker, [brokerPort], 90_000, tail(brokerLog));
    const deadline = Date.now() + 30_000;
    while (!/boot success/.test(readFileSync(brokerLog, 'utf8')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    // "boot success" can come before the broker's first registration (5.x schedules it); clients started
    // before it get "No route info". Wait until the namesrv routes TBW102 (the auto-create template).
    await waitForRoute(`127.0.0.1:${nsPort}`, 'TBW102', 60_000);
  } catch (err) {
    await stopAll();
    throw err;
  }
  return {
    nsAddr: `127.0.0.1:${nsPort}`,
    brokerAddr: `127.0.0.1:${brokerPort}`,
    brokerName: 'broker-a',
    cluster: 'DefaultCluster',
    storeDir,
    startMs: Date.now() - started,
    pids: { namesrv: ns.pid, broker: broker.pid },
    stop: stopAll,
  };
}
