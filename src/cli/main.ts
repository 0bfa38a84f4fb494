// mqctl entry point: builds the commander program from one module per command group.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode } from './output/exit-codes.js';
import { printError } from './output/print.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

type Group = { register(program: Command, start: Command, stop: Command): void };

/** Command groups in registration order, with the top-level command names each one adds. */
const GROUPS: Array<{ names: string[]; load: () => Promise<Group> }> = [
  { names: ['start', 'stop'], load: () => import('./commands/namesrv-start.js') },
  { names: ['start', 'stop'], load: () => import('./commands/start.js') },
  { names: ['topic'], load: () => import('./commands/topic.js') },
  { names: ['group'], load: () => import('./commands/group.js') },
  { names: ['consumer'], load: () => import('./commands/consumer.js') },
  { names: ['producer'], load: () => import('./commands/producer.js') },
  { names: ['cluster'], load: () => import('./commands/cluster.js') },
  { names: ['broker'], load: () => import('./commands/broker.js') },
  { names: ['namesrv'], load: () => import('./commands/namesrv.js') },
  { names: ['kv'], load: () => import('./commands/kv.js') },
  { names: ['store'], load: () => import('./commands/store.js') },
  { names: ['msg'], load: () => import('./commands/msg.js') },
  { names: ['offset'], load: () => import('./commands/offset.js') },
  { names: ['wait-ready'], load: () => import('./commands/wait-ready.js') },
  { names: ['context'], load: () => import('./commands/context.js') },
  { names: ['completion'], load: () => import('./commands/completion.js') },
  { names: ['admin'], load: () => import('./commands/admin.js') },
  { names: ['send'], load: () => import('./commands/send.js') },
  { names: ['consume'], load: () => import('./commands/consume.js') },
  { names: ['bench'], load: () => import('./commands/bench.js') },
];
const KNOWN = new Set(GROUPS.flatMap((g) => g.names));
/** Commands that walk the whole command tree (shell completion scripts). */
const NEEDS_ALL = new Set(['completion']);
/** Global options that take a value (so the word after them is not the command name). */
const VALUE_OPTIONS = new Set(['-n', '--namesrv', '--timeout', '--context']);

/** The top-level command named in argv (node, script, ...args), skipping global options; undefined if none. */
export function commandName(argv: string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (VALUE_OPTIONS.has(a)) { i++; continue; }
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

/** Builds the program; given argv, registers only the command group(s) that argv's command needs. */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const program = new Command('mqctl');
  program
    .description('Apache RocketMQ in TypeScript: namesrv, broker, client and an mqadmin-compatible admin CLI')
    .version(packageVersion(), '-V, --version')
    .option('-n, --namesrv <addr>', 'name server address(es) "host:port;host:port" (default: NAMESRV_ADDR, context, 127.0.0.1:9876)')
    .option('--json', 'machine-readable JSON output')
    .option('--timeout <ms>', 'request timeout in milliseconds')
    .option('--context <name>', 'named context from ~/.mqctl/config.json')
    .showHelpAfterError()
    .exitOverride();

  const start = program.command('start').description('start servers (no subcommand: standalone namesrv + broker)');
  const stop = program.command('stop').description('stop servers started with --detach');
  // Each command group registers itself. Loading every group costs a few hundred ms of module loading, so
  // when argv names one top-level command only the modules providing it are imported; help, completion and
  // anything unrecognised load them all (in this order, which is the order `--help` lists them).
  const wanted = argv ? commandName(argv) : undefined;
  const only = wanted !== undefined && KNOWN.has(wanted) && !NEEDS_ALL.has(wanted);
  const versionOnly = wanted === undefined && argv !== undefined && (argv.includes('-V') || argv.includes('--version'));
  const entries = only ? GROUPS.filter((g) => g.names.includes(wanted)) : versionOnly ? [] : GROUPS;
  const groups: Array<{ register(program: Command, start: Command, stop: Command): void }> = await Promise.all(entries.map((g) => g.load()));
  for (const g of groups) g.register(program, start, stop);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        process.exitCode = ExitCode.OK;
        return;
      }
      process.exitCode = ExitCode.USAGE;
      return;
    }
    printError(err instanceof Error ? err.message : String(err));
    process.exitCode = ExitCode.FAILED;
  }
}
