// Pieces every integration test area needs: the repo root and CLI entry, a free loopback port, polling,
// unique names, a seeded PRNG, a build of dist/ when it is stale, and a child process started until it prints
// a ready line.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'mqctl.js');

/** A port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => res(port));
    });
  });
}

/** Polls `cond` every 50 ms until true; throws when `ms` passed. */
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

/** mulberry32: small deterministic PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newestTsMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTsMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Make sure dist/ holds `outputs` (paths under the root) at least as new as the sources under `srcDirs` (`npm test`
 * builds first; a bare `npx vitest run` may not have). tsc still emits when files of other areas do not type-check.
 */
export function ensureBuilt(outputs: string[], srcDirs: string[] = ['src']): void {
  const srcNewest = Math.max(...srcDirs.map((d) => newestTsMtime(join(ROOT, d))));
  const fresh = (o: string): boolean => existsSync(join(ROOT, o)) && statSync(join(ROOT, o)).mtimeMs >= srcNewest;
  if (fresh(outputs[0]) && outputs.every((o) => existsSync(join(ROOT, o)))) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
  } catch {
    // type errors elsewhere in the tree do not stop emit; the existence check below decides
  }
  for (const o of outputs) if (!existsSync(join(ROOT, o))) throw new Error(`build failed: ${o} missing`);
}

export interface ReadyChild<T> {
  proc: ChildProcess;
  /** What the ready line said. */
  ready: T;
}

/**
 * Spawns `node args...` and resolves once `parse` finds the ready line in its output (stdout, and stderr too when
 * `readyOnStderr`); rejects when it exits first or `timeoutMs` passes. `sink` receives every chunk of output, and
 * `output` returns what the caller kept of it (for `parse` and error messages).
 */
export function spawnUntilReady<T>(opts: {
  what: string;
  args: string[];
  env?: Record<string, string | undefined>;
  parse: (output: string) => T | undefined;
  sink: (chunk: string, stream: 'stdout' | 'stderr') => void;
  output: () => string;
  timeoutMs: number;
  readyOnStderr?: boolean;
}): Promise<ReadyChild<T>> {
  const proc = spawn(process.execPath, opts.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${opts.what} not ready in ${opts.timeoutMs} ms:\n${opts.output()}`)), opts.timeoutMs);
    const onReadyStream = (stream: 'stdout' | 'stderr') => (d: Buffer): void => {
      opts.sink(d.toString(), stream);
      const ready = opts.parse(opts.output());
      if (ready !== undefined) {
        clearTimeout(timer);
        res({ proc, ready });
      }
    };
    proc.stdout!.on('data', onReadyStream('stdout'));
    proc.stderr!.on('data', opts.readyOnStderr ? onReadyStream('stderr') : (d: Buffer) => opts.sink(d.toString(), 'stderr'));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${opts.what} exited with ${code}:\n${opts.output()}`));
    });
  });
}

/** SIGTERM `proc` and wait for it to exit; SIGKILL after `killAfterMs`. */
export async function stopChild(proc: ChildProcess | undefined, killAfterMs: number): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(t);
}
