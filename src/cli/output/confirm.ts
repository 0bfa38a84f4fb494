// Confirmation for destructive commands: --yes skips it; on a terminal the user is asked; in a script
// (stdin not a TTY) without --yes the command refuses with a usage error rather than guessing.
import { createInterface } from 'node:readline/promises';
import { CliError, ExitCode } from './exit-codes.js';
import { stopActivity } from './style.js';

export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  stopActivity();
  if (!process.stdin.isTTY) throw new CliError(`${question} — refusing without --yes (stdin is not a terminal)`, ExitCode.USAGE);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new CliError('aborted', ExitCode.FAILED);
  } finally {
    rl.close();
  }
}
