/**
 * Helpers shared by the JSON body codecs: read a body in either dialect (native fastjson or standard JSON) and
 * coerce loosely typed members the way fastjson does (numbers for string fields, strings for number fields,
 * missing members -> defaults, unknown members ignored; remoting.md §9).
 */
import { parseFastjson, stringifyFastjson } from '../common/fastjson.js';

export class BodyDecodeError extends Error {
  constructor(what: string, cause: unknown) {
    super(`cannot decode ${what} body: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'BodyDecodeError';
  }
}

export type JsonObject = Record<string, unknown>;

/**
 * Set an own enumerable property whatever the key: names from the network (topics, namespaces, groups) may be
 * `__proto__`, which plain assignment would turn into a prototype change instead of a member.
 */
export function putOwn(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Parse a body (Buffer or text) in either dialect; object-valued map keys come back as Maps. */
export function parseBody(body: Buffer | string | undefined | null, what: string): unknown {
  if (body === undefined || body === null) throw new BodyDecodeError(what, 'no body');
  const text = typeof body === 'string' ? body : body.toString('utf8');
  try {
    return parseFastjson(text, { objectKeys: 'entries' });
  } catch (e) {
    throw new BodyDecodeError(what, e);
  }
}

/** Parse a body that must be a JSON object. */
export function parseObjectBody(body: Buffer | string | undefined | null, what: string): JsonObject {
  const v = parseBody(body, what);
  const o = asObject(v);
  if (!o) throw new BodyDecodeError(what, 'not a JSON object');
  return o;
}

export interface EncodeOptions {
  /** Standard JSON (quoted keys, sorted maps, escaped non-ASCII) instead of the native fastjson dialect. */
  standard?: boolean;
  pretty?: boolean;
}

export function encodeJson(value: unknown, opts: EncodeOptions = {}): Buffer {
  return Buffer.from(stringifyFastjson(value, opts), 'utf8');
}

export function asObject(v: unknown): JsonObject | undefined {
  if (v instanceof Map) {
    const o: JsonObject = {};
    for (const [k, val] of v) putOwn(o, typeof k === 'string' ? k : stringifyFastjson(k, { standard: true }), val);
    return o;
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

export function asString(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function asNumber(v: unknown, def: number): number;
export function asNumber(v: unknown, def?: number): number | undefined;
export function asNumber(v: unknown, def?: number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : def;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : def;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return def;
}

export function asInt(v: unknown, def: number): number;
export function asInt(v: unknown, def?: number): number | undefined;
export function asInt(v: unknown, def?: number): number | undefined {
  const n = asNumber(v);
  return n === undefined ? def : Math.trunc(n);
}

export function asBool(v: unknown, def: boolean): boolean;
export function asBool(v: unknown, def?: boolean): boolean | undefined;
export function asBool(v: unknown, def?: boolean): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  if (typeof v === 'number') return v !== 0;
  return def;
}

export function asArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v instanceof Set) return [...v];
  return [];
}

export function asStringArray(v: unknown): string[] {
  return asArray(v)
    .map(asString)
    .filter((s): s is string => s !== undefined);
}

/** Entries of a JSON map whatever its key kind (plain object, or Map when keys were objects). */
export function mapEntries(v: unknown): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  const o = asObject(v);
  return o ? Object.entries(o) : [];
}

/** A string->string map (KVTable, attributes, properties). */
export function asStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of mapEntries(v)) {
    const s = asString(val);
    const key = asString(k);
    if (s !== undefined && key !== undefined) putOwn(out, key, s);
  }
  return out;
}

/** Sorted copy of a string-keyed record (fastjson writes bean properties sorted; maps we emit sorted too). */
export function sortedRecord<V>(r: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(r).sort()) putOwn(out, k, r[k]);
  return out;
}
