// mqadmin's command lines (Apache commons-cli, GNU style): `-t T`, `-tT`, `--topic T`, `--topic=T`; flags
// without a value; unknown options and missing required ones are usage errors (exit 2 here; mqadmin exits 1).
import { usage } from '../../output/index.js';

export interface OptSpec {
  short: string;
  long: string;
  arg: boolean;
  required?: boolean;
  desc?: string;
}

export type Parsed = Map<string, string | true>;

export function o(short: string, long: string, arg: boolean, required = false, desc = ''): OptSpec {
  return { short, long, arg, required, desc };
}

export function parseMqadminArgs(command: string, specs: OptSpec[], argv: string[]): Parsed {
  const out: Parsed = new Map();
  const byShort = new Map(specs.map((s) => [s.short, s]));
  const byLong = new Map(specs.map((s) => [s.long.toLowerCase(), s]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let spec: OptSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = (eq > 0 ? a.slice(2, eq) : a.slice(2)).toLowerCase();
      spec = byLong.get(name);
      if (eq > 0) inline = a.slice(eq + 1);
    } else if (a.startsWith('-') && a.length > 1) {
      // commons-cli also takes multi-letter short names (-qn); try the whole token first
      spec = byShort.get(a.slice(1));
      if (!spec) {
        spec = byShort.get(a[1]);
        if (spec && a.length > 2) inline = a.slice(2);
      }
    } else {
      throw usage(`mqadmin ${command}: unexpected argument '${a}'`);
    }
    if (!spec) throw usage(`mqadmin ${command}: Unrecognized option: ${a}`);
    if (spec.arg) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw usage(`mqadmin ${command}: Missing argument for option: ${spec.short}`);
      out.set(spec.short, v);
    } else {
      out.set(spec.short, true);
    }
  }
  const missing = specs.filter((s) => s.required && !out.has(s.short));
  if (missing.length) throw usage(`mqadmin ${command}: Missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((s) => s.short).join(', ')}`);
  return out;
}

/** String value of an option, trimmed as mqadmin does. */
export function str(p: Parsed, short: string): string | undefined {
  const v = p.get(short);
  return typeof v === 'string' ? v.trim() : undefined;
}

export function int(p: Parsed, short: string, command: string): number | undefined {
  const v = str(p, short);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw usage(`mqadmin ${command}: -${short} must be an integer, got '${v}'`);
  return Number(v);
}

/** Boolean.parseBoolean. */
export function bool(p: Parsed, short: string): boolean | undefined {
  const v = p.get(short);
  if (v === undefined) return undefined;
  if (v === true) return true;
  return v.trim().toLowerCase() === 'true';
}
