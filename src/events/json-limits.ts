/**
 * Limits on JSON text that arrives over HTTP, checked by one linear scan of the text before (or
 * instead of) anything recursive touches it (issue 11, items 5 and 7):
 *
 * - nesting depth: V8's JSON.parse copes with any depth, but JSON.stringify, the response
 *   serializer, pattern matching and transforms recurse, so an event 4 109 levels deep was stored
 *   and then broke every read of its bus. The scan counts open containers outside strings and
 *   never recurses, so 100 000 levels cost the same as 100 000 flat characters.
 * - numbers JSON cannot round-trip through a 64-bit float (RFC 8259 §6: "numbers that are outside
 *   that range ... may be silently rounded"): Herald promises to store an event as sent, so it
 *   refuses a literal that overflows (1e400 → Infinity, stored as null), a non-zero literal that
 *   underflows to 0 (1e-400), and an integer literal whose value would change (2^64 + 1 → 2^64).
 *   Fractions still round to the nearest float (0.1), as every JSON reader does.
 *
 * The scan is not a JSON validator: malformed text is left to JSON.parse, and the scan only promises
 * to finish in linear time on any input.
 */
import { HeraldError } from '../errors/index.js';

/** The default most levels of nesting: System.Text.Json's default MaxDepth (docs/configuration.md). */
export const DEFAULT_MAX_JSON_DEPTH = 64;

/**
 * Extra levels allowed to a request body that wraps an event or a filter (`/v1/filters/test` holds
 * `{"event": …}`, a rule `{"filter": {"pattern": …}}`), so that whatever is valid on its own still fits
 * in the request that carries it.
 */
export const REQUEST_ENVELOPE_LEVELS = 4;

/** Member names and array indexes from the root of the scanned text to a value. */
export type JsonPath = ReadonlyArray<string | number>;

export type JsonProblem =
  | { kind: 'depth'; path: JsonPath; limit: number }
  | { kind: 'number'; path: JsonPath; literal: string; reason: string };

export interface JsonScanOptions {
  /** Most containers on one path, counting the root. */
  maxDepth: number;
  /**
   * Levels that sit above the scanned root: 1 for binary-mode data (it is the `data` member of the
   * event), -1 for a batch (the array itself does not count; each entry is an event).
   */
  baseDepth?: number;
  /** Also report numbers a 64-bit float cannot hold (item 7). */
  checkNumbers?: boolean;
  /**
   * Keep scanning after a problem and report the first problem of every element of a root array (a
   * batch answers per entry). Otherwise the scan stops at the first problem.
   */
  perEntry?: boolean;
}

interface Frame {
  isArray: boolean;
  index: number;
  expectKey: boolean;
  /** Span of the current member name in the text, quotes included (decoded only for a path). */
  keyStart: number;
  keyEnd: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

function isNumberStart(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39);
}
function isNumberPart(c: number): boolean {
  // digits, '+', '-', '.', 'e', 'E'
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x65 || c === 0x45;
}

