/**
 * Hand-written recursive-descent parser for CESQL v1 (grammar: CESQL §2; precedence: §3.6).
 *
 * Precedence, loosest first, as §3.6 lists it (all binary levels associate left to right):
 *   AND OR XOR  — one level, so `a OR b AND c` is `(a OR b) AND c`: §3.6 puts them in one group
 *                 "evaluated left to right when the precedence is equal" (write parentheses!)
 *   = != <> < <= > >=
 *   + -
 *   * / %
 *   x [NOT] LIKE 'pattern', x [NOT] IN (…)   (postfix on a unary operand)
 *   NOT x, -x, EXISTS name
 *   literals, attributes, function calls, ( … )
 */
import { CesqlSyntaxError, tokenize, type Keyword, type Token } from './lexer.js';
import type { BinaryOperator, Node } from './types.js';

/**
 * Limits (docs/filters-cesql.md, "Limits"; issue 11, item 5: 100 000 `(` or `NOT` and 50 000 `AND`s
 * overflowed the stack and answered 500). Nesting — parentheses, `NOT`, unary minus, function calls,
 * `IN` lists — is capped at 64 levels, which keeps this parser's recursion shallow; the number of
 * operators and operands at 2 000, which bounds the depth of a long flat chain (`a AND b AND …` is
 * a left-deep tree) for the recursive compiler, and the work one evaluation can do.
 */
export const MAX_CESQL_DEPTH = 64;
export const MAX_CESQL_NODES = 2000;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const COMPARISON = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
const ATTRIBUTE_NAME = /^[A-Za-z0-9]+$/;
const FUNCTION_NAME = /^[A-Za-z][A-Za-z_]*$/;

export function parseCesql(text: string): Node {
  return new Parser(tokenize(text)).parseRoot();
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof': return 'end of expression';
    case 'integer': return `integer ${token.text}`;
    case 'string': return `string ${JSON.stringify(token.value)}`;
    case 'word': return `"${token.text}"`;
    case 'keyword': return token.keyword;
    case 'symbol': return `"${token.symbol}"`;
  }
}

/** The expression is past a limit: too deep (`depth`) or too large (`size`). */
export class CesqlLimitError extends Error {
  constructor(
    readonly limit: 'depth' | 'size',
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'CesqlLimitError';
  }
}

class Parser {
  private index = 0;
  private depth = 0;
  private nodes = 0;
  constructor(private readonly tokens: Token[]) {}

