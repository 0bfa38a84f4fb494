// mqctl producer connection -g G -t T
import type { Command } from 'commander';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { CliError, ExitCode, emit, printTable, versionDesc } from '../output/index.js';
import { checkTopic } from './topic.js';

export function register(program: Command): void {
  const producer = program.command('producer').description('producer groups').showHelpAfterError(false);
  producer
    .command('connection')
    .description("a producer group's connected clients (on the brokers of a topic)")
    .requiredOption('-g, --group <group>', 'producer group')
    .requiredOption('-t, --topic <topic>', 'a topic the group sends to')
    .action(
      run(async (opts: { group: string; topic: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const conns = await admin.producerConnection(opts.group, checkTopic(opts.topic));
          if (conns.length === 0) throw new CliError(`producer group ${opts.group} has no connection on the brokers of ${opts.topic}`, ExitCode.NOT_FOUND);
          emit(ctx.json, conns, () => printTable(['Client Id', 'Client Addr', 'Language', 'Version'], conns.map((c) => [c.clientId, c.clientAddr, c.language, versionDesc(c.version)])));
        }),
      ),
    );
}
