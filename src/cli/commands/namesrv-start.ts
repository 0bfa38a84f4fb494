/**
 * `mqctl start namesrv` / `mqctl stop namesrv`: run the name server in the foreground (log lines on stderr,
 * clean shutdown on SIGINT/SIGTERM), or detached with its pid and log under ~/.mqctl (MQCTL_HOME), like
 * Apache's mqnamesrv / mqshutdown namesrv.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createLogger } from '../../common/logger.js';
import { parseJavaProperties } from '../../protocol/java-properties.js';
import { startNamesrv } from '../../namesrv/index.js';
import { mqctlHome } from '../context.js';
import { CliError, ExitCode } from '../output/exit-codes.js';
import { run } from '../run.js';

interface StartOptions {
  port?: string;
  listen?: string;
  config?: string;
  logFile?: string;
  detach?: boolean;
  brokerExpiredMs?: string;
  scanIntervalMs?: string;
}

const LISTENING = /namesrv listening on (\S+)/;

function pidFile(): string {
  return join(mqctlHome(), 'namesrv.pid');
}

function intOption(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new CliError(`invalid ${name}: ${v}`, ExitCode.USAGE);
  return Number(v);
}

function readConfigFile(path: string | undefined): Record<string, string> | undefined {
  if (!path) return undefined;
  try {
    return parseJavaProperties(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read config ${path}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.USAGE);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guard against a recycled pid: on Linux the process must be one of ours. */
function looksLikeOurs(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc')) return true;
  try {
    const text = readFileSync(cmdline, 'utf8');
    return text.includes('mqctl') && text.includes('namesrv');
  } catch {
    return false;
  }
}

function readPid(): number | undefined {
  const f = pidFile();
  if (!existsSync(f)) return undefined;
  const n = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

async function runForeground(opts: StartOptions): Promise<void> {
  const props = readConfigFile(opts.config) ?? {};
  const logger = createLogger('namesrv', { file: opts.logFile });
  const port = intOption(opts.port, '--port', 0, 65535) ?? (props.listenPort !== undefined ? intOption(props.listenPort, 'listenPort', 0, 65535) : undefined) ?? 9876;
  const ns = await startNamesrv({
    host: opts.listen ?? props.bindAddress ?? '0.0.0.0',
    port,
    brokerExpiredMillis: intOption(opts.brokerExpiredMs, '--broker-expired-ms', 1, 2 ** 31),
    scanIntervalMillis: intOption(opts.scanIntervalMs, '--scan-interval-ms', 1, 2 ** 31),
    logger,
    config: props,
  }).catch((e: unknown) => {
    throw new CliError(`cannot start namesrv: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILED);
  });
  process.stdout.write(`namesrv listening on ${ns.host}:${ns.port}\n`);
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      logger.info(`received ${sig}, shutting down`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      ns.close().then(resolve, resolve);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** The foreground child gets our flags minus --detach and --log-file (its stderr already goes to the log). */
function childArgs(argv: string[]): string[] {
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

async function runDetached(opts: StartOptions, argv: string[]): Promise<void> {
  const home = mqctlHome();
  mkdirSync(home, { recursive: true });
  const existing = readPid();
  if (existing !== undefined && isAlive(existing) && looksLikeOurs(existing)) {
    throw new CliError(`namesrv already running (pid ${existing}); stop it with: mqctl stop namesrv`);
  }
  const logFile = opts.logFile ?? join(home, 'namesrv.log');
  const outFile = join(home, 'namesrv.out');
  const out = openSync(outFile, 'w');
  const err = openSync(logFile, 'a');
  const bin = fileURLToPath(new URL('../../../bin/mqctl.js', import.meta.url));
  const args = [bin, 'start', 'namesrv', ...childArgs(argv)];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  const pid = child.pid;
  if (pid === undefined) throw new CliError('cannot spawn namesrv');
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const text = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    const m = LISTENING.exec(text);
    if (m) {
      writeFileSync(pidFile(), `${pid}\n`);
      process.stdout.write(`namesrv listening on ${m[1]}\n`);
      process.stdout.write(`pid ${pid}, log ${logFile}\n`);
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
  throw new CliError(`namesrv did not start${tail ? `:\n${tail}` : ''}`);
}

export function registerStartNamesrv(startCmd: Command): void {
  startCmd
    .command('namesrv')
    .description('start the name server (foreground; --detach to run in the background)')
    .option('-p, --port <port>', 'listen port (default 9876, or listenPort from --config)')
    .option('--listen <host>', 'listen address (default 0.0.0.0)')
    .option('-c, --config <file>', 'namesrv config file (Java properties: listenPort, kvConfigPath, ...)')
    .option('--log-file <file>', 'also append log lines to this file')
    .option('--broker-expired-ms <ms>', 'drop a broker silent this long (default 120000)')
    .option('--scan-interval-ms <ms>', 'how often to look for silent brokers (default 5000)')
    .option('-d, --detach', 'run in the background; pid and log under ~/.mqctl (MQCTL_HOME)')
    .action(
      run(async (_local: StartOptions, cmd: Command) => {
        // `start` itself has standalone options (-p/--port, --log-file, -d/--detach) that commander may bind to the
        // parent when they follow `namesrv`; merged here, the ones given to namesrv win
        const opts = cmd.optsWithGlobals<StartOptions>();
        if (opts.detach) {
          const i = process.argv.indexOf('namesrv');
          await runDetached(opts, i >= 0 ? process.argv.slice(i + 1) : []);
        } else {
          await runForeground(opts);
        }
      }),
    );
}

export function registerStopNamesrv(stopCmd: Command): void {
  stopCmd
    .command('namesrv')
    .description('stop a name server started with --detach')
    .action(
      run(async () => {
        const pid = readPid();
        if (pid === undefined) throw new CliError(`no running namesrv (no pid file ${pidFile()})`, ExitCode.NOT_FOUND);
        if (!isAlive(pid) || !looksLikeOurs(pid)) {
          unlinkSync(pidFile());
          throw new CliError(`namesrv (pid ${pid}) is not running`, ExitCode.NOT_FOUND);
        }
        process.kill(pid, 'SIGTERM');
        const deadline = Date.now() + 10_000;
        while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
        if (existsSync(pidFile())) unlinkSync(pidFile());
        process.stdout.write(`namesrv (pid ${pid}) stopped\n`);
      }),
    );
}

/** Command-group hook used by cli/main.ts. */
export function register(_program: Command, start: Command, stop: Command): void {
  registerStartNamesrv(start);
  registerStopNamesrv(stop);
}
