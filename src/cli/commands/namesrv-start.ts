/**
 * `mqctl start namesrv` / `mqctl stop namesrv`: run the name server in the foreground (log lines on stderr,
 * clean shutdown on SIGINT/SIGTERM), or detached with its pid and log under ~/.mqctl (MQCTL_HOME), like
 * Apache's mqnamesrv / mqshutdown namesrv.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createLogger } from '../../common/logger.js';
import { parseJavaProperties } from '../../protocol/java-properties.js';
import { startNamesrv } from '../../namesrv/index.js';
import { childArgs, startDetached, stopDetached, untilSignal, type DaemonKind } from '../daemon.js';
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

const KIND: DaemonKind = { name: 'namesrv', cmdlineMarks: ['mqctl', 'namesrv'] };

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
  await untilSignal(() => ns.close(), (m) => logger.info(m));
}

async function runDetached(opts: StartOptions, argv: string[]): Promise<void> {
  await startDetached({
    kind: KIND,
    args: ['start', 'namesrv', ...childArgs(argv)],
    ready: LISTENING,
    startTimeoutMs: 15_000,
    logFile: opts.logFile,
    announce: (_out, m, pid, logFile) => `namesrv listening on ${m[1]}\npid ${pid}, log ${logFile}\n`,
  });
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
        // merged with the parents' options, so a flag commander binds to `start` or the program still counts;
        // the ones given to namesrv win
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
    .action(run(async () => stopDetached(KIND, 10_000)));
}

/** Command-group hook used by cli/main.ts. */
export function register(_program: Command, start: Command, stop: Command): void {
  registerStartNamesrv(start);
  registerStopNamesrv(stop);
}
