// Runs our standalone broker as a child process (dist/ build) with chosen broker.conf keys, on ports picked
// free by the test so that a restart keeps the same addresses.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const RUNNER = join(ROOT, 'test', 'integration', 'messaging', 'broker-runner.mjs');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => res(port));
    });
  });
}

export interface ItBroker {
  namesrv: string;
  broker: string;
  storeDir: string;
  output(): string;
  /** SIGTERM and wait (graceful: offsets, delay progress persisted). */
  stop(): Promise<void>;
  /** Stop, then start again on the same ports and store. */
  restart(): Promise<void>;
  /** Stop and delete the store. */
  destroy(): Promise<void>;
}

export async function startItBroker(brokerConfig: Record<string, string | number | boolean>): Promise<ItBroker> {
  if (!existsSync(join(ROOT, 'dist', 'standalone.js'))) throw new Error('dist/ missing: run `npm run build` first');
  const storeDir = mkdtempSync(join(tmpdir(), 'mqctl-msg-it-'));
  const namesrvPort = await freePort();
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let out = '';
  const launch = async (): Promise<{ namesrv: string; broker: string }> => {
    const p = spawn(process.execPath, [RUNNER], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MQCTL_IT_CONFIG: JSON.stringify({ namesrvPort, port, storeDir, brokerConfig }) },
    });
    proc = p;
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`broker not ready:\n${out}`)), 30_000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /it-ready (\S+) (\S+)/.exec(out.slice(out.lastIndexOf('it-ready')));
        if (m) {
          clearTimeout(timer);
          res({ namesrv: m[1], broker: m[2] });
        }
      };
      p.stdout!.on('data', onData);
      p.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
      p.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`broker exited with ${code}:\n${out}`));
      });
    });
  };
  const stop = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  };
  const addrs = await launch();
  return {
    ...addrs,
    storeDir,
    output: () => out,
    stop,
    async restart() {
      await stop();
      out += '\n--- restart ---\n';
      await launch();
    },
    async destroy() {
      await stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(cond: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let seq = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${seq++}`;
}

/** Delay table for the tests: level 1 = 1 s, level 2 = 5 s (Apache's), levels 3..18 = 1 s so 16 retries are quick. */
export const TEST_DELAY_LEVELS = ['1s', '5s', ...Array.from({ length: 16 }, () => '1s')].join(' ');
