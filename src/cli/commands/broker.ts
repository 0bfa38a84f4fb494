// mqctl broker status|config get|config set|wipe-write|add-write|clean-expired-cq
import type { Command } from 'commander';
import type { MQAdmin } from '../../client/admin/index.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { confirm, emit, parseKeyValues, printKeyValues, printOk, usage } from '../output/index.js';

/** Addresses named by -b (address or broker name) or -c (every master of the cluster). */
export async function brokerTargets(admin: MQAdmin, opts: { broker?: string; cluster?: string }): Promise<string[]> {
  if (!!opts.broker === !!opts.cluster) throw usage('give exactly one of -b/--broker or -c/--cluster');
  if (opts.broker) return [await admin.resolveBrokerAddr(opts.broker)];
  return (await admin.masterAddrs(opts.cluster)).map((m) => m.addr);
}

function sorted(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function register(program: Command): void {
  const broker = program.command('broker').description('broker runtime status, config and write permission').showHelpAfterError(false);

  broker
    .command('status')
    .description('runtime statistics of a broker (GET_BROKER_RUNTIME_INFO)')
    .option('-b, --broker <addr|name>', 'broker address or name')
    .option('-c, --cluster <cluster>', 'every master of this cluster')
    .action(
      run(async (opts: { broker?: string; cluster?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const out: Record<string, Record<string, string>> = {};
          for (const addr of await brokerTargets(admin, opts)) out[addr] = sorted(await admin.getBrokerRuntimeInfo(addr));
          const addrs = Object.keys(out);
          emit(ctx.json, opts.broker ? out[addrs[0]] : out, () => {
            for (const a of addrs) {
              if (addrs.length > 1) process.stdout.write(`# ${a}\n`);
              printKeyValues(Object.entries(out[a]));
            }
          });
        }),
      ),
    );

  const config = broker.command('config').description('read or change broker configuration');
  config
    .command('get')
    .description('broker configuration (all keys, or the ones named)')
    .argument('[keys...]', 'only these keys')
    .option('-b, --broker <addr|name>', 'broker address or name')
    .option('-c, --cluster <cluster>', 'every master of this cluster')
    .action(
      run(async (keys: string[], opts: { broker?: string; cluster?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const out: Record<string, Record<string, string>> = {};
          for (const addr of await brokerTargets(admin, opts)) {
            const all = sorted(await admin.getBrokerConfig(addr));
            out[addr] = keys.length ? Object.fromEntries(keys.map((k) => [k, all[k]]).filter(([, v]) => v !== undefined)) : all;
          }
          const addrs = Object.keys(out);
          emit(ctx.json, opts.broker ? out[addrs[0]] : out, () => {
            for (const a of addrs) {
              if (addrs.length > 1) process.stdout.write(`# ${a}\n`);
              for (const [k, v] of Object.entries(out[a])) process.stdout.write(`${k}=${v}\n`);
            }
          });
        }),
      ),
    );
  config
    .command('set')
    .description('change broker configuration at runtime (UPDATE_BROKER_CONFIG)')
    .argument('<key=value...>', 'settings to change')
    .option('-b, --broker <addr|name>', 'broker address or name')
    .option('-c, --cluster <cluster>', 'every master of this cluster')
    .action(
      run(async (pairs: string[], opts: { broker?: string; cluster?: string }, cmd: Command) => {
        const props = parseKeyValues(pairs);
        await withAdmin(cmd, async (admin, ctx) => {
          const addrs = await brokerTargets(admin, opts);
          for (const addr of addrs) await admin.updateBrokerConfig(addr, props);
          emit(ctx.json, { updated: props, brokers: addrs }, () => printOk(`updated ${Object.keys(props).join(', ')} on ${addrs.join(', ')}`));
        });
      }),
    );

  for (const wipe of [true, false]) {
    broker
      .command(wipe ? 'wipe-write' : 'add-write')
      .description(wipe ? "remove a broker's write permission in every name server (drain it)" : 'give a broker its write permission back in every name server')
      .requiredOption('-b, --broker <name>', 'broker name')
      .option('-y, --yes', 'do not ask for confirmation')
      .action(
        run(async (opts: { broker: string; yes?: boolean }, cmd: Command) =>
          withAdmin(cmd, async (admin, ctx) => {
            if (/:\d+$/.test(opts.broker)) throw usage('-b takes a broker name (as in cluster list), not an address');
            if (wipe) await confirm(`Stop writes to broker ${opts.broker}?`, opts.yes);
            const counts = wipe ? await admin.wipeWritePerm(opts.broker) : await admin.addWritePerm(opts.broker);
            emit(ctx.json, { broker: opts.broker, topicCounts: counts }, () => {
              for (const [ns, n] of Object.entries(counts)) printOk(`${wipe ? 'wiped' : 'added'} write permission of ${opts.broker} on ${ns}: ${n} topics`);
            });
          }),
        ),
      );
  }

  broker
    .command('clean-expired-cq')
    .description('remove consume queues whose messages are all gone from the commit log')
    .option('-b, --broker <addr|name>', 'broker address or name')
    .option('-c, --cluster <cluster>', 'every master of this cluster')
    .action(
      run(async (opts: { broker?: string; cluster?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const addrs = opts.broker || opts.cluster ? await brokerTargets(admin, opts) : (await admin.masterAddrs()).map((m) => m.addr);
          const result: Record<string, boolean> = {};
          for (const a of addrs) result[a] = await admin.cleanExpiredConsumeQueue(a);
          emit(ctx.json, result, () => {
            for (const [a, ok] of Object.entries(result)) printOk(`clean expired consume queues on ${a}: ${ok}`);
          });
        }),
      ),
    );
}
