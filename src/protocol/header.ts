/**
 * Typed request/response headers <-> extFields (remoting.md §8).
 *
 * Encoding mirrors Java's makeCustomHeaderToNet: every non-null field becomes `name -> String(value)`.
 * Decoding mirrors decodeCommandCustomHeader: a missing or unparsable field is left undefined (Java null) or at
 * its primitive default, never an error — except in "fast codes" headers (send V2, pull, send/pull responses),
 * whose hand-written Java decoders let a parse failure escape; `strict: true` reproduces that.
 */

export type FieldType = 'string' | 'int' | 'long' | 'boolean' | 'double';

export interface FieldSpec {
  type: FieldType;
  /** `@CFNotNull` in Java: a Java sender always fills it; see {@link missingRequired}. */
  required?: boolean;
  /**
   * Java primitive (int/long/boolean): always present when encoded and never null when decoded;
   * this is its default value.
   */
  primitive?: number | boolean;
  /** Name on the wire when it differs from the property name (e.g. `bname` for brokerName). */
  key?: string;
}

/** Spec shorthand: a bare type, or a full FieldSpec. */
export type FieldDef = FieldType | FieldSpec;

export type HeaderSpec<T> = { [K in keyof T]-?: FieldDef };

export class HeaderParseError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
    readonly type: FieldType,
  ) {
    super(`For input string: "${value}" (field ${field}, ${type})`);
    this.name = 'HeaderParseError';
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const DECIMAL = /^[+-]?\d+$/;

/** Java Integer.parseInt: optional sign, decimal digits, 32-bit range; otherwise undefined. */
export function parseJavaInt(s: string): number | undefined {
  // up to 9 plain digits always fit an int: the common case (queue ids, flags, counts) without a RegExp
  if (s.length > 0 && s.length <= 9) {
    let v = 0;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === s.length) return v;
  }
  if (!DECIMAL.test(s)) return undefined;
  const n = Number(s);
  return n >= INT_MIN && n <= INT_MAX ? n : undefined;
}

/**
 * Java Long.parseLong: optional sign, decimal digits, 64-bit range; otherwise undefined.
 * Values beyond 2^53 lose precision in a JS number; offsets and timestamps never get there.
 */
export function parseJavaLong(s: string): number | undefined {
  if (!DECIMAL.test(s)) return undefined;
  const b = BigInt(s);
  return b >= LONG_MIN && b <= LONG_MAX ? Number(b) : undefined;
}

/** Java Boolean.parseBoolean: true only for "true" in any case. */
export function parseJavaBoolean(s: string | undefined): boolean {
  return s !== undefined && s.toLowerCase() === 'true';
}

const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** Java Double.parseDouble for the decimal forms (surrounding whitespace allowed); otherwise undefined. */
export function parseJavaDouble(s: string): number | undefined {
  const t = s.trim();
  if (!JAVA_DOUBLE.test(t)) return undefined;
  return Number(t.replace(/[fFdD]$/, ''));
}

/** Java Double.toString: shortest digits, always a fraction ("1.0"), scientific outside [1e-3, 1e7) ("1.0E7"). */
export function javaDoubleString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const t = String(n);
    return t.includes('.') ? t : `${t}.0`;
  }
  const [mant, exp] = n.toExponential().split('e');
  return `${mant.includes('.') ? mant : `${mant}.0`}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

function specOf(def: FieldDef): FieldSpec {
  return typeof def === 'string' ? { type: def } : def;
}

function parseValue(type: FieldType, raw: string): string | number | boolean | undefined {
  switch (type) {
    case 'string':
      return raw;
    case 'int':
      return parseJavaInt(raw);
    case 'long':
      return parseJavaLong(raw);
    case 'boolean':
      return parseJavaBoolean(raw);
    case 'double':
      return parseJavaDouble(raw);
  }
}

function formatValue(type: FieldType, v: unknown): string {
  if (type === 'double' && typeof v === 'number') return javaDoubleString(v);
  if (type === 'int' || type === 'long') {
    if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(Math.trunc(v));
    if (typeof v === 'bigint') return v.toString();
  }
  return String(v);
}

export interface DecodeOptions {
  /** Throw {@link HeaderParseError} when a present value does not parse (Java FastCodesHeader decoders). */
  strict?: boolean;
}

export interface HeaderCodec<T> {
  readonly spec: Readonly<Record<string, FieldSpec>>;
  /** Header -> extFields; undefined/null fields are omitted, primitives always written. */
  toFields(h: Partial<T>): Record<string, string>;
  /** extFields -> header with Java's lenient parse rules. */
  fromFields(ext: Record<string, string> | undefined | null, opts?: DecodeOptions): T;
  /** Names of required fields that are absent in a decoded header. */
  missingRequired(h: Partial<T>): string[];
}

/** Build the codec of one header class from its field table. */
export function defineHeader<T extends object>(specDefs: HeaderSpec<T>): HeaderCodec<T> {
  const spec: Record<string, FieldSpec> = {};
  for (const [name, def] of Object.entries(specDefs as Record<string, FieldDef>)) spec[name] = specOf(def);
  return {
    spec,
    toFields(h) {
      const out: Record<string, string> = {};
      const rec = h as Record<string, unknown>;
      for (const [name, s] of Object.entries(spec)) {
        let v = rec[name];
        if (v === undefined || v === null) v = s.primitive;
        if (v === undefined || v === null) continue;
        out[s.key ?? name] = formatValue(s.type, v);
      }
      return out;
    },
    fromFields(ext, opts) {
      const out: Record<string, unknown> = {};
      for (const [name, s] of Object.entries(spec)) {
        const raw = ext ? ext[s.key ?? name] : undefined;
        let v: unknown;
        if (raw !== undefined && raw !== null) {
          v = parseValue(s.type, String(raw));
          if (v === undefined && opts?.strict) throw new HeaderParseError(s.key ?? name, String(raw), s.type);
        }
        if (v === undefined) v = s.primitive;
        if (v !== undefined) out[name] = v;
      }
      return out as T;
    },
    missingRequired(h) {
      const rec = h as Record<string, unknown>;
      return Object.entries(spec)
        .filter(([name, s]) => s.required && (rec[name] === undefined || rec[name] === null))
        .map(([name, s]) => s.key ?? name);
    },
  };
}

/**
 * Decode and insist on the required fields: the error text matches Java's
 * RemotingCommandException ("the custom field <name> is null"), which servers turn into SYSTEM_ERROR.
 */
export function decodeRequired<T extends object>(
  codec: HeaderCodec<T>,
  ext: Record<string, string> | undefined | null,
  opts?: DecodeOptions,
): T {
  const h = codec.fromFields(ext, opts);
  const missing = codec.missingRequired(h);
  if (missing.length > 0) throw new Error(`the custom field <${missing[0]}> is null`);
  return h;
}
