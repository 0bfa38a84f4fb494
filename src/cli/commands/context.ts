// mqctl context add|use|list|remove — named name-server settings in ~/.mqctl/config.json (MQCTL_HOME)
import type { Command } from 'commander';
import { configPath, contextOf, loadConfig, saveConfig } from '../context.js';
import { run } from '../run.js';
import { CliError, ExitCode, emit, parseIntFlag, printOk, printTable, usage } from '../output/index.js';

export function register(program: Command): void {
  const context = program.command('context').description('named name-server settings (~/.mqctl/config.json)').showHelpAfterError(false);

  context
    .command('add')
    .description('add or replace a context')
    .argument('<name>', 'context name')
    .requiredOption('-s, --server <addr>', 'name server address(es) "host:port;host:port"')
    .option('--request-timeout <ms>', 'request timeout for this context')
    .option('--use', 'also make it the current context')
    .action(
      run(async (name: string, opts: { server: string; requestTimeout?: string; use?: boolean }, cmd: Command) => {
        if (!/^[\w.-]+$/.test(name)) throw usage(`context names use letters, digits, '.', '_' and '-', got '${name}'`);
        const timeout = parseIntFlag('--request-timeout', opts.requestTimeout, { min: 1 });
        const cfg = loadConfig();
        cfg.contexts[name] = { namesrv: opts.server, ...(timeout !== undefined ? { timeout } : {}) };
        if (opts.use || !cfg.current) cfg.current = name;
        saveConfig(cfg);
        emit(contextOf(cmd).json, { name, ...cfg.contexts[name], current: cfg.current === name }, () => printOk(`context ${name} -> ${opts.server}${cfg.current === name ? ' (current)' : ''}`));
      }),
    );

  context
    .command('use')
    .description('make a context the current one')
    .argument('<name>', 'context name')
    .action(
      run(async (name: string, _opts: unknown, cmd: Command) => {
        const cfg = loadConfig();
        if (!cfg.contexts[name]) throw new CliError(`no context named '${name}' in ${configPath()}`, ExitCode.NOT_FOUND);
        cfg.current = name;
        saveConfig(cfg);
        emit(contextOf(cmd).json, { current: name }, () => printOk(`current context: ${name} (${cfg.contexts[name].namesrv})`));
      }),
    );

  context
    .command('list')
    .description('all contexts; * marks the current one')
    .action(
      run(async (_opts: unknown, cmd: Command) => {
        const cfg = loadConfig();
        const list = Object.entries(cfg.contexts).map(([name, c]) => ({ name, namesrv: c.namesrv, timeout: c.timeout, current: cfg.current === name }));
        emit(contextOf(cmd).json, list, () => printTable(['', 'Name', 'Name Server', 'Timeout (ms)'], list.map((c) => [c.current ? '*' : '', c.name, c.namesrv, c.timeout ?? ''])));
      }),
    );

  context
    .command('remove')
    .description('delete a context')
    .argument('<name>', 'context name')
    .action(
      run(async (name: string, _opts: unknown, cmd: Command) => {
        const cfg = loadConfig();
        if (!cfg.contexts[name]) throw new CliError(`no context named '${name}' in ${configPath()}`, ExitCode.NOT_FOUND);
        delete cfg.contexts[name];
        if (cfg.current === name) cfg.current = undefined;
        saveConfig(cfg);
        emit(contextOf(cmd).json, { removed: name }, () => printOk(`context ${name} removed`));
      }),
    );
}
