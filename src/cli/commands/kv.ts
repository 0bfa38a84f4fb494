// mqctl kv get|put|delete — the name server's namespaced key/value config (e.g. ORDER_TOPIC_CONFIG)
import type { Command } from 'commander';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { emit, printKeyValues, printOk } from '../output/index.js';

export function register(program: Command): void {
  const kv = program.command('kv').description("the name server's key/value config").showHelpAfterError(false);
  kv.command('get')
    .description('one value, or the whole namespace without -k')
    .requiredOption('-s, --namespace <ns>', 'namespace')
    .option('-k, --key <key>', 'key')
    .action(
      run(async (opts: { namespace: string; key?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          if (opts.key !== undefined) {
            const value = await admin.getKvConfig(opts.namespace, opts.key);
            emit(ctx.json, { namespace: opts.namespace, key: opts.key, value }, () => process.stdout.write(value + '\n'));
          } else {
            const table = await admin.getKvList(opts.namespace);
            emit(ctx.json, table, () => printKeyValues(Object.entries(table)));
          }
        }),
      ),
    );
  kv.command('put')
    .description('set a value on every name server')
    .requiredOption('-s, --namespace <ns>', 'namespace')
    .requiredOption('-k, --key <key>', 'key')
    .requiredOption('-v, --value <value>', 'value')
    .action(
      run(async (opts: { namespace: string; key: string; value: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          await admin.putKvConfig(opts.namespace, opts.key, opts.value);
          emit(ctx.json, { namespace: opts.namespace, key: opts.key, value: opts.value }, () => printOk(`${opts.namespace}/${opts.key} = ${opts.value}`));
        }),
      ),
    );
  kv.command('delete')
    .description('remove a key on every name server')
    .requiredOption('-s, --namespace <ns>', 'namespace')
    .requiredOption('-k, --key <key>', 'key')
    .action(
      run(async (opts: { namespace: string; key: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          await admin.deleteKvConfig(opts.namespace, opts.key);
          emit(ctx.json, { namespace: opts.namespace, key: opts.key, deleted: true }, () => printOk(`${opts.namespace}/${opts.key} deleted`));
        }),
      ),
    );
}
