/**
 * CESQL lexer (CESQL §2). Keywords are case-insensitive (§2); identifiers are lower-cased because
 * attribute names are lower-case (§2.2) — the TCK expects `EXISTS SOURCE` to address `source`.
 */

export const KEYWORDS = ['AND', 'OR', 'XOR', 'NOT', 'LIKE', 'IN', 'EXISTS', 'TRUE', 'FALSE'] as const;
export type Keyword = (typeof KEYWORDS)[number];

export type Token =
  | { kind: 'integer'; text: string; pos: number; end: number }
  | { kind: 'string'; value: string; pos: number; end: number }
  /** A word that is not a keyword: an attribute or (when `(` follows) a function name. */
  | { kind: 'word'; text: string; pos: number; end: number }
  | { kind: 'keyword'; keyword: Keyword; pos: number; end: number }
  | { kind: 'symbol'; symbol: string; pos: number; end: number }
  | { kind: 'eof'; pos: number; end: number };

/** A syntax error at a 1-based column; compileCesql turns it into HERALD_INVALID_FILTER. */
export class CesqlSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'CesqlSyntaxError';
    this.position = position;
  }
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const TWO_CHAR_SYMBOLS = new Set(['!=', '<>', '<=', '>=']);
const ONE_CHAR_SYMBOLS = new Set(['=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',']);

function isWordChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (c === "'" || c === '"') {
      const [value, next] = readString(text, i);
      tokens.push({ kind: 'string', value, pos, end: next + 1 });
      i = next;
      continue;
    }
    if (isWordChar(c)) {
      let j = i;
      while (j < text.length && isWordChar(text[j])) j++;
      const word = text.slice(i, j);
      if (/^[0-9]+$/.test(word)) tokens.push({ kind: 'integer', text: word, pos, end: j + 1 });
      else if (KEYWORD_SET.has(word.toUpperCase())) {
        tokens.push({ kind: 'keyword', keyword: word.toUpperCase() as Keyword, pos, end: j + 1 });
      } else tokens.push({ kind: 'word', text: word, pos, end: j + 1 });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_SYMBOLS.has(two)) {
      tokens.push({ kind: 'symbol', symbol: two, pos, end: pos + 2 });
      i += 2;
      continue;
    }
    if (ONE_CHAR_SYMBOLS.has(c)) {
      tokens.push({ kind: 'symbol', symbol: c, pos, end: pos + 1 });
      i++;
      continue;
    }
    throw new CesqlSyntaxError(`unexpected character ${JSON.stringify(c)}`, pos);
  }
  tokens.push({ kind: 'eof', pos: text.length + 1, end: text.length + 1 });
  return tokens;
}

/**
 * Reads a string literal starting at its opening quote (CESQL §2.2): only the delimiting quote can
 * be escaped (`\'` in '…', `\"` in "…"); any other backslash is kept as written, so `'ab\c'` is
 * the four characters a b \ c (TCK like_expression "Exact match (2)").
 */
function readString(text: string, start: number): [string, number] {
  const quote = text[start];
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === quote) {
      out += quote;
      i += 2;
      continue;
    }
    if (c === quote) return [out, i + 1];
    out += c;
    i++;
  }
  throw new CesqlSyntaxError('unterminated string literal', start + 1);
}
