// Colour and spinners only for people: off when stdout is not a TTY, under NO_COLOR, or with --json.
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

let instance: ChalkInstance | undefined;
/** A chalk instance whose level follows colorEnabled() (chalk's own detection ignores NO_COLOR="" edge cases). */
export function colors(): ChalkInstance {
  instance ??= colorEnabled() ? chalk : new Chalk({ level: 0 });
  return instance;
}

/** A spinner on stderr when it is a TTY; otherwise a no-op object with the same calls. */
export function spinner(text: string): Pick<Ora, 'succeed' | 'fail' | 'stop'> & { text: string } {
  if (process.stderr.isTTY && !process.env.CI) {
    return ora({ text, stream: process.stderr, color: 'cyan' }).start();
  }
  return { text, succeed: () => undefined as never, fail: () => undefined as never, stop: () => undefined as never } as never;
}

let active: (Pick<Ora, 'stop'> & { text: string }) | undefined;

/** A spinner for a command's network work (TTY only, never with --json); output calls stop it first. */
export function startActivity(text: string, json: boolean): void {
  if (json || active || !process.stderr.isTTY || process.env.CI) return;
  active = spinner(text);
}

export function stopActivity(): void {
  active?.stop();
  active = undefined;
}
