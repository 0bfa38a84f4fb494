import type { Expr } from './sql92-ast.js';
import {
  compareValues, EvalError, isNum, javaEquals, negate, parseJavaDouble, type Value,
} from './sql92-values.js';

/** Property lookup; RocketMQ evaluates selectors against the message's (string) properties. */
export type PropertyLookup = (name: string) => string | undefined | null;

/**
 * Evaluates with SQL's three-valued logic as Apache does: null means "unknown" and is not a match.
 * Throws EvalError for conversions Apache also fails on (the caller treats it as "no match").
 */
export function evaluate(e: Expr, get: PropertyLookup): Value {
  switch (e.t) {
    case 'const': return e.value;
    case 'prop': return get(e.name) ?? null;
    case 'neg': {
      const v = evaluate(e.e, get);
      return isNum(v) ? negate(v) : null;
    }
    case 'not': {
      const v = evaluate(e.e, get);
      if (v === null) return null;
      if (typeof v !== 'boolean') throw new EvalError('NOT applied to a non-boolean value');
      return !v;
    }
    case 'boolcast': {
      const v = evaluate(e.e, get);
      if (v === null) return null;
      return v === true;
    }
    case 'and': {
      const l = evaluate(e.l, get);
      if (l === false) return false;
      const r = evaluate(e.r, get);
      if (r === false) return false;
      if (l === null || r === null) return null;
      return true;
    }
    case 'or': {
      const l = evaluate(e.l, get);
      if (l === true) return true;
      const r = evaluate(e.r, get);
      if (r === true) return true;
      if (l === null || r === null) return null;
      return false;
    }
    case 'eq': {
      const l = evaluate(e.l, get);
      const r = evaluate(e.r, get);
      if ((l === null) !== (r === null)) return l === null ? null : false;
      if (l === null || r === null) return true;
      if (javaEquals(l, r)) return true;
      return compareValues(l, r) === 0;
    }
    case 'cmp': {
      const l = evaluate(e.l, get);
      if (l === null) return null;
      const r = evaluate(e.r, get);
      if (r === null) return null;
      let c: number;
      if (typeof l === 'string' && typeof r === 'string') {
        // Strings are only ordered as numbers (two properties compared with each other).
        c = compareValues(parseJavaDouble(l), parseJavaDouble(r));
      } else {
        c = compareValues(l, r);
      }
      switch (e.op) {
        case '>': return c > 0;
        case '>=': return c >= 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
      }
      return null;
    }
    case 'in': {
      const v = get(e.prop);
      if (v == null) return null;
      return e.list.has(v) !== e.not;
    }
    case 'str': {
      const v = evaluate(e.l, get);
      if (typeof v !== 'string') return false;
      const hit = e.op === 'CONTAINS' ? v.includes(e.s) : e.op === 'STARTSWITH' ? v.startsWith(e.s) : v.endsWith(e.s);
      return hit !== e.not;
    }
  }
}
