// Parsing flag values: every bad value is a usage error (exit 2) with a one-line message naming the flag.
import { CliError, ExitCode } from './exit-codes.js';

export function usage(message: string): CliError {
  return new CliError(message, ExitCode.USAGE);
}

export function parseIntFlag(flag: string, v: string | undefined, opts: { min?: number; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw usage(`${flag} must be an integer, got '${v}'`);
  const n = Number(v);
  if (opts.min !== undefined && n < opts.min) throw usage(`${flag} must be >= ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw usage(`${flag} must be <= ${opts.max}, got ${n}`);
  return n;
}

export function requireIntFlag(flag: string, v: string | undefined, opts: { min?: number; max?: number } = {}): number {
  const n = parseIntFlag(flag, v, opts);
  if (n === undefined) throw usage(`${flag} is required`);
  return n;
}

export function parseBoolFlag(flag: string, v: string | boolean | undefined): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  throw usage(`${flag} must be true or false, got '${v}'`);
}

/**
 * A point in time: milliseconds since the epoch, an ISO-8601 date, mqadmin's `yyyy-MM-dd#HH:mm:ss:SSS`
 * (local time), or a relative `-10m` / `-2h` / `-1d` before now.
 */
export function parseTimeFlag(flag: string, v: string | undefined, now = Date.now()): number | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  const rel = /^-(\d+)(s|m|h|d)$/.exec(s);
  if (rel) return now - Number(rel[1]) * { s: 1000, m: 60000, h: 3600000, d: 86400000 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  const mq = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(s);
  if (mq) {
    const [, y, mo, d, h, mi, se, ms] = mq.map(Number);
    return new Date(y, mo - 1, d, h, mi, se, ms).getTime();
  }
  const t = Date.parse(s);
  if (!Number.isNaN(t)) return t;
  throw usage(`${flag} must be a timestamp in ms, an ISO date, yyyy-MM-dd#HH:mm:ss:SSS or -<n>s|m|h|d, got '${v}'`);
}

/** `key=value` arguments into a record. */
export function parseKeyValues(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    const i = a.indexOf('=');
    if (i <= 0) throw usage(`expected key=value, got '${a}'`);
    out[a.slice(0, i).trim()] = a.slice(i + 1);
  }
  return out;
}
