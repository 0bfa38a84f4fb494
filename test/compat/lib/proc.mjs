// Child processes, ports and servers for the compat runner: every process it starts is tracked so a cell that
// runs out of time, or the runner itself, can end exactly what it started.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';

const live = new Set();

/** Runs a command to completion; never rejects. Output is capped so a chatty JVM cannot exhaust memory. */
export function run(cmd, args, { timeoutMs = 60_000, env, cwd, input, owner } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    let child;
    try {
      child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: -1, stdout: '', stderr: String(err), timedOut: false, ms: 0 });
      return;
    }
    live.add(child);
    owner?.add(child);
    const out = [];
    const err = [];
    let outLen = 0;
    let errLen = 0;
    const CAP = 8 * 1024 * 1024;
    child.stdout.on('data', (d) => { if (outLen < CAP) { out.push(d); outLen += d.length; } });
    child.stderr.on('data', (d) => { if (errLen < CAP) { err.push(d); errLen += d.length; } });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      owner?.delete(child);
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        ms: Date.now() - started,
      });
    });
  });
}

/** Starts a long-running server with its output in a log file. */
export function startDaemon(cmd, args, { env, cwd, logFile }) {
  const log = createWriteStream(logFile);
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.exited = new Promise((resolve) => child.on('close', (code, signal) => {
    live.delete(child);
    resolve({ code, signal });
  }));
  child.on('error', () => {});
  return child;
}

/** SIGTERM, then SIGKILL after graceMs. Resolves true when it left on its own. */
export async function stopDaemon(child, graceMs = 20_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return true;
  child.kill('SIGTERM');
  const clean = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!clean) {
    child.kill('SIGKILL');
    await child.exited;
  }
  return clean;
}

/** Registers a child started elsewhere so killAll ends it too. */
export function trackChild(child) {
  live.add(child);
  child.on('close', () => live.delete(child));
}

export function killAll() {
  for (const c of live) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function canConnect(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

const taken = new Set();

/**
 * A port p such that p+d is free for every d in offsets (a RocketMQ broker also binds listenPort-2 for its
 * VIP channel and listenPort+1 for HA).
 */
export async function freePort(offsets = [0]) {
  for (let attempt = 0; attempt < 200; attempt++) {
    // Below Linux's ephemeral range (32768+), so an outgoing connection cannot be holding the port when the
    // server binds it a moment later.
    const p = 12000 + Math.floor(Math.random() * 20000);
    if (offsets.some((d) => taken.has(p + d))) continue;
    let ok = true;
    for (const d of offsets) {
      if (!(await portFree(p + d))) { ok = false; break; }
    }
    if (ok) {
      for (const d of offsets) taken.add(p + d);
      return p;
    }
  }
  throw new Error('no free port found');
}

/** Polls until every port accepts a connection (and the process is alive), or throws. */
export async function waitPorts(child, ports, timeoutMs, logTail) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.exitCode ?? child.signalCode} before listening: ${logTail()}`);
    }
    let all = true;
    for (const p of ports) {
      if (!(await canConnect(p))) { all = false; break; }
    }
    if (all) return;
    await sleep(200);
  }
  throw new Error(`not listening on ${ports.join(', ')} after ${timeoutMs} ms: ${logTail()}`);
}
