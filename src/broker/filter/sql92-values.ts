/**
 * Runtime values of the SQL92 property filter, modelled on the Java types Apache's evaluator uses:
 * Integer / Long / Double numbers, String, Boolean and null. The distinction between int, long and double
 * matters because a string property is parsed to the type of the literal it is compared with.
 */
export type Num =
  | { kind: 'int'; v: number }
  | { kind: 'long'; v: bigint }
  | { kind: 'double'; v: number };

export type Value = null | boolean | string | Num;

/** Raised while evaluating (bad number text, incomparable types); the message then does not match. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

export function isNum(v: Value): v is Num {
  return typeof v === 'object' && v !== null;
}

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
const LONG_MIN = -(1n << 63n);
const LONG_MAX = (1n << 63n) - 1n;

/** Java Integer.valueOf / Long.valueOf text rules: optional sign, decimal digits only. */
const INTEGER_TEXT = /^[+-]?[0-9]+$/;
/** Java Double.valueOf text rules (decimal forms, NaN, Infinity, optional f/d suffix; surrounding blanks trimmed). */
const DOUBLE_TEXT = /^[+-]?(NaN|Infinity|(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?)[fFdD]?)$/;

export function parseJavaInt(s: string): Num {
  if (!INTEGER_TEXT.test(s)) throw new EvalError(`For input string: "${s}" (not an integer)`);
  const n = Number(s);
  if (n < INT_MIN || n > INT_MAX) throw new EvalError(`For input string: "${s}" (out of int range)`);
  return { kind: 'int', v: n };
}

export function parseJavaLong(s: string): Num {
  if (!INTEGER_TEXT.test(s)) throw new EvalError(`For input string: "${s}" (not a long)`);
  const n = BigInt(s);
  if (n < LONG_MIN || n > LONG_MAX) throw new EvalError(`For input string: "${s}" (out of long range)`);
  return { kind: 'long', v: n };
}

export function parseJavaDouble(s: string): Num {
  // Java trims chars <= ' ' before parsing.
  const t = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const m = DOUBLE_TEXT.exec(t);
  if (!m) throw new EvalError(`For input string: "${s}" (not a number)`);
  const body = t.replace(/[fFdD]$/, '');
  if (/NaN$/.test(body)) return { kind: 'double', v: NaN };
  if (/Infinity$/.test(body)) return { kind: 'double', v: body.startsWith('-') ? -Infinity : Infinity };
  return { kind: 'double', v: Number(body) };
}

/** Java Boolean.valueOf(String). */
export function parseJavaBoolean(s: string): boolean {
  return s.toLowerCase() === 'true';
}

function toDouble(n: Num): Num {
  return n.kind === 'double' ? n : { kind: 'double', v: Number(n.v) };
}

function toLong(n: Num): Num {
  return n.kind === 'int' ? { kind: 'long', v: BigInt(n.v) } : n;
}

function cmpPrimitive<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Double.compareTo: NaN is the largest and equals itself; -0.0 sorts before 0.0. */
function compareDouble(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  if (a === 0 && b === 0) {
    const na = Object.is(a, -0);
    const nb = Object.is(b, -0);
    return na === nb ? 0 : na ? -1 : 1;
  }
  return 0;
}

function compareSameKind(a: Num, b: Num): number {
  if (a.kind === 'double' && b.kind === 'double') return compareDouble(a.v, b.v);
  if (a.kind === 'long' && b.kind === 'long') return cmpPrimitive(a.v, b.v);
  if (a.kind === 'int' && b.kind === 'int') return cmpPrimitive(a.v, b.v);
  throw new EvalError('internal: numeric kinds differ');
}

/** Java equals(): same class and same value (Double by bits: NaN equals NaN, 0.0 differs from -0.0). */
export function javaEquals(a: Exclude<Value, null>, b: Exclude<Value, null>): boolean {
  if (isNum(a) && isNum(b)) {
    if (a.kind !== b.kind) return false;
    if (a.kind === 'double') return Object.is(a.v, b.v);
    return a.v === b.v;
  }
  return a === b;
}

/**
 * Compares two non-null values the way Apache's filter does with string conversion enabled (always on in
 * RocketMQ): numbers are widened to the wider type, a string is parsed to the type of the other side, a
 * string facing a boolean is read as Boolean.valueOf, and any other mixed pair compares as -1.
 */
export function compareValues(lv: Exclude<Value, null>, rv: Exclude<Value, null>): number {
  if (typeof lv === 'string' && typeof rv === 'string') return cmpPrimitive(lv, rv);
  if (typeof lv === 'boolean' && typeof rv === 'boolean') return cmpPrimitive(Number(lv), Number(rv));
  if (isNum(lv) && isNum(rv)) {
    if (lv.kind === rv.kind) return compareSameKind(lv, rv);
    if (lv.kind === 'double' || rv.kind === 'double') return compareSameKind(toDouble(lv), toDouble(rv));
    return compareSameKind(toLong(lv), toLong(rv));
  }
  if (typeof lv === 'boolean') {
    // Apache casts the Boolean itself to String here and fails.
    if (typeof rv === 'string') throw new EvalError(`cannot compare boolean ${lv} with string '${rv}'`);
    return -1;
  }
  if (isNum(lv)) {
    if (typeof rv === 'string') return compareSameKind(lv, parseAs(lv.kind, rv));
    return -1;
  }
  // lv is a string
  if (typeof rv === 'boolean') return cmpPrimitive(Number(parseJavaBoolean(lv)), Number(rv));
  if (isNum(rv)) return compareSameKind(parseAs(rv.kind, lv), rv);
  return -1;
}

function parseAs(kind: Num['kind'], s: string): Num {
  return kind === 'int' ? parseJavaInt(s) : kind === 'long' ? parseJavaLong(s) : parseJavaDouble(s);
}

export function negate(n: Num): Num {
  if (n.kind === 'int') {
    // -Integer.MIN_VALUE overflows back to itself in Java.
    return { kind: 'int', v: n.v === INT_MIN ? INT_MIN : -n.v };
  }
  if (n.kind === 'long') return { kind: 'long', v: n.v === LONG_MIN ? LONG_MIN : -n.v };
  return { kind: 'double', v: -n.v };
}

export function formatValue(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (v.kind === 'double') return formatJavaDouble(v.v);
  return String(v.v);
}

function formatJavaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  const s = String(d);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
