// mqctl namesrv config get|set
import type { Command } from 'commander';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { emit, parseKeyValues, printOk } from '../output/index.js';

export function register(program: Command): void {
  const namesrv = program.command('namesrv').description('name server configuration').showHelpAfterError(false);
  const config = namesrv.command('config').description('read or change name server configuration');
  config
    .command('get')
    .description('configuration of every name server given with -n')
    .argument('[keys...]', 'only these keys')
    .action(
      run(async (keys: string[], _opts: unknown, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const all = await admin.getNamesrvConfig();
          const out: Record<string, Record<string, string>> = {};
          for (const [addr, cfg] of Object.entries(all)) {
            const entries = Object.entries(cfg).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
            out[addr] = Object.fromEntries(keys.length ? entries.filter(([k]) => keys.includes(k)) : entries);
          }
          emit(ctx.json, out, () => {
            for (const [addr, cfg] of Object.entries(out)) {
              process.stdout.write(`============${addr}============\n`);
              for (const [k, v] of Object.entries(cfg)) process.stdout.write(`${k.padEnd(50)}=  ${v}\n`);
            }
          });
        }),
      ),
    );
  config
    .command('set')
    .description('change name server configuration at runtime (every name server given with -n)')
    .argument('<key=value...>', 'settings to change')
    .action(
      run(async (pairs: string[], _opts: unknown, cmd: Command) => {
        const props = parseKeyValues(pairs);
        await withAdmin(cmd, async (admin, ctx) => {
          await admin.updateNamesrvConfig(props);
          emit(ctx.json, { updated: props, namesrv: admin.namesrvAddrs }, () => printOk(`updated ${Object.keys(props).join(', ')} on ${admin.namesrvAddrs.join(', ')}`));
        });
      }),
    );
}
