import { exprToString, isBooleanExpr, type Expr } from './sql92-ast.js';
import { SqlSyntaxError, tokenize, type Token, type TokenKind } from './sql92-lexer.js';
import { compareValues, EvalError, INT_MAX, INT_MIN, isNum, type Num } from './sql92-values.js';

/**
 * Recursive-descent parser following the precedence of Apache's SelectorParser.jj:
 *   or < and < equality (=, <>, IS [NOT] NULL) < comparison (>, >=, <, <=, [NOT] BETWEEN, [NOT] IN,
 *   [NOT] CONTAINS / STARTSWITH / ENDSWITH) < unary (+, -, NOT) < primary (literal, identifier, parentheses).
 * NOT is a unary operator binding tighter than comparisons, exactly as in Apache. The compile-time checks
 * of Apache's expression factories are applied here too (e.g. `<` needs numeric literals, `= NULL` is refused).
 */
export function parseSql92(src: string): Expr {
  return new Parser(tokenize(src)).parseSelector();
}

const STRING_OPS = new Set<TokenKind>(['CONTAINS', 'STARTSWITH', 'ENDSWITH']);
const LONG_MAX = (1n << 63n) - 1n;

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'EOF') this.pos++;
    return t;
  }

  private expect(kind: TokenKind, what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) throw this.unexpected(what);
    return this.next();
  }

  private unexpected(expected: string): SqlSyntaxError {
    const t = this.peek();
    const found = t.kind === 'EOF' ? 'end of expression' : `"${t.image}"`;
    return new SqlSyntaxError(`encountered ${found} at column ${t.column}, expected ${expected}`);
  }

  parseSelector(): Expr {
    if (this.peek().kind === 'EOF') throw new SqlSyntaxError('the expression is empty');
    const e = asBoolean(this.orExpr());
    if (this.peek().kind !== 'EOF') throw this.unexpected('AND, OR or the end of the expression');
    return e;
  }

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.peek().kind === 'OR') {
      this.next();
      left = { t: 'or', l: asBoolean(left), r: asBoolean(this.andExpr()) };
    }
    return left;
  }

  private andExpr(): Expr {
    let left = this.equalityExpr();
    while (this.peek().kind === 'AND') {
      this.next();
      left = { t: 'and', l: asBoolean(left), r: asBoolean(this.equalityExpr()) };
    }
    return left;
  }

  private equalityExpr(): Expr {
    let left = this.comparisonExpr();
    for (;;) {
      const k = this.peek().kind;
      if (k === '=') {
        this.next();
        left = createEqual(left, this.comparisonExpr());
      } else if (k === '<>') {
        this.next();
        left = { t: 'not', e: createEqual(left, this.comparisonExpr()) };
      } else if (k === 'IS' && this.peek(1).kind === 'NULL') {
        this.pos += 2;
        left = { t: 'eq', l: left, r: NULL_CONST };
      } else if (k === 'IS' && this.peek(1).kind === 'NOT') {
        this.pos += 2;
        this.expect('NULL', 'NULL after IS NOT');
        left = { t: 'not', e: { t: 'eq', l: left, r: NULL_CONST } };
      } else if (k === 'IS') {
        this.next();
        throw this.unexpected('NULL or NOT NULL after IS');
      } else {
        return left;
      }
    }
  }

  private comparisonExpr(): Expr {
    let left = this.unaryExpr();
    for (;;) {
      const t = this.peek();
      const k = t.kind;
      if (k === '>' || k === '>=' || k === '<' || k === '<=') {
        this.next();
        left = createCompare(k, left, this.unaryExpr());
        continue;
      }
      let not = false;
      let op: TokenKind = k;
      if (k === 'NOT') {
        const after = this.peek(1).kind;
        if (after !== 'BETWEEN' && after !== 'IN' && !STRING_OPS.has(after)) return left;
        not = true;
        op = after;
        this.next();
      }
      if (op === 'BETWEEN') {
        this.next();
        const low = this.unaryExpr();
        this.expect('AND', 'AND in BETWEEN');
        const high = this.unaryExpr();
        left = not ? createNotBetween(left, low, high) : createBetween(left, low, high);
      } else if (op === 'IN') {
        this.next();
        left = createIn(left, this.stringList(), not);
      } else if (STRING_OPS.has(op)) {
        this.next();
        left = { t: 'str', op: op as 'CONTAINS', l: left, s: this.stringLiteral(), not };
      } else {
        return left;
      }
    }
  }

  private stringList(): string[] {
    this.expect('(', '"(" after IN');
    const list = [this.stringLiteral()];
    while (this.peek().kind === ',') {
      this.next();
      list.push(this.stringLiteral());
    }
    this.expect(')', '"," or ")" in the IN list');
    return list;
  }

  private stringLiteral(): string {
    const t = this.expect('STRING', 'a quoted string literal');
    return decodeString(t.image);
  }

  private unaryExpr(): Expr {
    const k = this.peek().kind;
    if (k === '+') {
      this.next();
      return this.unaryExpr();
    }
    if (k === '-') {
      this.next();
      return { t: 'neg', e: this.unaryExpr() };
    }
    if (k === 'NOT') {
      this.next();
      return { t: 'not', e: asBoolean(this.unaryExpr()) };
    }
    return this.primaryExpr();
  }

  private primaryExpr(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'STRING': this.next(); return { t: 'const', value: decodeString(t.image), bool: false };
      case 'DECIMAL': this.next(); return { t: 'const', value: decimalLiteral(t.image), bool: false };
      case 'FLOAT': this.next(); return { t: 'const', value: floatLiteral(t.image), bool: false };
      case 'TRUE': this.next(); return { t: 'const', value: true, bool: true };
      case 'FALSE': this.next(); return { t: 'const', value: false, bool: true };
      case 'NULL': this.next(); return NULL_CONST;
      case 'ID': this.next(); return { t: 'prop', name: t.image };
      case '(': {
        this.next();
        const e = this.orExpr();
        this.expect(')', '")"');
        return e;
      }
      default:
        throw this.unexpected('a literal, a property name or "("');
    }
  }
}

