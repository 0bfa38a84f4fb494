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

export async function buildProgram(): Promise<Command> {
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
  // Each command group registers itself; the list grows as groups land.
  const groups: Array<{ register(program: Command, start: Command, stop: Command): void }> = await Promise.all([
    import('./commands/namesrv-start.js'),
    import('./commands/start.js'),
    import('./commands/topic.js'),
    import('./commands/group.js'),
    import('./commands/consumer.js'),
    import('./commands/producer.js'),
    import('./commands/cluster.js'),
    import('./commands/broker.js'),
    import('./commands/namesrv.js'),
    import('./commands/kv.js'),
    import('./commands/store.js'),
    import('./commands/msg.js'),
    import('./commands/offset.js'),
    import('./commands/wait-ready.js'),
    import('./commands/context.js'),
    import('./commands/completion.js'),
    import('./commands/admin.js'),
    import('./commands/send.js'),
    import('./commands/consume.js'),
    import('./commands/bench.js'),
  ]);
  for (const g of groups) g.register(program, start, stop);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
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
