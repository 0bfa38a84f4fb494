// Printing results: a readable table by default, JSON for scripts. Commands build rows and call these;
// they never write to stdout directly, so --json output stays clean.
import Table from 'cli-table3';
import { colors, stopActivity } from './style.js';

export function printJson(value: unknown): void {
  stopActivity();
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** One JSON object per line (streams of messages, send results). */
export function printJsonLine(value: unknown): void {
  stopActivity();
  process.stdout.write(JSON.stringify(value, jsonReplacer) + '\n');
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Map) return Object.fromEntries(v);
  if (v instanceof Set) return [...v];
  return v;
}

export function renderTable(head: string[], rows: Array<Array<string | number | boolean | undefined | null>>): string {
  const c = colors();
  const table = new Table({
    head: head.map((h) => c.bold(h)),
    style: { head: [], border: [] },
    // no rule between rows: long listings stay readable
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const r of rows) table.push(r.map((v) => (v === undefined || v === null ? '' : String(v))));
  return table.toString();
}

export function printTable(head: string[], rows: Array<Array<string | number | boolean | undefined | null>>): void {
  stopActivity();
  process.stdout.write(renderTable(head, rows) + '\n');
}

/** Key/value pairs as a two-column table. */
export function printKeyValues(pairs: Array<[string, unknown]>, head: [string, string] = ['Key', 'Value']): void {
  printTable(head, pairs.map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v ?? '')]));
}

export function printError(message: string): void {
  stopActivity();
  process.stderr.write(`${colors().red('error:')} ${message}\n`);
}

export function printInfo(message: string): void {
  process.stderr.write(message + '\n');
}

/** JSON for scripts (--json), else whatever the human rendering prints. */
export function emit(json: boolean, value: unknown, human: () => void): void {
  stopActivity();
  if (json) printJson(value);
  else human();
}

/** One status line for people on stdout (nothing under --json, where the JSON result says it). */
export function printOk(message: string): void {
  stopActivity();
  process.stdout.write(`${colors().green('✔')} ${message}\n`);
}
