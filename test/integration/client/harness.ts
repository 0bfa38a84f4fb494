// Starts our standalone name server + broker as a child process (`mqctl start`) on free ports with a temporary
// store, for the client integration tests. Needs a build (`npm run build`; `npm test` does it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'mqctl.js');

export interface TestBroker {
  namesrv: string;
  broker: string;
  storeDir: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * CLIENT_IT_NAMESRV=host:port runs the same tests against an already running cluster (e.g. Apache RocketMQ
 * started by hand as test/compat/README.md shows); nothing is started or stopped then.
 */
export async function startTestBroker(timeoutMs = 30_000): Promise<TestBroker> {
  const external = process.env.CLIENT_IT_NAMESRV;
  if (external) {
    const storeDir = mkdtempSync(join(tmpdir(), 'mqctl-client-it-'));
    return {
      namesrv: external, broker: '', storeDir, proc: null as unknown as ChildProcess, output: () => '',
      async stop() {
        rmSync(storeDir, { recursive: true, force: true });
      },
    };
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` first');
  const storeDir = mkdtempSync(join(tmpdir(), 'mqctl-client-it-'));
  const home = mkdtempSync(join(tmpdir(), 'mqctl-client-home-'));
  const proc = spawn(process.execPath, [BIN, 'start', '--namesrv-port', '0', '--port', '0', '--store-dir', storeDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MQCTL_HOME: home, NO_COLOR: '1' },
  });
  let out = '';
  const ready = new Promise<{ namesrv: string; broker: string }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`broker not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /standalone ready: namesrv (\S+), broker (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ namesrv: m[1], broker: m[2] });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`broker exited with ${code}:\n${out}`));
    });
  });
  const addrs = await ready;
  return {
    ...addrs,
    storeDir,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(storeDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `cond` every 50 ms until true or `ms` passed. */
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
