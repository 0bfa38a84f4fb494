/**
 * The JSON dialect of Alibaba fastjson, as RocketMQ's Java side writes and reads it
 * (remoting.md §9, storage.md §9).
 *
 * Parsing — `parseFastjson(text, opts?)`:
 *  - accepts standard JSON plus fastjson's lenient forms: unquoted numeric (or identifier) keys
 *    `{0:5,1:7}`, single-quoted strings, object-valued keys `{{"topic":"T","queueId":0}:{...}}`.
 *  - objects come back as plain JS objects; numeric keys become string property names (`"0"`).
 *  - object-valued keys: by default the key becomes a property name holding its canonical standard JSON
 *    (keys sorted), e.g. `'{"brokerName":"b","queueId":0,"topic":"T"}'`. With `{objectKeys: 'entries'}`
 *    every JSON object that has at least one object-valued key is returned as a `Map<unknown, unknown>`
 *    whose keys are the parsed key values (objects for object keys, strings otherwise).
 *  - integers outside ±2^53−1 come back as `bigint`; other numbers as `number`.
 *
 * Writing — `stringifyFastjson(value, opts?)`:
 *  - native dialect (default): plain objects are written with keys sorted alphabetically (fastjson sorts
 *    bean properties; map order is not significant to any reader); `null`/`undefined` members are omitted.
 *    A `Map` keeps insertion order: number/bigint keys are written unquoted, object keys as JSON objects,
 *    string keys quoted. A plain object wrapped with `numericKeys(obj)` has its integer-looking keys
 *    written unquoted (the `"T@G":{0:5,1:7}` shape of consumerOffset.json).
 *    `Set` → array, `Buffer`/`Uint8Array` → base64 string, `bigint` → number literal,
 *    `javaDouble(n)` → number always with a fraction (`0.0`).
 *  - `{pretty: true}`: fastjson PrettyFormat — tab indentation, `"key":value` without a space; maps with
 *    unquoted (numeric/object) keys stay on one line and close on a new indented line; arrays of scalars
 *    stay inline, arrays holding objects put each element on its own line.
 *  - `{standard: true}`: the "standard JSON" mode of route-info bodies — every key quoted, map entries
 *    sorted by key, non-ASCII escaped `\uXXXX`, `/` escaped as `\/`, integers beyond ±2^53−1 as strings.
 */

const NUMERIC_KEYS = Symbol.for('mqctl.fastjson.numericKeys');

/** Marks a plain object so its integer-looking keys are written unquoted (a Java Map<Integer/Long, V>). */
export function numericKeys<T extends object>(obj: T): T {
  Object.defineProperty(obj, NUMERIC_KEYS, { value: true, enumerable: false, configurable: true });
  return obj;
}

function hasNumericKeys(obj: object): boolean {
  return (obj as Record<symbol, unknown>)[NUMERIC_KEYS] === true;
}

/** A Java `double`: fastjson always writes it with a fraction. */
export class JavaDouble {
  constructor(readonly value: number) {}
}

export function javaDouble(n: number): JavaDouble {
  return new JavaDouble(n);
}