/** Scans JSON text once, left to right, and lists the depth and number problems it finds. */
export function scanJson(text: string, options: JsonScanOptions): JsonProblem[] {
  const { maxDepth, baseDepth = 0, checkNumbers = false, perEntry = false } = options;
  const problems: JsonProblem[] = [];
  // Frames are kept only while within the limit: deeper levels are counted, never stored.
  const frames: Frame[] = [];
  let depth = 0;
  const entriesWithProblem = new Set<number>();

  const pathHere = (): JsonPath =>
    frames.map((f) => (f.isArray ? f.index : decodeKey(text.slice(f.keyStart, f.keyEnd))));
  /** Records a problem; answers true when the scan should stop. */
  const report = (make: (path: JsonPath) => JsonProblem): boolean => {
    const entry = frames.length > 0 && frames[0]!.isArray ? frames[0]!.index : -1;
    if (perEntry && entry >= 0) {
      if (entriesWithProblem.has(entry)) return false;
      entriesWithProblem.add(entry);
    }
    problems.push(make(pathHere()));
    return !perEntry || entry < 0;
  };

  const n = text.length;
  for (let i = 0; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      i = closingQuote(text, i);
      const top = depth === frames.length ? frames[frames.length - 1] : undefined;
      if (top !== undefined && !top.isArray && top.expectKey) {
        top.keyStart = start;
        top.keyEnd = i + 1;
        top.expectKey = false;
      }
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === frames.length && baseDepth + depth + 1 > maxDepth) {
        if (report((path) => ({ kind: 'depth', path, limit: maxDepth }))) return problems;
      }
      if (depth === frames.length && baseDepth + depth + 1 <= maxDepth) {
        frames.push({ isArray: c === OPEN_BRACKET, index: 0, expectKey: c === OPEN_BRACE, keyStart: 0, keyEnd: 0 });
      }
      depth += 1;
      continue;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0) continue; // unbalanced: JSON.parse reports it
      if (depth === frames.length) frames.pop();
      depth -= 1;
      continue;
    }
    if (c === COMMA) {
      const top = depth === frames.length ? frames[frames.length - 1] : undefined;
      if (top !== undefined) {
        if (top.isArray) top.index += 1;
        else top.expectKey = true;
      }
      continue;
    }
    if (isNumberStart(c)) {
      const start = i;
      let exponent = false;
      while (i + 1 < n && isNumberPart(text.charCodeAt(i + 1))) {
        i += 1;
        const d = text.charCodeAt(i);
        if (d === 0x65 || d === 0x45) exponent = true;
      }
      // Without an exponent, 15 characters hold at most 15 digits: always exact in a float.
      const plain = !exponent && i + 1 - start <= 15;
      if (checkNumbers && !plain && depth === frames.length) {
        const literal = text.slice(start, i + 1);
        const reason = numberProblem(literal);
        if (reason !== undefined && report((path) => ({ kind: 'number', path, literal, reason }))) return problems;
      }
    }
  }
  return problems;
}

/**
 * The index of the quote that closes the string opening at `open` (or the end of the text): the next
 * quote preceded by an even run of backslashes. Each backslash run is counted once, so this stays
 * linear in the text however the escapes are arranged.
 */
