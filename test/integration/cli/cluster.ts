// A live standalone (name server + broker in one process) started the way users start it, plus a helper that
// runs `node bin/mqctl.js ...` as a child process (asynchronously: the test process also hosts a fake
// consumer that must answer the broker while a command runs).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, freePort } from '../../helpers/index.js';

export { BIN, ROOT, freePort } from '../../helpers/index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** dist/ half-rewritten by a concurrent `tsc` (other work in the same tree): the module graph fails to load. */
const HALF_BUILT = /does not provide an export named|Cannot find module|ERR_MODULE_NOT_FOUND|SyntaxError/;

export async function mqctl(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  for (let attempt = 0; ; attempt++) {
    const r = await mqctlOnce(args, env);
    if (attempt >= 3 || !HALF_BUILT.test(r.stderr)) return r;
    await new Promise((res) => setTimeout(res, 2000));
  }
}

function mqctlOnce(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      res({ code, stdout, stderr });
    });
  });
}

/** Runs the command with --json and parses stdout; fails the test with stderr when it did not exit 0. */
export async function mqctlJson<T = unknown>(args: string[], env: Record<string, string | undefined> = {}): Promise<T> {
  const r = await mqctl([...args, '--json'], env);
  if (r.code !== 0) throw new Error(`mqctl ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as T;
}

export class Standalone {
  proc?: ChildProcess;
  namesrvPort = 0;
  brokerPort = 0;
  readonly dir = mkdtempSync(join(tmpdir(), 'mqctl-cli-'));
  log = '';

  get namesrv(): string {
    return `127.0.0.1:${this.namesrvPort}`;
  }
  get broker(): string {
    return `127.0.0.1:${this.brokerPort}`;
  }

  async start(): Promise<void> {
    if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` first');
    this.namesrvPort = await freePort();
    this.brokerPort = await freePort();
    this.proc = spawn(
      process.execPath,
      [BIN, 'start', '--namesrv-port', String(this.namesrvPort), '--port', String(this.brokerPort), '--store-dir', join(this.dir, 'store')],
      { cwd: ROOT, env: { ...process.env, MQCTL_HOME: join(this.dir, 'home'), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.proc.stdout?.on('data', (d: Buffer) => (this.log += d.toString()));
    this.proc.stderr?.on('data', (d: Buffer) => (this.log += d.toString()));
    const r = await mqctl(['wait-ready', '-n', this.namesrv, '--timeout', '40']);
    if (r.code !== 0) throw new Error(`standalone did not become ready: ${r.stderr}\n${this.log.slice(-2000)}`);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      await new Promise<void>((res) => {
        const t = setTimeout(() => {
          p.kill('SIGKILL');
          res();
        }, 10_000);
        p.once('exit', () => {
          clearTimeout(t);
          res();
        });
        p.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
