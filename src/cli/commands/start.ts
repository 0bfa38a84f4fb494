/**
 * `mqctl start` (= `mqctl start standalone`): name server + broker in one process, prints how to send and
 * consume. `mqctl start broker [-c broker.conf] ...`: the broker alone, configured like Apache's mqbroker.
 * Both run in the foreground (clean shutdown on SIGINT/SIGTERM) or with --detach (pid and log under
 * ~/.mqctl, MQCTL_HOME); `mqctl stop broker` / `mqctl stop standalone` end a detached one.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { startBroker } from '../../broker/index.js';
import { createLogger } from '../../common/logger.js';
import { startStandalone } from '../../standalone.js';
import { globalsOf, mqctlHome } from '../context.js';
import { CliError, ExitCode } from '../output/exit-codes.js';
import { run } from '../run.js';

type Kind = 'broker' | 'standalone';

interface StandaloneFlags {
  namesrvPort?: string;
  port?: string;
  storeDir?: string;
  host?: string;
  advertiseHost?: string;
  logFile?: string;
  detach?: boolean;
}

interface BrokerFlags {
  config?: string;
  port?: string;
  storeDir?: string;
  brokerName?: string;
  cluster?: string;
  brokerId?: string;
  role?: string;
  advertiseHost?: string;
  listen?: string;
  logFile?: string;
  detach?: boolean;
}

const READY = /(broker|standalone) ready: (.*)$/m;

function pidFile(kind: Kind): string {
  return join(mqctlHome(), `${kind}.pid`);
}

function portOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CliError(`invalid ${name}: ${v} (expected 0-65535)`, ExitCode.USAGE);
  return Number(v);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guard against a recycled pid: on Linux the process must be an mqctl start of that kind. */
function looksLikeOurs(pid: number, kind: Kind): boolean {
  if (!existsSync('/proc')) return true;
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return text.includes('mqctl') && text.includes('start') && (kind === 'standalone' || text.includes(kind));
  } catch {
    return false;
  }
}

