// Wraps a command action: maps errors to mqctl's exit codes with one line on stderr.
import type { Command } from 'commander';
import { RemotingConnectError, RemotingError, RemotingTimeoutError } from '../remoting/errors.js';
import { CliError, ExitCode, type ExitCodeValue } from './output/exit-codes.js';
import { printError } from './output/print.js';

export function exitCodeFor(err: unknown): ExitCodeValue {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof RemotingConnectError) return ExitCode.CONNECT;
  if (err instanceof RemotingTimeoutError) return ExitCode.CONNECT;
  if (err instanceof RemotingError) return ExitCode.FAILED;
  const code = (err as { exitCode?: unknown })?.exitCode;
  if (typeof code === 'number' && code >= 0 && code <= 4) return code as ExitCodeValue;
  return ExitCode.FAILED;
}

/** Use as `.action(run(async (opts, cmd) => {...}))`. */
export function run<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      printError(message);
      process.exitCode = exitCodeFor(err);
    }
  };
}

/** The Command object commander passes last to every action. */
export function commandOf(args: unknown[]): Command {
  return args[args.length - 1] as Command;
}