function closingQuote(text: string, open: number): number {
  let j = text.indexOf('"', open + 1);
  while (j !== -1) {
    let backslashes = 0;
    for (let k = j - 1; k > open && text.charCodeAt(k) === BACKSLASH; k -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
  return text.length;
}

function decodeKey(quoted: string): string {
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === 'string' ? key : quoted;
  } catch {
    return quoted;
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Why a JSON number literal cannot be stored as sent, or undefined when it can. A literal that is not
 * a number at all (malformed JSON) is JSON.parse's to report.
 */
export function numberProblem(literal: string): string | undefined {
  const value = Number(literal);
  if (Number.isNaN(value)) return undefined;
  if (!Number.isFinite(value)) return `${literal} is outside the range of a 64-bit float (about ±1.8e308)`;
  if (value === 0) {
    const mantissa = literal.split(/[eE]/)[0] ?? '';
    return /[1-9]/.test(mantissa) ? `${literal} is too small for a 64-bit float: it would be stored as 0` : undefined;
  }
  if (/^-?\d+$/.test(literal)) {
    const exact = BigInt(literal);
    if (exact <= MAX_SAFE && exact >= -MAX_SAFE) return undefined;
    // What the stored JSON text would say, read exactly (JSON.stringify picks the shortest text that
    // reads back as the same float, which for big integers is often another integer).
    const stored = JSON.stringify(value);
    if (exactInteger(stored) !== exact) {
      return `${literal} is an integer beyond ±2^53 that a 64-bit float cannot hold: it would be stored as ${stored}; send it as a string`;
    }
  }
  return undefined;
}

/** The integer a JavaScript number's text denotes (`18446744073709552000`, `1e+21`, `1.5e+22`). */
function exactInteger(text: string): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e\+?(\d+))?$/.exec(text);
  if (m === null) return undefined;
  const fraction = m[3] ?? '';
  const exponent = Number(m[4] ?? '0') - fraction.length;
  if (exponent < 0) return undefined;
  const magnitude = BigInt(`${m[2]}${fraction}`) * 10n ** BigInt(exponent);
  return m[1] === '-' ? -magnitude : magnitude;
}

/** `data.items[3].name`, `["a.b"]` for member names that are not plain identifiers. */
export function formatJsonPath(path: JsonPath, prefix = ''): string {
  let out = prefix;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  // A path is bounded by the depth limit, but member names are not: keep the field readable.
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

/**
 * The HERALD_TOO_DEEP error for a depth problem; `field` is where the limit was crossed. `setting`
 * says where the limit comes from.
 */
export function tooDeep(
  problem: Extract<JsonProblem, { kind: 'depth' }>,
  what: string,
  prefix = '',
  setting = 'set by --max-json-depth / HERALD_MAX_JSON_DEPTH',
): HeraldError {
  const field = formatJsonPath(problem.path, prefix) || 'body';
  return new HeraldError(
    'HERALD_TOO_DEEP',
    `${field}: ${what} is nested more than ${problem.limit} levels deep; the limit is ${problem.limit} levels (${setting})`,
    field,
    { limit: problem.limit },
  );
}

/** The HERALD_INVALID_EVENT error for a number problem, naming the member (`data.big`). */
export function badNumber(problem: Extract<JsonProblem, { kind: 'number' }>, prefix = ''): HeraldError {
  const field = formatJsonPath(problem.path, prefix) || prefix || 'data';
  return new HeraldError('HERALD_INVALID_EVENT', `${field}: ${problem.reason}`, field);
}

/**
 * The first problem of an already parsed value: a container deeper than `maxDepth` (the root is
 * level `baseDepth + 1`) or a number JSON cannot carry (Infinity, stored as null). Iterative, so any
 * depth is safe. For events that did not come through a scan of their text: sources build events
 * from messages they parsed themselves, and validateEvent checks every event with this.
 */
export function valueProblem(root: unknown, maxDepth: number, baseDepth = 0): JsonProblem | undefined {
  interface Entry {
    value: unknown;
    depth: number;
    key: string | number | undefined;
    parent: Entry | undefined;
  }
  const pathOf = (entry: Entry): JsonPath => {
    const path: Array<string | number> = [];
    for (let e: Entry | undefined = entry; e?.parent !== undefined; e = e.parent) path.push(e.key!);
    return path.reverse();
  };
  const stack: Entry[] = [{ value: root, depth: baseDepth, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return { kind: 'number', path: pathOf(entry), literal: String(value), reason: `${String(value)} is outside the range of a 64-bit float and cannot be stored as JSON` };
    }
    if (typeof value !== 'object' || value === null) continue;
    const depth = entry.depth + 1;
    if (depth > maxDepth) return { kind: 'depth', path: pathOf(entry).slice(0, maxDepth - baseDepth), limit: maxDepth };
    const children: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const [key, child] = children[i]!;
      stack.push({ value: child, depth, key, parent: entry });
    }
  }
  return undefined;
}

/**
 * Parses JSON text after checking its depth (HERALD_TOO_DEEP) and, when asked, its numbers
 * (HERALD_INVALID_EVENT); malformed text is `onSyntaxError`'s to report. The one entry point for
 * single documents: request bodies, structured events, binary-mode JSON data.
 */
export function parseLimitedJson(
  text: string,
  options: JsonScanOptions & { what: string; prefix?: string; onSyntaxError: (error: Error) => Error },
): unknown {
  const problems = scanJson(text, { ...options, perEntry: false });
  const first = problems[0];
  if (first?.kind === 'depth') throw tooDeep(first, options.what, options.prefix);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw options.onSyntaxError(error as Error);
  }
  if (first?.kind === 'number') throw badNumber(first, options.prefix);
  return value;
}
