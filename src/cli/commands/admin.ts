// mqctl admin <mqadmin command> [mqadmin flags]: Apache mqadmin's daily commands under their own names and
// flags, printing mqadmin's columns so existing scripts keep working — but with mqctl's exit codes
// (mqadmin exits 0 even when a command fails).
import type { Command } from 'commander';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { CliError, ExitCode, stopActivity } from '../output/index.js';
import { parseMqadminArgs } from './admin/options.js';
import { jformat } from './admin/printf.js';
import { compatCommands, findCompatCommand } from './admin/registry.js';

function listCommands(): string {
  return compatCommands.map((c) => jformat('   %-35s %s%n', c.name, c.desc)).join('');
}

function commandHelp(name: string): string {
  const c = findCompatCommand(name);
  if (!c) return '';
  const lines = c.options.map((o) => jformat(' %-32s %s', `-${o.short},--${o.long}${o.arg ? ' <arg>' : ''}`, [o.desc, o.required ? '(required)' : ''].filter(Boolean).join(' ')).trimEnd() + '\n');
  return `usage: mqctl admin ${c.name} [-n <namesrv>] ${c.options.map((o) => `${o.required ? '' : '['}-${o.short}${o.arg ? ` <${o.long}>` : ''}${o.required ? '' : ']'}`).join(' ')}\n${lines.join('')}`;
}

export function register(program: Command): void {
  program
    .command('admin')
    .description("Apache mqadmin-compatible commands and output (mqctl's exit codes); `mqctl admin` lists them")
    .argument('[command]', 'mqadmin command name, e.g. topicList, updateTopic, consumerProgress')
    .argument('[args...]', "mqadmin's flags for that command")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .showHelpAfterError(false)
    .action(
      run(async (name: string | undefined, args: string[], _opts: unknown, cmd: Command) => {
        if (!name || name === 'help' || name === '-h' || name === '--help') {
          if (name === 'help' && args[0]) process.stdout.write(commandHelp(args[0]) || `The sub command ${args[0]} not exist.\n`);
          else process.stdout.write(`The most commonly used mqadmin commands are:\n${listCommands()}\nSee 'mqctl admin help <command>' for more information on a specific command.\n`);
          return;
        }
        const c = findCompatCommand(name);
        if (!c) throw new CliError(`The sub command ${name} not exist.`, ExitCode.USAGE);
        if (args.includes('-h') || args.includes('--help')) {
          process.stdout.write(commandHelp(name));
          return;
        }
        // -n/--namesrvAddr and mqctl's own --json/--timeout/--context are taken by the program itself
        const parsed = parseMqadminArgs(c.name, [...c.options], args);
        await withAdmin(cmd, async (admin) => {
          await c.run(admin, parsed, (s) => {
            stopActivity();
            process.stdout.write(s);
          });
        });
      }),
    );
}