function readPid(kind: Kind): number | undefined {
  const f = pidFile(kind);
  if (!existsSync(f)) return undefined;
  const n = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Resolve on the first SIGINT/SIGTERM after running `stop`. */
function untilSignal(stop: () => Promise<void>, log: (m: string) => void): Promise<void> {
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

async function runStandalone(flags: StandaloneFlags): Promise<void> {
  const logger = createLogger('mqctl', { file: flags.logFile });
  const t0 = Date.now();
  const mq = await startStandalone({
    namesrvPort: portOption(flags.namesrvPort, '--namesrv-port') ?? 9876,
    port: portOption(flags.port, '--port') ?? 10911,
    storeDir: flags.storeDir,
    host: flags.host,
    advertiseHost: flags.advertiseHost,
    logger,
  }).catch((e: unknown) => {
    throw new CliError(`cannot start: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILED);
  });
  const ns = mq.namesrvAddr;
  process.stdout.write(
    `standalone ready: namesrv ${ns}, broker ${mq.brokerAddr} (store ${mq.storeDir}, started in ${Date.now() - t0} ms)\n` +
      `\n  send:     mqctl -n ${ns} send -t TopicTest --body hello\n` +
      `  consume:  mqctl -n ${ns} consume -t TopicTest --from first --max 1\n` +
      `  any RocketMQ client: NAMESRV_ADDR=${ns} (topics are created on first send)\n` +
      `  stop:     Ctrl-C, or mqctl stop standalone when started with --detach\n\n`,
  );
  await untilSignal(() => mq.close(), (m) => logger.info(m));
}

async function runBroker(flags: BrokerFlags, namesrv: string | undefined): Promise<void> {
  const logger = createLogger('broker', { file: flags.logFile });
  const overrides: Record<string, string | number | undefined> = {
    listenPort: portOption(flags.port, '--port'),
    storePathRootDir: flags.storeDir,
    brokerName: flags.brokerName,
    brokerClusterName: flags.cluster,
    brokerId: flags.brokerId,
    brokerRole: flags.role,
    brokerIP1: flags.advertiseHost,
    namesrvAddr: namesrv,
  };
  if (flags.brokerId !== undefined && !/^\d+$/.test(flags.brokerId)) throw new CliError(`invalid --broker-id: ${flags.brokerId}`, ExitCode.USAGE);
  const b = await startBroker({ configFile: flags.config, overrides, listenHost: flags.listen, logger }).catch((e: unknown) => {
    throw new CliError(`cannot start broker: ${e instanceof Error ? e.message : String(e)}`, ExitCode.FAILED);
  });
  process.stdout.write(`broker ready: ${b.addr} (${b.ctx.config.brokerName}@${b.ctx.config.brokerClusterName}, namesrv ${b.ctx.config.namesrvAddr || 'none'})\n`);
  await untilSignal(() => b.close(), (m) => logger.info(m));
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

async function runDetached(kind: Kind, logFileFlag: string | undefined): Promise<void> {
  const home = mqctlHome();
  mkdirSync(home, { recursive: true });
  const existing = readPid(kind);
  if (existing !== undefined && isAlive(existing) && looksLikeOurs(existing, kind)) {
    throw new CliError(`${kind} already running (pid ${existing}); stop it with: mqctl stop ${kind}`);
  }
  const logFile = logFileFlag ?? join(home, `${kind}.log`);
  const outFile = join(home, `${kind}.out`);
  const out = openSync(outFile, 'w');
  const err = openSync(logFile, 'a');
  const bin = fileURLToPath(new URL('../../../bin/mqctl.js', import.meta.url));
  const args = [bin, ...childArgs(process.argv.slice(2))];
  if (kind === 'standalone' && !args.includes('standalone')) {
    const i = args.indexOf('start');
    args.splice(i + 1, 0, 'standalone');
  }
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  const pid = child.pid;
  if (pid === undefined) throw new CliError(`cannot spawn ${kind}`);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const text = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    const m = READY.exec(text);
    if (m) {
      writeFileSync(pidFile(kind), `${pid}\n`);
      process.stdout.write(text);
      process.stdout.write(`pid ${pid}, log ${logFile}; stop with: mqctl stop ${kind}\n`);
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
  throw new CliError(`${kind} did not start${tail ? `:\n${tail}` : ''}`);
}

async function stopDetached(kind: Kind): Promise<void> {
  const pid = readPid(kind);
  if (pid === undefined) throw new CliError(`no running ${kind} (no pid file ${pidFile(kind)})`, ExitCode.NOT_FOUND);
  if (!isAlive(pid) || !looksLikeOurs(pid, kind)) {
    unlinkSync(pidFile(kind));
    throw new CliError(`${kind} (pid ${pid}) is not running`, ExitCode.NOT_FOUND);
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (existsSync(pidFile(kind))) unlinkSync(pidFile(kind));
  process.stdout.write(`${kind} (pid ${pid}) stopped\n`);
}

function standaloneOptions(cmd: Command): Command {
  return cmd
    .option('--namesrv-port <port>', 'name server port (default 9876)')
    .option('-p, --port <port>', 'broker port (default 10911)')
    .option('--store-dir <dir>', 'store directory (default ~/.mqctl/store)')
    .option('--host <ip>', 'address to bind and advertise (default 127.0.0.1)')
    .option('--advertise-host <ip>', 'address to put in routes and message ids, when it differs from --host')
    .option('--log-file <file>', 'also append log lines to this file')
    .option('-d, --detach', 'run in the background; pid and log under ~/.mqctl (MQCTL_HOME)');
}

async function standaloneAction(flags: StandaloneFlags): Promise<void> {
  if (flags.detach) await runDetached('standalone', flags.logFile);
  else await runStandalone(flags);
}

export function register(_program: Command, start: Command, stop: Command): void {
  // plain `mqctl start [flags]` runs the default subcommand; `start` itself has no options of its own, so
  // flags after another subcommand name (`start namesrv --port ...`) reach that subcommand
  standaloneOptions(start.command('standalone', { isDefault: true }).description('name server + broker in one process (the default of `mqctl start`)'))
    .action(run(async (flags: StandaloneFlags) => standaloneAction(flags)));

  start
    .command('broker')
    .description('start a broker (Apache broker.conf keys; name server from -n, namesrvAddr or NAMESRV_ADDR)')
    .option('-c, --config <file>', 'broker.conf (Java properties, Apache keys)')
    .option('-p, --port <port>', 'listen port (listenPort, default 10911)')
    .option('--store-dir <dir>', 'storePathRootDir (default ~/store)')
    .option('--broker-name <name>', 'brokerName')
    .option('--cluster <name>', 'brokerClusterName (default DefaultCluster)')
    .option('--broker-id <id>', 'brokerId (0 master, >0 slave)')
    .option('--role <role>', 'brokerRole: ASYNC_MASTER, SYNC_MASTER or SLAVE')
    .option('--advertise-host <ip>', 'brokerIP1: the address put in routes and message ids')
    .option('--listen <host>', 'address to bind (default 0.0.0.0)')
    .option('--log-file <file>', 'also append log lines to this file')
    .option('-d, --detach', 'run in the background; pid and log under ~/.mqctl (MQCTL_HOME)')
    .action(
      run(async (flags: BrokerFlags, cmd: Command) => {
        if (flags.detach) await runDetached('broker', flags.logFile);
        else await runBroker(flags, globalsOf(cmd).namesrv);
      }),
    );

  stop.command('broker').description('stop a broker started with --detach').action(run(async () => stopDetached('broker')));
  stop.command('standalone').description('stop a standalone started with --detach').action(run(async () => stopDetached('standalone')));
}
