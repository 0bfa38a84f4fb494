/**
 * Tokenizer for RocketMQ's SQL92 selector grammar (SelectorParser.jj): case-insensitive keywords,
 * decimal / floating literals, single-quoted strings with '' as an escaped quote, identifiers of
 * letters, digits, '_' and '$', and the comparison operators. Longest match wins; on a tie a keyword
 * beats an identifier, as in JavaCC.
 */
export type TokenKind =
  | 'NOT' | 'AND' | 'OR' | 'BETWEEN' | 'IN' | 'TRUE' | 'FALSE' | 'NULL' | 'IS'
  | 'CONTAINS' | 'STARTSWITH' | 'ENDSWITH'
  | 'DECIMAL' | 'FLOAT' | 'STRING' | 'ID'
  | '=' | '<>' | '>' | '>=' | '<' | '<=' | '(' | ')' | ',' | '+' | '-'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  image: string;
  /** 1-based column of the first character. */
  column: number;
}

export class SqlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SqlSyntaxError';
  }
}

const KEYWORDS = new Set<TokenKind>([
  'NOT', 'AND', 'OR', 'BETWEEN', 'IN', 'TRUE', 'FALSE', 'NULL', 'IS', 'CONTAINS', 'STARTSWITH', 'ENDSWITH',
]);

const WS = /[ \t\n\r\f]+/y;
const LINE_COMMENT = /--[^\n\r]*(\r\n|\n|\r)/y;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//y;
const DECIMAL = /(0|[1-9][0-9]*[lL]?)/y;
const FLOAT = /([0-9]+\.[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)/y;
const STRING = /'(?:''|[^'])*'/y;
const ID = /[a-zA-Z_$][a-zA-Z0-9_$]*/y;
const OPERATORS: TokenKind[] = ['<>', '>=', '<=', '=', '>', '<', '(', ')', ',', '+', '-'];

function matchAt(re: RegExp, s: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(s);
  return m ? m[0] : null;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const skip = matchAt(WS, src, i) ?? matchAt(LINE_COMMENT, src, i) ?? matchAt(BLOCK_COMMENT, src, i);
    if (skip) {
      i += skip.length;
      continue;
    }
    const column = i + 1;
    const candidates: Array<[TokenKind, string | null]> = [
      ['FLOAT', matchAt(FLOAT, src, i)],
      ['DECIMAL', matchAt(DECIMAL, src, i)],
      ['STRING', matchAt(STRING, src, i)],
      ['ID', matchAt(ID, src, i)],
    ];
    let best: [TokenKind, string] | null = null;
    for (const [kind, img] of candidates) {
      if (img && (!best || img.length > best[1].length)) best = [kind, img];
    }
    if (!best) {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (op) best = [op, op];
    }
    if (!best) {
      if (src[i] === "'") throw new SqlSyntaxError(`unterminated string literal at column ${column}`);
      throw new SqlSyntaxError(`unexpected character '${src[i]}' at column ${column}`);
    }
    let [kind, image] = best;
    if (kind === 'ID') {
      const upper = image.toUpperCase() as TokenKind;
      if (KEYWORDS.has(upper)) kind = upper;
    }
    out.push({ kind, image, column });
    i += image.length;
  }
  out.push({ kind: 'EOF', image: '', column: src.length + 1 });
  return out;
}
