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
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const locate = (path: Segment[]): Position => locateIn(doc, lineCounter, path);
  if (doc.errors.length > 0) {
    const issues: Issue[] = doc.errors.map((e) => {
      const [start] = e.linePos ?? [{ line: 1, col: 1 }];
      return { file: name, line: start.line, col: start.col, path: '(yaml)', message: e.message.split('\n')[0] };
    });
    throw fileError(name, issues);
  }
  const { issues: found, ...declared } = validateFile(doc.toJS({ maxAliasCount: 100 }), env);
  if (found.length > 0) throw fileError(name, found.map((i) => issueAt(name, locate(i.path), i.path, i.message)));
  return { name, ...declared, locate };
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