export class FastjsonSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at position ${position}`);
    this.name = 'FastjsonSyntaxError';
  }
}

export interface ParseOptions {
  objectKeys?: 'string' | 'entries';
}

export function parseFastjson(text: string, opts: ParseOptions = {}): unknown {
  const p = new Parser(text, opts.objectKeys === 'entries');
  p.skipWs();
  const v = p.value();
  p.skipWs();
  if (p.pos < text.length) throw new FastjsonSyntaxError('unexpected trailing characters', p.pos);
  return v;
}

class Parser {
  pos = 0;
  constructor(readonly s: string, readonly entries: boolean) {}

  skipWs(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x08) this.pos++;
      else break;
    }
  }

  fail(msg: string): never {
    throw new FastjsonSyntaxError(msg, this.pos);
  }

  value(): unknown {
    const s = this.s;
    if (this.pos >= s.length) this.fail('unexpected end of input');
    const c = s[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"' || c === "'") return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (s.startsWith('true', this.pos)) { this.pos += 4; return true; }
    if (s.startsWith('false', this.pos)) { this.pos += 5; return false; }
    if (s.startsWith('null', this.pos)) { this.pos += 4; return null; }
    return this.fail(`unexpected character '${c}'`);
  }

  object(): unknown {
    this.pos++; // {
    const keys: unknown[] = [];
    const values: unknown[] = [];
    let objectKey = false;
    this.skipWs();
    if (this.s[this.pos] === '}') { this.pos++; return {}; }
    for (;;) {
      this.skipWs();
      const c = this.s[this.pos];
      let key: unknown;
      if (c === '"' || c === "'") key = this.string();
      else if (c === '{' || c === '[') { key = this.value(); objectKey = true; }
      else key = this.bareKey();
      this.skipWs();
      if (this.s[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipWs();
      keys.push(key);
      values.push(this.value());
      this.skipWs();
      const d = this.s[this.pos];
      if (d === ',') { this.pos++; this.skipWs(); if (this.s[this.pos] === '}') { this.pos++; break; } continue; }
      if (d === '}') { this.pos++; break; }
      this.fail("expected ',' or '}'");
    }
    if (objectKey && this.entries) {
      const m = new Map<unknown, unknown>();
      keys.forEach((k, i) => m.set(k, values[i]));
      return m;
    }
    const o: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      const name = typeof k === 'string' ? k : typeof k === 'object' && k !== null ? canonical(k) : String(k);
      o[name] = values[i];
    });
    return o;
  }

  bareKey(): string {
    const start = this.pos;
    while (this.pos < this.s.length) {
      const c = this.s[this.pos];
      if (c === ':' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',' || c === '}') break;
      this.pos++;
    }
    if (this.pos === start) this.fail('empty key');
    return this.s.slice(start, this.pos);
  }

  array(): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') { this.pos++; return out; }
    for (;;) {
      this.skipWs();
      out.push(this.value());
      this.skipWs();
      const d = this.s[this.pos];
      if (d === ',') { this.pos++; this.skipWs(); if (this.s[this.pos] === ']') { this.pos++; break; } continue; }
      if (d === ']') { this.pos++; break; }
      this.fail("expected ',' or ']'");
    }
    return out;
  }

  string(): string {
    const q = this.s[this.pos++];
    let out = '';
    let chunk = this.pos;
    const s = this.s;
    for (;;) {
      if (this.pos >= s.length) this.fail('unterminated string');
      const c = s[this.pos];
      if (c === q) { out += s.slice(chunk, this.pos); this.pos++; return out; }
      if (c === '\\') {
        out += s.slice(chunk, this.pos);
        const e = s[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'v': out += '\v'; break;
          case '0': out += '\0'; break;
          case 'u': {
            const hex = s.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          case 'x': {
            const hex = s.slice(this.pos, this.pos + 2);
            if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('bad \\x escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 2;
            break;
          }
          case undefined: this.fail('unterminated string'); break;
          default: out += e;
        }
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  number(): number | bigint {
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[LlFfDd]?/.exec(this.s.slice(this.pos, this.pos + 64));
    if (!m) this.fail('bad number');
    this.pos += m[0].length;
    let t = m[0];
    const suffix = /[LlFfDd]$/.test(t);
    if (suffix) t = t.slice(0, -1);
    if (!m[1] && !m[2]) {
      const n = Number(t);
      if (!Number.isSafeInteger(n)) return BigInt(t);
      return n;
    }
    return Number(t);
  }
}

/** Canonical standard JSON (sorted keys) used to name object-valued keys in 'string' mode. */
function canonical(v: unknown): string {
  return stringifyFastjson(v, { standard: true });
}

export interface StringifyOptions {
  pretty?: boolean;
  standard?: boolean;
}

export function stringifyFastjson(value: unknown, opts: StringifyOptions = {}): string {
  const w = new Writer(!!opts.pretty, !!opts.standard);
  w.write(value, 0);
  return w.out;
}

const SAFE = 9007199254740991n;

function isUnquotedKey(k: string): boolean {
  return /^-?\d+$/.test(k);
}

class Writer {
  out = '';
  constructor(readonly pretty: boolean, readonly standard: boolean) {}

  nl(depth: number): void {
    if (this.pretty) this.out += '\n' + '\t'.repeat(depth);
  }

  str(s: string): void {
    let r = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const ch = s[i];
      if (ch === '"') r += '\\"';
      else if (ch === '\\') r += '\\\\';
      else if (c === 0x0a) r += '\\n';
      else if (c === 0x0d) r += '\\r';
      else if (c === 0x09) r += '\\t';
      else if (c === 0x08) r += '\\b';
      else if (c === 0x0c) r += '\\f';
      else if (c < 0x20 || (this.standard && c > 0x7e)) r += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
      else if (this.standard && ch === '/') r += '\\/';
      else r += ch;
    }
    this.out += r + '"';
  }

  num(n: number): void {
    if (!Number.isFinite(n)) { this.out += 'null'; return; }
    if (this.standard && Number.isInteger(n) && !Number.isSafeInteger(n)) { this.out += `"${n}"`; return; }
    this.out += String(n);
  }

  write(v: unknown, depth: number): void {
    if (v === null || v === undefined) { this.out += 'null'; return; }
    switch (typeof v) {
      case 'string': this.str(v); return;
      case 'number': this.num(v); return;
      case 'bigint':
        if (this.standard && (v > SAFE || v < -SAFE)) this.out += `"${v}"`;
        else this.out += v.toString();
        return;
      case 'boolean': this.out += v ? 'true' : 'false'; return;
      case 'object': break;
      default: this.out += 'null'; return;
    }
    if (v instanceof JavaDouble) {
      const n = v.value;
      this.out += Number.isInteger(n) && Number.isFinite(n) && Math.abs(n) < 1e21 ? `${n}.0` : String(n);
      return;
    }
    if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
      this.str(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
      return;
    }
    if (v instanceof Date) { this.out += String(v.getTime()); return; }
    if (Array.isArray(v) || v instanceof Set) { this.array([...v], depth); return; }
    if (v instanceof Map) {
      this.entries([...v.entries()], depth, false);
      return;
    }
    const obj = v as Record<string, unknown>;
    let keys = Object.keys(obj).filter((k) => obj[k] !== undefined && obj[k] !== null);
    const numeric = hasNumericKeys(obj);
    if (!numeric || this.standard) keys = keys.sort();
    const list: [unknown, unknown][] = keys.map((k) => [numeric && isUnquotedKey(k) ? Number(k) : k, obj[k]]);
    this.entries(list, depth, !numeric);
  }

  array(items: unknown[], depth: number): void {
    if (items.length === 0) { this.out += '[]'; return; }
    const block = this.pretty && items.some((x) => x !== null && typeof x === 'object' && !(x instanceof JavaDouble));
    this.out += '[';
    items.forEach((x, i) => {
      if (i) this.out += ',';
      if (block) this.nl(depth + 1);
      this.write(x === undefined ? null : x, depth + 1);
    });
    if (block) this.nl(depth);
    this.out += ']';
  }

  /** `plainObject` true for ordinary string-keyed objects already sorted; maps may need sorting in standard mode. */
  entries(list: [unknown, unknown][], depth: number, plainObject: boolean): void {
    list = list.filter(([, val]) => val !== undefined && val !== null);
    if (list.length === 0) { this.out += '{}'; return; }
    if (this.standard && !plainObject) {
      list = [...list].sort(([a], [b]) => compareKeys(a, b));
    }
    // fastjson pretty-prints string-keyed maps one entry per line; unquoted-key maps stay on one line.
    const unquoted = !this.standard && list.some(([k]) => typeof k !== 'string');
    this.out += '{';
    list.forEach(([k, val], i) => {
      if (i) this.out += ',';
      if (!unquoted) this.nl(depth + 1);
      this.key(k, depth + 1);
      this.out += ':';
      this.write(val, depth + 1);
    });
    this.nl(depth);
    this.out += '}';
  }

  key(k: unknown, depth: number): void {
    if (typeof k === 'string') { this.str(k); return; }
    if (typeof k === 'number' || typeof k === 'bigint') {
      if (this.standard) this.out += `"${k}"`;
      else this.out += String(k);
      return;
    }
    if (this.standard) { this.str(stringifyFastjson(k, { standard: true })); return; }
    this.write(k, depth);
  }
}

function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const sa = typeof a === 'object' ? canonical(a) : String(a);
  const sb = typeof b === 'object' ? canonical(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
