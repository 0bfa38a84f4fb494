// mqctl offset reset -g G -t T (--timestamp T | --to earliest|latest) [--dry-run] [--yes]
import type { Command } from 'commander';
import type { ResetTarget } from '../../client/admin/index.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { confirm, emit, parseTimeFlag, printOk, printTable, usage } from '../output/index.js';
import { checkTopic } from './topic.js';
import { checkGroup } from './group.js';

export function register(program: Command): void {
  const offset = program.command('offset').description("consumer group offsets").showHelpAfterError(false);
  offset
    .command('reset')
    .description("move a group's consume offsets on a topic to a time, the earliest or the latest message")
    .requiredOption('-g, --group <group>', 'consumer group')
    .requiredOption('-t, --topic <topic>', 'topic')
    .option('-s, --timestamp <time>', 'first message stored at or after this time (ms, ISO date, -1h, ...)')
    .option('--to <where>', 'earliest or latest')
    .option('--dry-run', 'show old and new offsets per queue, change nothing')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      run(async (opts: { group: string; topic: string; timestamp?: string; to?: string; dryRun?: boolean; yes?: boolean }, cmd: Command) => {
        const group = checkGroup(opts.group);
        const topic = checkTopic(opts.topic);
        if ((opts.timestamp === undefined) === (opts.to === undefined)) throw usage('give exactly one of --timestamp or --to earliest|latest');
        let target: ResetTarget;
        if (opts.to !== undefined) {
          if (opts.to !== 'earliest' && opts.to !== 'latest') throw usage(`--to must be earliest or latest, got '${opts.to}'`);
          target = { to: opts.to };
        } else {
          target = { timestamp: parseTimeFlag('--timestamp', opts.timestamp) as number };
        }
        await withAdmin(cmd, async (admin, ctx) => {
          const plan = await admin.planOffsetReset(group, topic, target);
          const show = (): void =>
            printTable(
              ['Broker', 'Queue', 'Old Offset', 'New Offset'],
              plan.queues.map((q) => [q.brokerName, q.queueId, q.oldOffset < 0 ? '-' : q.oldOffset, q.newOffset]),
            );
          if (opts.dryRun) {
            emit(ctx.json, { ...plan, dryRun: true }, show);
            return;
          }
          if (!ctx.json) show();
          await confirm(`Reset offsets of ${group} on ${topic} to ${plan.target}?`, opts.yes);
          const r = await admin.applyOffsetReset(plan);
          emit(ctx.json, { ...r, dryRun: false }, () => printOk(`offsets of ${group} on ${topic} reset to ${plan.target} (${r.queues.length} queues)`));
        });
      }),
    );
}
