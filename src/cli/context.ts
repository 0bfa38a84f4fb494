// Where a command finds the name server and its common settings: -n/--namesrv, then NAMESRV_ADDR, then the
// named context (--context, or the current one chosen with `mqctl context use`) in ~/.mqctl/config.json,
// then 127.0.0.1:9876. MQCTL_HOME moves ~/.mqctl (tests use it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError, ExitCode } from './output/exit-codes.js';

export interface GlobalOptions {
  namesrv?: string;
  json?: boolean;
  timeout?: string;
  context?: string;
}

export interface ContextEntry {
  namesrv: string;
  timeout?: number;
}

export interface MqctlConfig {
  current?: string;
  contexts: Record<string, ContextEntry>;
}

export function mqctlHome(): string {
  return process.env.MQCTL_HOME ?? join(homedir(), '.mqctl');
}

export function configPath(): string {
  return join(mqctlHome(), 'config.json');
}

export function loadConfig(): MqctlConfig {
  const p = configPath();
  if (!existsSync(p)) return { contexts: {} };
  try {
    const parsed = JSON.parse(readFileSync(p, 'utf8')) as Partial<MqctlConfig>;
    return { current: parsed.current, contexts: parsed.contexts ?? {} };
  } catch (e) {
    throw new CliError(`cannot read ${p}: ${(e as Error).message}`, ExitCode.USAGE);
  }
}

export function saveConfig(cfg: MqctlConfig): void {
  mkdirSync(mqctlHome(), { recursive: true });
  const p = configPath();
  writeFileSync(p + '.tmp', JSON.stringify(cfg, null, 2) + '\n');
  renameSync(p + '.tmp', p);
}

export const DEFAULT_NAMESRV = '127.0.0.1:9876';

export interface ResolvedContext {
  namesrv: string;
  json: boolean;
  timeoutMs: number;
}

export function resolveContext(opts: GlobalOptions): ResolvedContext {
  let ctx: ContextEntry | undefined;
  const cfgNeeded = !opts.namesrv && !process.env.NAMESRV_ADDR;
  if (opts.context || cfgNeeded) {
    const cfg = loadConfig();
    const name = opts.context ?? cfg.current;
    if (name) {
      ctx = cfg.contexts[name];
      if (!ctx && opts.context) throw new CliError(`no context named '${name}' in ${configPath()}`, ExitCode.USAGE);
    }
  }
  const namesrv = opts.namesrv ?? process.env.NAMESRV_ADDR ?? ctx?.namesrv ?? DEFAULT_NAMESRV;
  let timeoutMs = ctx?.timeout ?? 5000;
  if (opts.timeout !== undefined) {
    timeoutMs = Number(opts.timeout);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new CliError(`--timeout must be a positive number of ms, got '${opts.timeout}'`, ExitCode.USAGE);
  }
  return { namesrv, json: Boolean(opts.json), timeoutMs };
}

/** Global options of the command being run (they may be given before or after the subcommand). */
export function globalsOf(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** The common settings of the command being run, resolved. */
export function contextOf(cmd: Command): ResolvedContext {
  return resolveContext(globalsOf(cmd));
}

/**
 * Run `fn` with an admin client for the resolved name server, closing it afterwards. The admin client is
 * imported lazily so commands that never talk to a server (completion, context) load nothing of it.
 */
export async function withAdmin<T>(cmd: Command, fn: (admin: import('../client/admin/index.js').MQAdmin, ctx: ResolvedContext) => Promise<T>): Promise<T> {
  const ctx = contextOf(cmd);
  const { MQAdmin } = await import('../client/admin/index.js');
  const admin = new MQAdmin({ namesrv: ctx.namesrv, timeoutMs: ctx.timeoutMs });
  const { startActivity, stopActivity } = await import('./output/style.js');
  startActivity(`asking ${ctx.namesrv}`, ctx.json);
  try {
    return await fn(admin, ctx);
  } finally {
    stopActivity();
    admin.close();
  }
}
