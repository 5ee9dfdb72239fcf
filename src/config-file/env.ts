/**
 * `${VAR}` in herald.yaml: secrets stay out of git. A string of a connection's `secrets` or of a
 * source's `config` may name environment variables of the process running `herald apply`:
 *
 *   secrets: { url: "postgres://app:${ORDERS_DB_PASSWORD}@db:5432/app" }
 *
 * `$${` writes a literal `${`. A variable that is not set, or a `${` that does not name one, is an
 * issue at the string's position; a variable set to the empty string substitutes "" (as a shell does).
 * Substitution is done once, on the parsed data, so a value is never re-read as YAML and a
 * substituted value that itself holds `${…}` is kept as it is.
 */
import type { Segment, Substitution } from './types.js';

export { getAt, setAt } from '../state/data-path.js';

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// `$${` (an escaped `${`), or `${…}` up to the next `}` (the `}` may be missing: an error).
const REFERENCE = /\$\$\{|\$\{([^}]*)(\}?)/g;

export interface SubstitutionIssue {
  path: Segment[];
  message: string;
}

export interface Substituted<T> {
  value: T;
  /** The strings that held at least one `${VAR}`, by path relative to the value given. */
  substituted: Substitution[];
  issues: SubstitutionIssue[];
}

/**
 * Replaces `${VAR}` in every string of a value (maps and lists walked). `at` is where the value sits
 * in the file, for issues; substitutions are reported relative to the value itself.
 */
export function substitute<T>(value: T, at: Segment[], env: Record<string, string | undefined>): Substituted<T> {
  const substituted: Substitution[] = [];
  const issues: SubstitutionIssue[] = [];
  const walk = (node: unknown, path: Segment[]): unknown => {
    if (typeof node === 'string') return replaceIn(node, path);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  const replaceIn = (text: string, path: Segment[]): string => {
    let referenced = false;
    const out = text.replace(REFERENCE, (match: string, name: string | undefined, close: string | undefined) => {
      if (match === '$${') return '${';
      if (!close || name === undefined || !VARIABLE.test(name)) {
        issues.push({ path: [...at, ...path], message: `"${match}" must name an environment variable, as \${NAME} (NAME of A-Z a-z 0-9 _); write $\${ for a literal \${` });
        return match;
      }
      const found = env[name];
      if (found === undefined) {
        issues.push({ path: [...at, ...path], message: `environment variable ${name} is not set (\${${name}})` });
        return match;
      }
      referenced = true;
      return found;
    });
    if (referenced) substituted.push({ path, text });
    return out;
  };
  return { value: walk(value, []) as T, substituted, issues };
}
