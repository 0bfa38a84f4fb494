// The machine's latency floor (`npm run bench -- floor`): a figure, never a test. No mqctl code runs here.
//
// Why: the broker bench's p99 target (≤ 5 ms at half the throughput) sits near what this project's VM allows on a
// given day. This bench does the same work per message as the broker bench's paced phase, with everything
// RocketMQ removed, so that a broker p99 can be read against what any server would get on the box that day:
//  - a child process echoes 1 KB messages over loopback TCP, appends each to a file with a positional write on its
//    event loop and fdatasyncs that file every 500 ms on the thread pool (the broker's async flush);
//  - the client sends them paced (every millisecond, what is due), latency from the moment a message is sent;
//  - both sides burn CPU per message so that each uses the CPU per message given (the broker bench's measured
//    figures): a short calibration run measures what the echo and the client cost by themselves, and the
//    difference is spun (wall-clock spin: time the process is preempted counts, so it is a lower bound on load).
// Options: FLOOR_RATE (msg/s, default 25000), FLOOR_SECONDS (10), FLOOR_RUNS (3), FLOOR_SERVER_US and
// FLOOR_CLIENT_US (CPU µs per message to reach, default 18 and 12), FLOOR_DISK (0: no file writes).
// The broker bench runs it with its own rate and CPU figures (`floor` in its output).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, pct } from './lib/stats.mjs';

const SIZE = 1024;
const self = fileURLToPath(import.meta.url);

/** Busy-waits `us` microseconds. */
function spin(us) {
  if (us <= 0) return;
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

/** The echo side (child process): echoes whole messages, writes them to `file`, fdatasync every 500 ms. */
function serve() {
  let spinUs = 0;
  let fd = -1;
  let pos = 0;
  let flushing = false;
  const file = process.env.FLOOR_FILE;
  if (file) {
    fd = fs.openSync(file, 'w');
    setInterval(() => {
      if (flushing) return;
      flushing = true;
      fs.fdatasync(fd, () => (flushing = false));
    }, 500).unref();
  }
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    let carry = 0; // bytes of a message split across reads
    s.on('data', (d) => {
      const whole = Math.floor((carry + d.length) / SIZE);
      carry = (carry + d.length) % SIZE;
      spin(spinUs * whole);
      if (fd >= 0) {
        fs.writeSync(fd, d, 0, d.length, pos);
        pos += d.length;
      }
      s.write(d);
    });
  });
  process.on('message', (m) => {
    if (m.spinUs !== undefined) spinUs = m.spinUs;
    const u = process.cpuUsage();
    process.send({ cpuUs: u.user + u.system }); // every message is answered: the sender waits for it
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
}

/**
 * Runs the floor: calibration, then `runs` paced runs of `seconds` at `rate`.
 * @returns {{ rate, serverUs, clientUs, disk, runs: { p50Ms, p99Ms, p999Ms, maxMs, serverUsPerMsg, clientUsPerMsg }[], p99MsMedian }}
 */
export async function runFloor({ rate = 25000, seconds = 10, runs = 3, serverUs = 18, clientUs = 12, disk = true } = {}) {
  const dir = disk ? fs.mkdtempSync(path.join(tmpdir(), 'mqctl-bench-floor-')) : null;
  const child = fork(self, ['serve'], { env: { ...process.env, FLOOR_FILE: dir ? path.join(dir, 'data') : '' } });
  const ask = (m) => new Promise((res) => {
    child.once('message', res);
    child.send(m);
  });
  try {
    const { port } = await new Promise((res) => child.once('message', res));
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((res, rej) => sock.once('connect', res).once('error', rej));
    sock.setNoDelay(true);
    const msg = Buffer.alloc(SIZE, 0x61);
    let clientSpin = 0;
    let starts = new Float64Array(0);
    let lat = new Float64Array(0);
    let head = 0;
    let carry = 0;
    sock.on('data', (d) => {
      const whole = Math.floor((carry + d.length) / SIZE);
      carry = (carry + d.length) % SIZE;
      const now = performance.now();
      for (let i = 0; i < whole; i++, head++) lat[head] = now - starts[head];
      spin(clientSpin * whole);
    });

    const paced = async (secs) => {
      const total = Math.floor(rate * secs);
      starts = new Float64Array(total);
      lat = new Float64Array(total);
      head = 0;
      const c0 = (await ask({ cpu: true })).cpuUs;
      const own0 = process.cpuUsage();
      const t0 = performance.now();
      let sent = 0;
      while (sent < total) {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
        if (due > sent) {
          const now = performance.now();
          for (let i = sent; i < due; i++) starts[i] = now;
          sock.write(due - sent === 1 ? msg : Buffer.concat(new Array(due - sent).fill(msg)));
          sent = due;
        }
        await new Promise((r) => setTimeout(r, 1));
      }
      const drainBy = performance.now() + 30_000;
      while (head < total) {
        if (child.exitCode !== null || performance.now() > drainBy) throw new Error(`floor: ${total - head} echoes missing (echo process ${child.exitCode !== null ? 'exited' : 'stalled'})`);
        await new Promise((r) => setTimeout(r, 5));
      }
      const own = process.cpuUsage(own0);
      const c1 = (await ask({ cpu: true })).cpuUs;
      const sorted = lat.slice().sort();
      return {
        p50Ms: +pct(sorted, 50).toFixed(2), p99Ms: +pct(sorted, 99).toFixed(2), p999Ms: +pct(sorted, 99.9).toFixed(2),
        maxMs: +sorted[total - 1].toFixed(2),
        serverUsPerMsg: +((c1 - c0) / total).toFixed(1), clientUsPerMsg: +((own.user + own.system) / total).toFixed(1),
      };
    };

    // calibration: what echoing (and writing) a message costs each side by itself, once both are warm
    await paced(1);
    const base = await paced(2);
    const serverSpin = Math.max(0, serverUs - base.serverUsPerMsg);
    clientSpin = Math.max(0, clientUs - base.clientUsPerMsg);
    await ask({ spinUs: serverSpin });
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await paced(seconds));
    sock.destroy();
    return { rate, serverUs, clientUs, disk, calibration: base, runs: results, p99MsMedian: median(results.map((r) => r.p99Ms)) };
  } finally {
    child.kill();
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'serve') {
  serve();
} else if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await runFloor({
    rate: Number(process.env.FLOOR_RATE ?? 25000),
    seconds: Number(process.env.FLOOR_SECONDS ?? 10),
    runs: Math.max(1, Number(process.env.FLOOR_RUNS ?? 3)),
    serverUs: Number(process.env.FLOOR_SERVER_US ?? 18),
    clientUs: Number(process.env.FLOOR_CLIENT_US ?? 12),
    disk: process.env.FLOOR_DISK !== '0',
  });
  console.log(JSON.stringify({ bench: 'floor', node: process.version, ...result }, null, 2));
}
