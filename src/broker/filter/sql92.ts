import type { Expr } from './sql92-ast.js';
import { evaluate, type PropertyLookup } from './sql92-eval.js';
import { SqlSyntaxError } from './sql92-lexer.js';
import { parseSql92 } from './sql92-parser.js';

/** A selector that failed to compile; the message names the expression and the reason. */
export class Sql92CompileError extends Error {
  constructor(readonly expression: string, readonly reason: string) {
    super(`Invalid SQL92 expression "${expression}": ${reason}`);
    this.name = 'Sql92CompileError';
  }
}

export interface Sql92Selector {
  readonly expression: string;
  /** True only when the expression evaluates to TRUE (unknown and errors are "no match"). */
  matches(properties: Record<string, string> | Map<string, string> | PropertyLookup): boolean;
}

class CompiledSelector implements Sql92Selector {
  constructor(readonly expression: string, private readonly tree: Expr) {}

  matches(properties: Record<string, string> | Map<string, string> | PropertyLookup): boolean {
    const get: PropertyLookup = typeof properties === 'function'
      ? properties
      : properties instanceof Map
        ? (n) => properties.get(n)
        : (n) => (Object.prototype.hasOwnProperty.call(properties, n) ? properties[n] : undefined);
    try {
      return evaluate(this.tree, get) === true;
    } catch {
      return false;
    }
  }
}

// Subscriptions are few and long-lived; a small cache avoids re-parsing on every pull.
const CACHE_MAX = 256;
const cache = new Map<string, Sql92Selector | Sql92CompileError>();

/** Compiles a selector (cached); throws Sql92CompileError with a clear message on a bad expression. */
export function compileSql92(expression: string | null | undefined): Sql92Selector {
  const src = expression ?? '';
  const hit = cache.get(src);
  if (hit instanceof Sql92CompileError) throw hit;
  if (hit) return hit;
  let result: Sql92Selector | Sql92CompileError;
  try {
    result = new CompiledSelector(src, parseSql92(src));
  } catch (e) {
    // A stack overflow from absurd nesting is a bad expression too, never a server fault.
    const reason = e instanceof SqlSyntaxError ? e.message
      : e instanceof RangeError ? 'the expression is nested too deeply' : `cannot compile: ${(e as Error).message}`;
    result = new Sql92CompileError(src, reason);
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(src, result);
  if (result instanceof Sql92CompileError) throw result;
  return result;
}

/** Returns null when the expression compiles, otherwise the error text. */
export function validateSql92(expression: string | null | undefined): string | null {
  try {
    compileSql92(expression);
    return null;
  } catch (e) {
    if (e instanceof Sql92CompileError) return e.message;
    throw e;
  }
}
