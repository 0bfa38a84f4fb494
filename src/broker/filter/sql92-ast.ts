import type { Value } from './sql92-values.js';

/** Expression tree of a compiled SQL92 selector. */
export type Expr =
  /** `bool` marks TRUE / FALSE / NULL, which Apache treats as boolean expressions. */
  | { t: 'const'; value: Value; bool: boolean }
  | { t: 'prop'; name: string }
  | { t: 'neg'; e: Expr }
  | { t: 'not'; e: Expr }
  /** A bare property used as a condition: true only for a Boolean value, which string properties never are. */
  | { t: 'boolcast'; e: Expr }
  | { t: 'and' | 'or'; l: Expr; r: Expr }
  | { t: 'eq'; l: Expr; r: Expr }
  | { t: 'cmp'; op: '>' | '>=' | '<' | '<='; l: Expr; r: Expr }
  | { t: 'in'; prop: string; list: Set<string>; not: boolean }
  | { t: 'str'; op: 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH'; l: Expr; s: string; not: boolean };

export function isBooleanExpr(e: Expr): boolean {
  switch (e.t) {
    case 'const': return e.bool;
    case 'prop': case 'neg': return false;
    default: return true;
  }
}

export function exprToString(e: Expr): string {
  switch (e.t) {
    case 'const': {
      const v = e.value;
      if (v === null) return 'NULL';
      if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
      if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
      return String(v.v);
    }
    case 'prop': return e.name;
    case 'neg': return `(- ${exprToString(e.e)})`;
    case 'not': return `(NOT ${exprToString(e.e)})`;
    case 'boolcast': return exprToString(e.e);
    case 'and': return `(${exprToString(e.l)} AND ${exprToString(e.r)})`;
    case 'or': return `(${exprToString(e.l)} OR ${exprToString(e.r)})`;
    case 'eq': return `(${exprToString(e.l)} = ${exprToString(e.r)})`;
    case 'cmp': return `(${exprToString(e.l)} ${e.op} ${exprToString(e.r)})`;
    case 'in': return `${e.prop} ${e.not ? 'NOT IN' : 'IN'} (${[...e.list].map((x) => `'${x}'`).join(', ')})`;
    case 'str': return `(${exprToString(e.l)} ${e.not ? 'NOT ' : ''}${e.op} '${e.s}')`;
  }
}
