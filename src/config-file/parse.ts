/**
 * Reads herald.yaml keeping positions: the `yaml` package's Document and LineCounter let every
 * error name the file, line and column of the field at fault.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigFileError, formatIssue, issueAt, type Issue } from './errors.js';
import { validateFile } from './validate.js';
import type { HeraldFile, Position, Segment } from './types.js';

type Env = Record<string, string | undefined>;

/**
 * Aliases a file may expand. A "billion laughs" file (each alias naming a list of aliases) grows
 * exponentially as it expands (issue 11, item 10); a real herald.yaml uses a few anchors at most.
 */
export const MAX_ALIAS_COUNT = 100;
/**
 * The deepest nesting of maps and lists: the project's maximum JSON nesting depth (issue 11, item 5),
 * far above the ~10 levels a herald.yaml needs, and low enough that no recursive walk overflows.
 */
export const MAX_DEPTH = 64;

/**
 * Reads, parses and validates a herald.yaml; throws a ConfigFileError listing every issue. `${VAR}`
 * in secrets and source configs is looked up in `env` (env.ts).
 */
export async function loadConfigFile(path: string, env: Env = process.env): Promise<HeraldFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError('HERALD_CONFIG_FILE_UNREADABLE', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseConfigText(text, path, env);
}

export function parseConfigText(text: string, name: string, env: Env = process.env): HeraldFile {
  const lineCounter = new LineCounter();
  // The parser itself recurses (and runs out of memory near 100 000 levels): refuse deep flow
  // collections and stacked `- ` before it sees them; the exact depth is checked on the data below.
  const tooDeep = shallowScan(text);
  if (tooDeep) throw fileError(name, [{ file: name, ...tooDeep, path: '(yaml)', message: depthMessage() }]);
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locate = (path: Segment[]): Position => locateIn(doc, lineCounter, path);
  if (doc.errors.length > 0) {
    const issues: Issue[] = doc.errors.map((e) => {
      const [start] = e.linePos ?? [{ line: 1, col: 1 }];
      return { file: name, line: start.line, col: start.col, path: '(yaml)', message: e.message.split('\n')[0] };
    });
    throw fileError(name, issues);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError once the aliases expand past the limit.
    if (!(error instanceof ReferenceError)) throw error;
    const message = `the file expands aliases (*name) more than ${MAX_ALIAS_COUNT} times: refused as a possible "billion laughs" document`;
    throw fileError(name, [{ file: name, line: 1, col: 1, path: '(yaml)', message }]);
  }
  const deep = deepestPath(data);
  if (deep) throw fileError(name, [issueAt(name, locate(deep), deep, depthMessage())]);
  const { issues: found, ...declared } = validateFile(data, env);
  if (found.length > 0) throw fileError(name, found.map((i) => issueAt(name, locate(i.path), i.path, i.message)));
  return { name, ...declared, locate };
}

function depthMessage(): string {
  return `maps and lists nest deeper than ${MAX_DEPTH} levels (the most herald.yaml allows)`;
}

/**
 * A cheap linear scan of the text: the first place where flow collections (`[`, `{` outside quotes
 * and comments) or `- ` entries stacked on one line nest deeper than MAX_DEPTH.
 */
function shallowScan(text: string): { line: number; col: number } | undefined {
  let depth = 0;
  let quote: string | undefined;
  let line = 1;
  let lineStart = 0;
  let dashes = 0;
  let atIndent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      dashes = 0;
      atIndent = true;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (atIndent) {
      if (c === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        if (++dashes > MAX_DEPTH) return { line, col: i - lineStart + 1 };
        continue;
      }
      if (c !== ' ' && c !== '\t') atIndent = false;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return { line, col: i - lineStart + 1 };
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** The path to the first value nested deeper than MAX_DEPTH (walked without recursion), or undefined. */
function deepestPath(data: unknown): Segment[] | undefined {
  const stack: Array<{ value: unknown; path: Segment[] }> = [{ value: data, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= MAX_DEPTH) return path;
    const entries: Array<[Segment, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

function fileError(name: string, issues: Issue[]): ConfigFileError {
  const shown = issues.slice(0, 20).map(formatIssue);
  if (issues.length > 20) shown.push(`… and ${issues.length - 20} more`);
  return new ConfigFileError('HERALD_CONFIG_FILE_INVALID', `${name} is invalid:\n  ${shown.join('\n  ')}`, issues);
}

/**
 * The position of a path: the key of the deepest map entry that exists along it, or the start of
 * the deepest sequence item. Paths from the server may join keys with dots (`filter.pattern.a.b`)
 * where a key itself holds a dot, so at a map the longest run of segments that names a key wins.
 */
function locateIn(doc: Document, lineCounter: LineCounter, path: Segment[]): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isSeq(node)) {
      const index = Number(path[i]);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
      continue;
    }
    if (!isMap(node)) break;
    const map = node;
    let next = -1;
    for (let j = path.length; j > i && next < 0; j--) {
      const key = path.slice(i, j).join('.');
      const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair) {
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
        next = j - 1;
      }
    }
    if (next < 0) break;
    i = next;
  }
  return lineCounter.linePos(offset);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** Splits a server field (`targets[1].config.url`, `body.targets.1.config`) into segments. */
export function fieldSegments(field: string): Segment[] {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p !== '');
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
