/**
 * `mqctl start` (= `mqctl start standalone`): name server + broker in one process, prints how to send and
 * consume. `mqctl start broker [-c broker.conf] ...`: the broker alone, configured like Apache's mqbroker.
 * Both run in the foreground (clean shutdown on SIGINT/SIGTERM) or with --detach (pid and log under
 * ~/.mqctl, MQCTL_HOME); `mqctl stop broker` / `mqctl stop standalone` end a detached one.
 */
import type { Command } from 'commander';
import { startBroker } from '../../broker/index.js';
import { createLogger } from '../../common/logger.js';
import { startStandalone } from '../../standalone.js';
import { globalsOf } from '../context.js';
import { childArgs, startDetached, stopDetached, untilSignal, type DaemonKind } from '../daemon.js';
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

/** A standalone's cmdline need not name its kind: plain `mqctl start` runs it. */
const KINDS: Record<Kind, DaemonKind> = {
  broker: { name: 'broker', cmdlineMarks: ['mqctl', 'start', 'broker'] },
  standalone: { name: 'standalone', cmdlineMarks: ['mqctl', 'start'] },
};

function portOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) throw new CliError(`invalid ${name}: ${v} (expected 0-65535)`, ExitCode.USAGE);
  return Number(v);
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

async function runDetached(kind: Kind, logFile: string | undefined): Promise<void> {
  const args = childArgs(process.argv.slice(2));
  if (kind === 'standalone' && !args.includes('standalone')) {
    const i = args.indexOf('start');
    args.splice(i + 1, 0, 'standalone');
  }
  await startDetached({
    kind: KINDS[kind],
    args,
    ready: READY,
    startTimeoutMs: 30_000,
    logFile,
    announce: (out, _m, pid, log) => `${out}pid ${pid}, log ${log}; stop with: mqctl stop ${kind}\n`,
  });
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

  stop.command('broker').description('stop a broker started with --detach').action(run(async () => stopDetached(KINDS.broker, 15_000)));
  stop.command('standalone').description('stop a standalone started with --detach').action(run(async () => stopDetached(KINDS.standalone, 15_000)));
}