const NULL_CONST: Expr = { t: 'const', value: null, bool: true };

function decodeString(image: string): string {
  return image.slice(1, -1).replace(/''/g, "'");
}

function decimalLiteral(image: string): Num {
  const text = /[lL]$/.test(image) ? image.slice(0, -1) : image;
  const n = BigInt(text);
  if (n > LONG_MAX) throw new SqlSyntaxError(`number ${image} is out of the long range`);
  if (n >= BigInt(INT_MIN) && n <= BigInt(INT_MAX)) return { kind: 'int', v: Number(n) };
  return { kind: 'long', v: n };
}

function floatLiteral(image: string): Num {
  const v = Number(image);
  // Apache refuses values above Double.MAX_VALUE and below Double.MIN_VALUE (which makes 0.0 illegal too).
  if (v > Number.MAX_VALUE) throw new SqlSyntaxError(`${image} is greater than 1.7976931348623157E308`);
  if (v < Number.MIN_VALUE) throw new SqlSyntaxError(`${image} is less than 4.9E-324`);
  return { kind: 'double', v };
}

function asBoolean(e: Expr): Expr {
  if (isBooleanExpr(e)) return e;
  if (e.t === 'prop') return { t: 'boolcast', e };
  throw new SqlSyntaxError(`expression will not result in a boolean value: ${exprToString(e)}`);
}

function checkEqualOperand(e: Expr): void {
  if (e.t === 'const' && e.value === null) throw new SqlSyntaxError(`'NULL' cannot be compared (use IS NULL)`);
}

function createEqual(l: Expr, r: Expr): Expr {
  checkEqualOperand(l);
  checkEqualOperand(r);
  if (l.t === 'const' && r.t === 'const' && l.bool && !r.bool) {
    throw new SqlSyntaxError(`'${exprToString(l)}' cannot be compared with '${exprToString(r)}'`);
  }
  return { t: 'eq', l, r };
}

function checkLessThanOperand(e: Expr): void {
  if (e.t === 'const') {
    if (isNum(e.value)) return;
    throw new SqlSyntaxError(`value ${exprToString(e)} cannot be compared with <, <=, >, >= (numbers only)`);
  }
  if (isBooleanExpr(e)) throw new SqlSyntaxError(`value ${exprToString(e)} cannot be compared with <, <=, >, >=`);
}

function createCompare(op: '>' | '>=' | '<' | '<=', l: Expr, r: Expr): Expr {
  checkLessThanOperand(l);
  checkLessThanOperand(r);
  return { t: 'cmp', op, l, r };
}

function createBetween(value: Expr, low: Expr, high: Expr): Expr {
  if (low.t === 'const' && high.t === 'const') {
    if (low.value === null || high.value === null) throw new SqlSyntaxError('illegal values of BETWEEN: values can not be NULL');
    let order: number;
    try {
      order = compareValues(high.value, low.value);
    } catch (e) {
      throw new SqlSyntaxError(`illegal values of BETWEEN: ${(e as EvalError).message}`);
    }
    if (order < 0) {
      throw new SqlSyntaxError(`illegal values of BETWEEN: left value (${exprToString(low)}) must be less than or equal to right value (${exprToString(high)})`);
    }
  }
  return { t: 'and', l: createCompare('>=', value, low), r: createCompare('<=', value, high) };
}

function createNotBetween(value: Expr, low: Expr, high: Expr): Expr {
  return { t: 'or', l: createCompare('<', value, low), r: createCompare('>', value, high) };
}

function createIn(left: Expr, list: string[], not: boolean): Expr {
  if (left.t !== 'prop') throw new SqlSyntaxError(`expected a property for IN expression, got: ${exprToString(left)}`);
  return { t: 'in', prop: left.name, list: new Set(list), not };
}