  parseRoot(): Node {
    if (this.peek().kind === 'eof') throw new CesqlSyntaxError('empty expression', 1);
    const node = this.parseLogic();
    const next = this.peek();
    if (next.kind !== 'eof') throw new CesqlSyntaxError(`unexpected ${describe(next)}`, next.pos);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private isKeyword(keyword: Keyword, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'keyword' && token.keyword === keyword;
  }

  private isSymbol(symbol: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'symbol' && token.symbol === symbol;
  }

  private expectSymbol(symbol: string): Token {
    const token = this.next();
    if (token.kind !== 'symbol' || token.symbol !== symbol) {
      throw new CesqlSyntaxError(`expected "${symbol}" but found ${describe(token)}`, token.pos);
    }
    return token;
  }

  /** Enters one level of nesting; `leave()` after. */
  private enter(pos: number): void {
    if (++this.depth > MAX_CESQL_DEPTH) {
      throw new CesqlLimitError('depth', `the expression nests more than ${MAX_CESQL_DEPTH} levels deep (the limit is ${MAX_CESQL_DEPTH})`, pos);
    }
  }

  private leave(): void {
    this.depth--;
  }

  /** Counts one node of the syntax tree. */
  private count(pos: number): void {
    if (++this.nodes > MAX_CESQL_NODES) {
      throw new CesqlLimitError('size', `the expression has more than ${MAX_CESQL_NODES} operators and operands (the limit is ${MAX_CESQL_NODES})`, pos);
    }
  }

  private parseLogic(): Node {
    let left = this.parseComparison();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'keyword' || (token.keyword !== 'AND' && token.keyword !== 'OR' && token.keyword !== 'XOR')) {
        return left;
      }
      this.next();
      this.count(token.pos);
      const right = this.parseComparison();
      left = { kind: 'binary', op: token.keyword, left, right, pos: left.pos, end: right.end };
    }
  }

  private parseComparison(): Node {
    let left = this.parseAdditive();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'symbol' || !COMPARISON.has(token.symbol)) return left;
      this.next();
      this.count(token.pos);
      const right = this.parseAdditive();
      left = { kind: 'binary', op: token.symbol as BinaryOperator, left, right, pos: left.pos, end: right.end };
    }
  }

  private parseAdditive(): Node {
    let left = this.parseMultiplicative();
    while (this.isSymbol('+') || this.isSymbol('-')) {
      const token = this.next();
      this.count(token.pos);
      const op = (token as { symbol: string }).symbol as BinaryOperator;
      const right = this.parseMultiplicative();
      left = { kind: 'binary', op, left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseMultiplicative(): Node {
    let left = this.parsePostfix();
    while (this.isSymbol('*') || this.isSymbol('/') || this.isSymbol('%')) {
      const token = this.next();
      this.count(token.pos);
      const op = (token as { symbol: string }).symbol as BinaryOperator;
      const right = this.parsePostfix();
      left = { kind: 'binary', op, left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  /** `x [NOT] LIKE 'p'` and `x [NOT] IN (…)` (CESQL §2.3); they chain left to right. */
  private parsePostfix(): Node {
    let operand = this.parseUnary();
    for (;;) {
      const negated = this.isKeyword('NOT') && (this.isKeyword('LIKE', 1) || this.isKeyword('IN', 1));
      const offset = negated ? 1 : 0;
      if (this.isKeyword('LIKE', offset)) {
        this.count(this.peek().pos);
        this.index += offset + 1;
        const pattern = this.next();
        // CESQL §3.4.3: the pattern MUST be a string literal, without casting — else a parse error.
        if (pattern.kind !== 'string') {
          throw new CesqlSyntaxError(`LIKE needs a string literal pattern, found ${describe(pattern)}`, pattern.pos);
        }
        operand = { kind: 'like', operand, pattern: pattern.value, negated, pos: operand.pos, end: pattern.end };
      } else if (this.isKeyword('IN', offset)) {
        this.count(this.peek().pos);
        this.index += offset + 1;
        this.enter(this.expectSymbol('(').pos);
        const set: Node[] = [this.parseLogic()];
        while (this.isSymbol(',')) {
          this.next();
          set.push(this.parseLogic());
        }
        const close = this.expectSymbol(')');
        this.leave();
        operand = { kind: 'in', operand, set, negated, pos: operand.pos, end: close.end };
      } else {
        return operand;
      }
    }
  }

  private parseUnary(): Node {
    const token = this.peek();
    if (token.kind === 'keyword' && token.keyword === 'NOT') {
      this.next();
      this.count(token.pos);
      this.enter(token.pos);
      const operand = this.parseUnary();
      this.leave();
      return { kind: 'not', operand, pos: token.pos, end: operand.end };
    }
    if (token.kind === 'keyword' && token.keyword === 'EXISTS') {
      this.next();
      this.count(token.pos);
      const name = this.next();
      if (name.kind !== 'word' || !ATTRIBUTE_NAME.test(name.text)) {
        throw new CesqlSyntaxError(`EXISTS needs an attribute name, found ${describe(name)}`, name.pos);
      }
      return { kind: 'exists', name: name.text.toLowerCase(), pos: token.pos, end: name.end };
    }
    if (token.kind === 'symbol' && (token.symbol === '-' || token.symbol === '+')) {
      this.next();
      const after = this.peek();
      // integer-literal ::= ('+' | '-')? digit+ (CESQL §2.2): folding the sign into the literal is
      // what lets -2147483648 (out of range without its sign) be written at all.
      if (after.kind === 'integer') {
        this.next();
        return this.integerLiteral(token.symbol + after.text, token.pos, after.end);
      }
      if (token.symbol === '+') throw new CesqlSyntaxError(`unexpected "+"`, token.pos);
      this.count(token.pos);
      this.enter(token.pos);
      const operand = this.parseUnary();
      this.leave();
      return { kind: 'negate', operand, pos: token.pos, end: operand.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Node {
    const token = this.next();
    this.count(token.pos);
    switch (token.kind) {
      case 'integer':
        return this.integerLiteral(token.text, token.pos, token.end);
      case 'string':
        return { kind: 'literal', value: token.value, pos: token.pos, end: token.end };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') {
          return { kind: 'literal', value: token.keyword === 'TRUE', pos: token.pos, end: token.end };
        }
        break;
      case 'symbol':
        if (token.symbol === '(') {
          // The inner node keeps its own span, so errors point at the attribute, not the parenthesis.
          this.enter(token.pos);
          const inner = this.parseLogic();
          this.expectSymbol(')');
          this.leave();
          return inner;
        }
        break;
      case 'word':
        if (this.isSymbol('(')) return this.parseCall(token);
        if (!ATTRIBUTE_NAME.test(token.text)) {
          throw new CesqlSyntaxError(`invalid attribute name "${token.text}" (only letters and digits)`, token.pos);
        }
        return { kind: 'attribute', name: token.text.toLowerCase(), pos: token.pos, end: token.end };
      case 'eof':
        break;
    }
    throw new CesqlSyntaxError(`unexpected ${describe(token)}`, token.pos);
  }

  private parseCall(name: Extract<Token, { kind: 'word' }>): Node {
    if (!FUNCTION_NAME.test(name.text)) {
      throw new CesqlSyntaxError(`invalid function name "${name.text}"`, name.pos);
    }
    this.enter(this.expectSymbol('(').pos);
    const args: Node[] = [];
    if (!this.isSymbol(')')) {
      args.push(this.parseLogic());
      while (this.isSymbol(',')) {
        this.next();
        args.push(this.parseLogic());
      }
    }
    const close = this.expectSymbol(')');
    this.leave();
    return { kind: 'call', name: name.text.toUpperCase(), args, pos: name.pos, end: close.end };
  }

  private integerLiteral(text: string, pos: number, end: number): Node {
    const value = Number(text);
    // CESQL §2.2: integer literals MUST be valid 32-bit signed integers.
    if (!Number.isSafeInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new CesqlSyntaxError(`integer literal ${text} is outside the 32-bit signed range`, pos);
    }
    return { kind: 'literal', value: value === 0 ? 0 : value, pos, end };
  }
}
