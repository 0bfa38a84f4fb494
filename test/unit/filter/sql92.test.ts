import { describe, expect, it } from 'vitest';
import { compileSql92, Sql92CompileError, validateSql92 } from '../../../src/broker/filter/sql92.js';

const m = (expr: string, props: Record<string, string>) => compileSql92(expr).matches(props);

describe('SQL92 selector: comparisons', () => {
  it('a > 5 AND region = eu', () => {
    const s = compileSql92("a > 5 AND region = 'eu'");
    expect(s.matches({ a: '6', region: 'eu' })).toBe(true);
    expect(s.matches({ a: '5', region: 'eu' })).toBe(false);
    expect(s.matches({ a: '60', region: 'us' })).toBe(false);
    expect(s.matches({ region: 'eu' })).toBe(false);
    expect(s.matches({ a: 'x', region: 'eu' })).toBe(false);
  });

  it('string property is parsed to the literal type (int vs double)', () => {
    expect(m('a > 5', { a: '5.5' })).toBe(false); // Integer.valueOf("5.5") fails: no match
    expect(m('a > 5.0', { a: '5.5' })).toBe(true);
    expect(m('a >= 5', { a: '5' })).toBe(true);
    expect(m('a < 5', { a: '-7' })).toBe(true);
    expect(m('a <= -3', { a: '-3' })).toBe(true);
    expect(m('a > 2147483648', { a: '3000000000' })).toBe(true); // long literal
    expect(m('a > 5', { a: '3000000000' })).toBe(false); // out of int range: parse fails
    expect(m('a > 10L', { a: '11' })).toBe(true);
  });

  it('equality of strings and numbers', () => {
    expect(m("a = 'x'", { a: 'x' })).toBe(true);
    expect(m("a = 'x'", { a: 'y' })).toBe(false);
    expect(m("a <> 'x'", { a: 'y' })).toBe(true);
    expect(m("a <> 'x'", {})).toBe(false); // unknown stays unknown
    expect(m('a = 10', { a: '10' })).toBe(true);
    expect(m('a = 10', { a: '010' })).toBe(true);
    expect(m('a = 10', { a: 'ten' })).toBe(false);
    expect(m('a <> 10', { a: 'ten' })).toBe(false);
    expect(m("'x' = a", { a: 'x' })).toBe(true);
    expect(m("a = b", { a: 'q', b: 'q' })).toBe(true);
    expect(m("TAGS = 'TagA'", { TAGS: 'TagA' })).toBe(true);
  });

  it('booleans compare with string properties via Boolean.valueOf', () => {
    expect(m('flag = TRUE', { flag: 'true' })).toBe(true);
    expect(m('flag = TRUE', { flag: 'TRUE' })).toBe(true);
    expect(m('flag = FALSE', { flag: 'yes' })).toBe(true);
    expect(m('flag', { flag: 'true' })).toBe(false); // a bare property is never a Boolean
    expect(m('TRUE', {})).toBe(true);
    expect(m('FALSE', {})).toBe(false);
  });

  it('two properties ordered numerically', () => {
    expect(m('a > b', { a: '10', b: '9' })).toBe(true); // as numbers, not as text
    expect(m('a > b', { a: 'x', b: '9' })).toBe(false);
  });
});

