/**
 * Shared plumbing of `mqctl start <server> --detach` / `mqctl stop <server>`: a pid file and logs under
 * ~/.mqctl (MQCTL_HOME), a detached foreground child whose readiness is read from its stdout, a guard
 * against recycled pids, and the foreground wait for SIGINT/SIGTERM.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mqctlHome } from './context.js';
import { CliError, ExitCode } from './output/exit-codes.js';

/** A server kind as `mqctl stop` knows it: files `<name>.pid/.log/.out` and how to recognise its process. */
export interface DaemonKind {
  name: string;
  /** Every one of these must appear in /proc/<pid>/cmdline for the pid to count as ours. */
  cmdlineMarks: string[];
}

export interface DetachSpec {
  kind: DaemonKind;
  /** mqctl arguments of the foreground child (without the bin path). */
  args: string[];
  /** Matched against the child's stdout; a match means ready. */
  ready: RegExp;
  startTimeoutMs: number;
  logFile?: string;
  /** What to print once ready (the child's stdout so far, the match, its pid and log file). */
  announce(stdout: string, match: RegExpExecArray, pid: number, logFile: string): string;
}

export function pidFile(name: string): string {
  return join(mqctlHome(), `${name}.pid`);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guard against a recycled pid: on Linux the process must be an mqctl of that kind. */
export function looksLikeOurs(pid: number, kind: DaemonKind): boolean {
  if (!existsSync('/proc')) return true;
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return kind.cmdlineMarks.every((m) => text.includes(m));
  } catch {
    return false;
  }
}

export function readPid(name: string): number | undefined {
  const f = pidFile(name);
  if (!existsSync(f)) return undefined;
  const n = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The foreground child gets our flags minus --detach and --log-file (its stderr already goes to the log). */
export function childArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--detach' || a === '-d' || a.startsWith('--log-file=')) continue;
    if (a === '--log-file') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Resolve on the first SIGINT/SIGTERM after running `stop`. */
export function untilSignal(stop: () => Promise<void>, log: (m: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const handler = (sig: string): void => {
      log(`received ${sig}, shutting down`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      stop().then(resolve, (e: unknown) => {
        log(`shutdown failed: ${e instanceof Error ? e.message : String(e)}`);
        resolve();
      });
    };
    const onInt = (): void => handler('SIGINT');
    const onTerm = (): void => handler('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** Spawn the server detached, wait for its ready line, then record its pid; on failure show the log's tail. */
export async function startDetached(spec: DetachSpec): Promise<void> {
  const { name } = spec.kind;
  const home = mqctlHome();
  mkdirSync(home, { recursive: true });
  const existing = readPid(name);
  if (existing !== undefined && isAlive(existing) && looksLikeOurs(existing, spec.kind)) {
    throw new CliError(`${name} already running (pid ${existing}); stop it with: mqctl stop ${name}`);
  }
  const logFile = spec.logFile ?? join(home, `${name}.log`);
  const outFile = join(home, `${name}.out`);
  const out = openSync(outFile, 'w');
  const err = openSync(logFile, 'a');
  const bin = fileURLToPath(new URL('../../bin/mqctl.js', import.meta.url));
  const child = spawn(process.execPath, [bin, ...spec.args], { detached: true, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  const pid = child.pid;
  if (pid === undefined) throw new CliError(`cannot spawn ${name}`);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + spec.startTimeoutMs;
  while (Date.now() < deadline) {
    const text = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    const m = spec.ready.exec(text);
    if (m) {
      writeFileSync(pidFile(name), `${pid}\n`);
      process.stdout.write(spec.announce(text, m, pid, logFile));
      return;
    }
    if (exited !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  let tail = '';
  try {
    tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join('\n');
  } catch {
    tail = '';
  }
  if (exited === null) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  throw new CliError(`${name} did not start${tail ? `:\n${tail}` : ''}`);
}

/** SIGTERM the recorded pid, SIGKILL it if still alive after `timeoutMs`, and remove the pid file. */
export async function stopDetached(kind: DaemonKind, timeoutMs: number): Promise<void> {
  const { name } = kind;
  const pid = readPid(name);
  if (pid === undefined) throw new CliError(`no running ${name} (no pid file ${pidFile(name)})`, ExitCode.NOT_FOUND);
  if (!isAlive(pid) || !looksLikeOurs(pid, kind)) {
    unlinkSync(pidFile(name));
    throw new CliError(`${name} (pid ${pid}) is not running`, ExitCode.NOT_FOUND);
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (existsSync(pidFile(name))) unlinkSync(pidFile(name));
  process.stdout.write(`${name} (pid ${pid}) stopped\n`);
}
