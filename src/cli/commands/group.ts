// mqctl group create|update|delete|list
import type { Command } from 'commander';
import { validateGroup } from '../../common/topics.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { confirm, emit, parseBoolFlag, parseIntFlag, printOk, printTable, usage } from '../output/index.js';

export function checkGroup(group: string | undefined): string {
  const bad = validateGroup(group);
  if (bad || !group) throw usage(bad ?? 'group is required');
  return group;
}

interface GroupOpts {
  group: string;
  cluster?: string;
  broker?: string;
  consumeEnable?: string | boolean;
  broadcast?: string | boolean;
  orderly?: string | boolean;
  fromMin?: string | boolean;
  retryQueues?: string;
  retryMax?: string;
  brokerId?: string;
  slowBrokerId?: string;
  notifyIdsChanged?: string | boolean;
}

function createOrUpdate(update: boolean) {
  return run(async (opts: GroupOpts, cmd: Command) => {
    const groupName = checkGroup(opts.group);
    if (!!opts.cluster === !!opts.broker) throw usage('give exactly one of -c/--cluster or -b/--broker');
    const spec = {
      groupName,
      cluster: opts.cluster,
      broker: opts.broker,
      consumeEnable: parseBoolFlag('--consume-enable', opts.consumeEnable),
      consumeBroadcastEnable: parseBoolFlag('--broadcast', opts.broadcast),
      consumeMessageOrderly: parseBoolFlag('--orderly', opts.orderly),
      consumeFromMinEnable: parseBoolFlag('--from-min', opts.fromMin),
      retryQueueNums: parseIntFlag('--retry-queues', opts.retryQueues, { min: 0 }),
      retryMaxTimes: parseIntFlag('--retry-max', opts.retryMax, { min: -1 }),
      brokerId: parseIntFlag('--broker-id', opts.brokerId, { min: 0 }),
      whichBrokerWhenConsumeSlowly: parseIntFlag('--slow-broker-id', opts.slowBrokerId, { min: 0 }),
      notifyConsumerIdsChangedEnable: parseBoolFlag('--notify-ids-changed', opts.notifyIdsChanged),
    };
    await withAdmin(cmd, async (admin, ctx) => {
      const r = await admin.createOrUpdateGroupOn(spec, update);
      emit(ctx.json, r, () => printOk(`group ${groupName} ${update ? 'updated' : 'created'} on ${r.brokers.join(', ')}`));
    });
  });
}

export function register(program: Command): void {
  const group = program.command('group').description('subscription groups: create, update, delete, list').showHelpAfterError(false);

  for (const update of [false, true]) {
    group
      .command(update ? 'update' : 'create')
      .description(update ? 'change an existing group (unset flags keep their value)' : 'create a subscription group (or update it)')
      .requiredOption('-g, --group <group>', 'group name')
      .option('-c, --cluster <cluster>', 'on every master of this cluster')
      .option('-b, --broker <addr|name>', 'on this broker only')
      .option('--consume-enable [bool]', 'allow consuming (default true)')
      .option('--broadcast [bool]', 'allow broadcast consumption (default true)')
      .option('--orderly [bool]', 'consume orderly (default false)')
      .option('--from-min [bool]', 'a new group starts from the min offset (default true)')
      .option('--retry-queues <n>', 'retry queue count (default 1)')
      .option('--retry-max <n>', 'max reconsume times before the DLQ (default 16)')
      .option('--broker-id <id>', 'broker id to consume from (default 0)')
      .option('--slow-broker-id <id>', 'broker id when consumption falls behind (default 1)')
      .option('--notify-ids-changed [bool]', 'notify consumers when the group changes (default true)')
      .action(createOrUpdate(update));
  }

  group
    .command('delete')
    .description('delete a group from brokers (and its %RETRY%/%DLQ% topics)')
    .requiredOption('-g, --group <group>', 'group name')
    .option('-c, --cluster <cluster>', 'from every master of this cluster')
    .option('-b, --broker <addr|name>', 'from this broker only')
    .option('--clean-offset', 'also remove its stored offsets')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      run(async (opts: { group: string; cluster?: string; broker?: string; cleanOffset?: boolean; yes?: boolean }, cmd: Command) => {
        const groupName = checkGroup(opts.group);
        if (opts.cluster && opts.broker) throw usage('give at most one of -c/--cluster or -b/--broker');
        await withAdmin(cmd, async (admin, ctx) => {
          await confirm(`Delete group ${groupName}?`, opts.yes);
          const r = await admin.deleteGroupEverywhere({ groupName, cluster: opts.cluster, broker: opts.broker, cleanOffset: opts.cleanOffset });
          emit(ctx.json, { group: groupName, deleted: true, brokers: r.brokers }, () => printOk(`group ${groupName} deleted from ${r.brokers.join(', ')}`));
        });
      }),
    );

  group
    .command('list')
    .description('subscription groups configured on the brokers')
    .option('-c, --cluster <cluster>', 'only this cluster')
    .option('-a, --all', 'include system groups')
    .action(
      run(async (opts: { cluster?: string; all?: boolean }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const SYSTEM = /^(TOOLS_CONSUMER|FILTERSRV_CONSUMER|SELF_TEST_C_GROUP|CID_ONS-HTTP-PROXY|CID_ONSAPI_.*|CID_RMQ_SYS_.*|__MONITOR_CONSUMER|CLIENT_INNER_PRODUCER|CID_SYS_RMQ_TRANS|RMQ_SYS_.*)$/;
          const list = (await admin.listGroups(opts.cluster)).filter((g) => opts.all || !SYSTEM.test(g.groupName));
          emit(ctx.json, list, () =>
            printTable(
              ['Group', 'Brokers', 'Consume', 'Broadcast', 'Orderly', 'Retry Queues', 'Retry Max'],
              list.map((g) => [g.groupName, g.brokers.join(','), g.consumeEnable, g.consumeBroadcastEnable, g.consumeMessageOrderly, g.retryQueueNums, g.retryMaxTimes]),
            ),
          );
        }),
      ),
    );
}