describe('SQL92 selector: BETWEEN, IN, IS NULL, logic', () => {
  it('BETWEEN and NOT BETWEEN', () => {
    expect(m('a BETWEEN 1 AND 3', { a: '1' })).toBe(true);
    expect(m('a BETWEEN 1 AND 3', { a: '3' })).toBe(true);
    expect(m('a BETWEEN 1 AND 3', { a: '4' })).toBe(false);
    expect(m('a NOT BETWEEN 1 AND 3', { a: '4' })).toBe(true);
    expect(m('a NOT BETWEEN 1 AND 3', { a: '2' })).toBe(false);
    expect(m('a between 0.5 and 1.5', { a: '1.25' })).toBe(true);
  });

  it('IN and NOT IN', () => {
    expect(m("region IN ('eu', 'us')", { region: 'us' })).toBe(true);
    expect(m("region IN ('eu', 'us')", { region: 'asia' })).toBe(false);
    expect(m("region NOT IN ('eu', 'us')", { region: 'asia' })).toBe(true);
    expect(m("region NOT IN ('eu')", {})).toBe(false);
    expect(m("r IN ('a','b','c','d','e','f')", { r: 'f' })).toBe(true);
  });

  it('IS NULL / IS NOT NULL', () => {
    expect(m('a IS NULL', {})).toBe(true);
    expect(m('a IS NULL', { a: '' })).toBe(false);
    expect(m('a IS NOT NULL', { a: '1' })).toBe(true);
    expect(m('a is not null', {})).toBe(false);
  });

  it('AND / OR / NOT with three-valued logic and precedence', () => {
    expect(m("a = '1' OR b = '2' AND c = '3'", { a: '1' })).toBe(true);
    expect(m("(a = '1' OR b = '2') AND c = '3'", { a: '1' })).toBe(false);
    expect(m("NOT (a = '1')", { a: '2' })).toBe(true);
    expect(m("NOT (a = '1')", {})).toBe(false);
    expect(m("a IS NULL OR a = 'x'", {})).toBe(true);
    expect(m("x = 'no' OR a = 'x'", { a: 'x' })).toBe(true);
    expect(m("x = 'no' AND a = 'x'", { a: 'x' })).toBe(false);
  });

  it('string literals, escapes, keywords case-insensitive, comments', () => {
    expect(m("name = 'O''Brien'", { name: "O'Brien" })).toBe(true);
    expect(m("a = 'x' and B = 'y'", { a: 'x', B: 'y' })).toBe(true);
    expect(m("A = 'x'", { a: 'x' })).toBe(false); // property names are case-sensitive
    expect(m("a = 'x' /* block */ AND b = 'y'", { a: 'x', b: 'y' })).toBe(true);
    expect(m("a = 'x' -- trailing comment\n", { a: 'x' })).toBe(true);
    expect(m('$x_1 = 2', { $x_1: '2' })).toBe(true);
  });

  it('unary minus and plus, exponents', () => {
    expect(m('a > -5', { a: '-4' })).toBe(true);
    expect(m('a = +5', { a: '5' })).toBe(true);
    expect(m('a > 1E2', { a: '100.5' })).toBe(true);
    expect(m('a < .5', { a: '0.25' })).toBe(true);
  });

  it('CONTAINS / STARTSWITH / ENDSWITH', () => {
    expect(m("a CONTAINS 'bc'", { a: 'abcd' })).toBe(true);
    expect(m("a NOT CONTAINS 'bc'", { a: 'abcd' })).toBe(false);
    expect(m("a STARTSWITH 'ab'", { a: 'abcd' })).toBe(true);
    expect(m("a ENDSWITH 'cd'", { a: 'abcd' })).toBe(true);
    expect(m("a ENDSWITH 'x'", {})).toBe(false);
  });

  it('accepts a Map or a lookup function', () => {
    const s = compileSql92('a = 1');
    expect(s.matches(new Map([['a', '1']]))).toBe(true);
    expect(s.matches((n) => (n === 'a' ? '2' : undefined))).toBe(false);
  });
});

describe('SQL92 selector: bad expressions', () => {
  const bad = [
    ['', /empty/],
    ['a >', /end of expression/],
    ["a > 'abc'", /cannot be compared/],
    ['a = NULL', /NULL/],
    ["TRUE = 'x'", /cannot be compared/],
    ['a BETWEEN 5 AND 1', /BETWEEN/],
    ["a BETWEEN 'x' AND 'y'", /cannot be compared|BETWEEN/],
    ['5 IN (\'a\')', /property for IN/],
    ["a IN ()", /string literal/],
    ["a IN (1, 2)", /string literal/],
    ["a = 'unterminated", /unterminated/],
    ['a # 3', /unexpected character/],
    ['a = 1 b', /column 7/],
    ['a = 99999999999999999999', /long range/],
    ['a > 0.0', /less than/],
    ["'x'", /boolean value/],
    ['a IS 5', /NULL/],
    ['(a = 1', /"\)"/],
  ] as const;
  for (const [expr, re] of bad) {
    it(`refuses ${JSON.stringify(expr)}`, () => {
      expect(() => compileSql92(expr)).toThrow(Sql92CompileError);
      expect(() => compileSql92(expr)).toThrow(re);
      expect(validateSql92(expr)).toMatch(/^Invalid SQL92 expression/);
    });
  }
  it('validate returns null for a good expression', () => {
    expect(validateSql92("a > 5 AND region = 'eu'")).toBeNull();
  });
});

describe('SQL92 selector: hostile input', () => {
  it('absurd nesting is a compile error, not a crash', () => {
    const deep = '('.repeat(200000) + 'a = 1' + ')'.repeat(200000);
    expect(() => compileSql92(deep)).toThrow(/nested too deeply/);
  });
  it('a long AND chain compiles and evaluates', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `p${i % 7} IS NOT NULL`).join(' AND ');
    const props = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`p${i}`, 'x']));
    expect(compileSql92(chain).matches(props)).toBe(true);
    expect(compileSql92(chain).matches({ p0: 'x' })).toBe(false);
  });
});
