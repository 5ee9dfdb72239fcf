/**
 * The plan's connections and sources (issue 6). Pure, like plan.ts.
 *
 * - **Sources are compared whole**, as rules are: the server stores the spec as sent (the raw
 *   `config`, not one completed with defaults: src/sources/validate.ts), so the file's spec and the
 *   server's are compared after dropping the defaults (`state: enabled`, `description: ""`, no
 *   extensions) and the server's own fields (`status`, timestamps). A source changed through the API
 *   is put back by the next apply.
 * - **Connections cannot be compared by value**: the server never returns a secret. The plan compares
 *   what it can see — `type`, `description` and the set of secret keys — and so a connection is
 *   created when missing and updated when one of those differs. A changed secret *value* alone is not
 *   detected; `updateConnections` rewrites every declared connection (docs/configuration.md says so).
 *   We chose this over keeping a hash of the secrets on the server: any hash readable through the API
 *   lets whoever reads it test guesses of a weak password offline.
 * - A section the file leaves out (`sources:`) is not managed: its items are neither listed nor pruned.
 *
 * Secret values never enter a plan item: a connection's body holds its keys with masked values, and a
 * source's strings that came from `${VAR}` are shown as the file writes them.
 */
import { deepEqual, diff } from './normalize.js';
import { getAt, setAt } from './data-path.js';
import type { ConnectionDeclaration, CurrentState, PlanItem, SourceDeclaration } from './types.js';

type Obj = Record<string, unknown>;

/** Shown instead of a value the plan must not print. */
export const MASKED = '(secret)';
/** Shown for a connection rewritten only because `updateConnections` asks for it. */
export const NOT_COMPARED = '(values not compared: rewritten)';

export interface SectionPlan {
  /** Creates and updates (and unchanged), in file order. */
  upserts: PlanItem[];
  /** Deletes (prune) or unmanaged items, by name. */
  deletes: PlanItem[];
}

const EMPTY: SectionPlan = { upserts: [], deletes: [] };

export function planConnections(
  declared: ConnectionDeclaration[] | undefined,
  current: CurrentState['connections'],
  options: { prune?: boolean; updateConnections?: boolean },
): SectionPlan {
  if (declared === undefined) return EMPTY;
  const live = new Map((current ?? []).map((c) => [c.name, c]));
  const upserts = declared.map((connection, index): PlanItem => {
    const source = ['connections', index];
    const wanted = visibleConnection(connection);
    const { keys, ...settings } = wanted;
    const body = { ...settings, secrets: Object.fromEntries(keys.map((k) => [k, MASKED])) };
    const existing = live.get(connection.name);
    live.delete(connection.name);
    const base = { kind: 'connection' as const, bus: '', name: connection.name, body, source };
    if (!existing) return { ...base, action: 'create', changes: diff(undefined, wanted) };
    const changes = diff(visibleConnection(existing), wanted);
    if (changes.length === 0 && options.updateConnections) changes.push({ path: 'secrets', to: NOT_COMPARED });
    if (changes.length === 0) return { kind: 'connection', bus: '', name: connection.name, action: 'unchanged', changes, source };
    return { ...base, action: 'update', changes };
  });
  return { upserts, deletes: leftOver([...live.keys()], 'connection', () => '', options.prune) };
}

/** What the server shows of a connection, and so all that can be compared. */
function visibleConnection(c: { type?: string; description?: string; keys?: string[]; secrets?: Record<string, string> }): { type?: string; description?: string; keys: string[] } {
  const keys = [...(c.keys ?? Object.keys(c.secrets ?? {}))].sort();
  return { ...(c.type !== undefined ? { type: c.type } : {}), ...(c.description ? { description: c.description } : {}), keys };
}

export function planSources(declared: SourceDeclaration[] | undefined, current: CurrentState['sources'], options: { prune?: boolean }): SectionPlan {
  if (declared === undefined) return EMPTY;
  const live = new Map<string, Obj>();
  for (const record of current ?? []) live.set(String((record as Obj).name), record as Obj);
  const upserts = declared.map((source, index): PlanItem => {
    const at = ['sources', index];
    const wanted = canonicalSource(source.spec);
    const shownWanted = source.substituted.reduce<Obj>((value, s) => setAt(value, s.path, s.text), wanted);
    const body = source.substituted.reduce<unknown>((value, s) => setAt(value, s.path, s.text), source.spec);
    const base = { kind: 'source' as const, bus: source.spec.bus, name: source.name, source: at };
    const record = live.get(source.name);
    live.delete(source.name);
    if (record === undefined) return { ...base, action: 'create', changes: diff(undefined, shownWanted), body };
    const now = canonicalSource(record);
    if (deepEqual(now, wanted)) return { ...base, action: 'unchanged', changes: [] };
    // The server's value at a path the file fills from the environment is shown as the file's text
    // when equal, masked when not: the change is visible, the value is not.
    const shownNow = source.substituted.reduce<Obj>((value, s) => {
      const was = getAt(now, s.path);
      if (was === undefined) return value;
      return setAt(value, s.path, deepEqual(was, getAt(wanted, s.path)) ? s.text : MASKED);
    }, now);
    return { ...base, action: 'update', changes: diff(shownNow, shownWanted), body };
  });
  const busOf = (name: string): string => String((current ?? []).map((r) => r as Obj).find((r) => r.name === name)?.bus ?? '');
  return { upserts, deletes: leftOver([...live.keys()], 'source', busOf, options.prune) };
}

/** A source without the server's fields and with defaults dropped (see the header). */
export function canonicalSource(raw: unknown): Obj {
  const s = (raw ?? {}) as Obj;
  const out: Obj = { type: s.type, bus: s.bus, config: s.config ?? {} };
  if (s.state !== undefined && s.state !== 'enabled') out.state = s.state;
  if (typeof s.description === 'string' && s.description !== '') out.description = s.description;
  if (s.extensions !== null && typeof s.extensions === 'object' && Object.keys(s.extensions).length > 0) out.extensions = s.extensions;
  return out;
}

function leftOver(names: string[], kind: 'source' | 'connection', busOf: (name: string) => string, prune: boolean | undefined): PlanItem[] {
  return names.sort().map((name): PlanItem => ({ action: prune ? 'delete' : 'unmanaged', kind, bus: busOf(name), name, changes: [] }));
}
