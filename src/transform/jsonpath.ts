/**
 * The small JSONPath subset EventBridge accepts in InputPath and InputPathsMap (user guide,
 * "Amazon EventBridge input transformation": "EventBridge does not support all JSON Path syntax …
 * Supported syntax includes: dot notation (for example, `$.detail`), dashes, underscores,
 * alphanumeric characters, array indices, wildcards (*), forward slashes"):
 *
 *   $                 the whole document
 *   .name             a member; name chars: A–Z a–z 0–9 _ - /
 *   [0]               an array element (non-negative index)
 *   .* or [*]         every member value / array element (the result is then an array)
 *   ['any key']       a member by any name — a Herald extension for keys dot notation cannot spell
 *                     (spaces, dots, `@`…); EventBridge itself rejects bracket members.
 *
 * Recursive descent (`..`), filters (`[?()]`), slices and unions are rejected when the rule is saved,
 * so nothing fails later at delivery time. No dependency: the subset is small and this keeps the
 * evaluation allocation-free for the common non-wildcard path.
 */

export type PathSegment =
  | { kind: 'member'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' };

export interface CompiledPath {
  readonly source: string;
  readonly segments: readonly PathSegment[];
  /** True when a wildcard appears: the value is then always an array of every match. */
  readonly multi: boolean;
}

/** InputPath length constraint (API reference, Target.InputPath: maximum length 256). */
export const MAX_PATH_LENGTH = 256;

export class JsonPathError extends Error {
  /** Offset in the path where parsing stopped, for the message. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'JsonPathError';
    this.position = position;
  }
}

const NAME_CHAR = /[A-Za-z0-9_\-/]/;

export function parseJsonPath(path: string): CompiledPath {
  if (typeof path !== 'string' || path.length === 0) throw new JsonPathError('a JSONPath must be a non-empty string', 0);
  if (path.length > MAX_PATH_LENGTH) {
    throw new JsonPathError(`a JSONPath is at most ${MAX_PATH_LENGTH} characters (this one has ${path.length})`, MAX_PATH_LENGTH);
  }
  if (path[0] !== '$') throw new JsonPathError('a JSONPath starts with `$`', 0);
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      if (path[i] === '.') throw new JsonPathError('recursive descent (`..`) is not supported', i - 1);
      if (path[i] === '*') {
        segments.push({ kind: 'wildcard' });
        i++;
        continue;
      }
      const start = i;
      while (i < path.length && NAME_CHAR.test(path[i]!)) i++;
      if (i === start) {
        throw new JsonPathError(
          `expected a member name after \`.\` at ${start} (letters, digits, _ - /; use ['…'] for other keys)`,
          start,
        );
      }
      segments.push({ kind: 'member', name: path.slice(start, i) });
    } else if (c === '[') {
      i = parseBracket(path, i + 1, segments);
    } else {
      throw new JsonPathError(`unexpected \`${c}\` at ${i}`, i);
    }
  }
  return { source: path, segments, multi: segments.some((s) => s.kind === 'wildcard') };
}

/** Parses what follows `[`; returns the offset after the closing `]`. */
function parseBracket(path: string, i: number, segments: PathSegment[]): number {
  const c = path[i];
  if (c === '*') {
    expect(path, i + 1, ']');
    segments.push({ kind: 'wildcard' });
    return i + 2;
  }
  if (c !== undefined && c >= '0' && c <= '9') {
    const start = i;
    while (i < path.length && path[i]! >= '0' && path[i]! <= '9') i++;
    const digits = path.slice(start, i);
    if (digits.length > 1 && digits[0] === '0') throw new JsonPathError(`array index \`${digits}\` has a leading zero`, start);
    const index = Number(digits);
    if (!Number.isSafeInteger(index)) throw new JsonPathError(`array index \`${digits}\` is too large`, start);
    expect(path, i, ']');
    segments.push({ kind: 'index', index });
    return i + 1;
  }
  if (c === "'" || c === '"') {
    const quote = c;
    let name = '';
    i++;
    while (i < path.length && path[i] !== quote) {
      if (path[i] === '\\') {
        const next = path[i + 1];
        if (next !== quote && next !== '\\') throw new JsonPathError(`unsupported escape \`\\${next ?? ''}\` at ${i}`, i);
        name += next;
        i += 2;
      } else {
        name += path[i];
        i++;
      }
    }
    if (i >= path.length) throw new JsonPathError('unterminated quoted member name', i);
    expect(path, i + 1, ']');
    segments.push({ kind: 'member', name });
    return i + 2;
  }
  if (c === '-') throw new JsonPathError(`negative array indices are not supported (at ${i})`, i);
  if (c === '?' || c === '(') throw new JsonPathError(`filter and script expressions are not supported (at ${i})`, i);
  throw new JsonPathError(`expected an index, \`*\` or a quoted name after \`[\` at ${i}`, i);
}

function expect(path: string, i: number, char: string): void {
  if (path[i] !== char) {
    const found = path[i] === undefined ? 'the end' : `\`${path[i]}\``;
    throw new JsonPathError(`expected \`${char}\` at ${i}, found ${found} (slices and unions are not supported)`, i);
  }
}

export type PathResult = { found: true; value: unknown } | { found: false };

const NOT_FOUND: PathResult = { found: false };

/**
 * Evaluates a compiled path. A path without wildcards yields the one value or `found: false`; a path
 * with wildcards yields the array of every match in document order (possibly empty), as JSONPath
 * implementations return a list for indefinite paths.
 */
export function evaluatePath(path: CompiledPath, document: unknown): PathResult {
  if (!path.multi) {
    let current: unknown = document;
    for (const segment of path.segments) {
      const next = step(current, segment);
      if (next === NOT_FOUND) return NOT_FOUND;
      current = (next as { value: unknown }).value;
    }
    return { found: true, value: current };
  }
  let currents: unknown[] = [document];
  for (const segment of path.segments) {
    const nexts: unknown[] = [];
    for (const value of currents) {
      if (segment.kind === 'wildcard') {
        // A loop, not push(...value): spreading an array of ~100 000+ elements as arguments throws
        // RangeError (issue 11, item 1 audit). Each value is visited once per segment: linear.
        const children = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
        for (const child of children) nexts.push(child);
      } else {
        const next = step(value, segment);
        if (next.found) nexts.push(next.value);
      }
    }
    currents = nexts;
  }
  return { found: true, value: currents };
}

function step(value: unknown, segment: PathSegment): PathResult {
  if (segment.kind === 'member') {
    if (isObject(value) && Object.prototype.hasOwnProperty.call(value, segment.name)) {
      return { found: true, value: value[segment.name] };
    }
    return NOT_FOUND;
  }
  if (segment.kind === 'index') {
    if (Array.isArray(value) && segment.index < value.length) return { found: true, value: value[segment.index] };
    return NOT_FOUND;
  }
  return NOT_FOUND;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
