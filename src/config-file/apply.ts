/**
 * `herald apply`: read the file, snapshot the server through the admin API, compute the plan, and
 * (unless a dry run) make its changes in order. Applying the same file twice makes no change the
 * second time. A refused change stops the run; changes made before it stay (each is a whole bus or
 * rule, never half of one), and the error points at the file position of the refused field.
 */
import { ConfigFileError, formatIssue, issueAt } from './errors.js';
import { getAt } from './env.js';
import { busPath, call } from './http.js';
import { fieldSegments, loadConfigFile } from './parse.js';
import { changesOf, computePlan } from './plan.js';
import { describeItem } from './format.js';
import type { ApplyOptions, ApplyResult, CurrentState, HeraldFile, PlanItem, Segment } from './types.js';

/** The file's names for bus settings the API names differently. */
const BUS_FIELD_NAMES: Record<string, string> = { retentionMs: 'retention', dedupeWindowMs: 'dedupeWindow' };

export async function applyConfigFile(path: string, options: ApplyOptions): Promise<ApplyResult> {
  const file = await loadConfigFile(path, options.env ?? process.env);
  return applyParsed(file, options);
}

export async function applyParsed(file: HeraldFile, options: ApplyOptions): Promise<ApplyResult> {
  const server = options.server.replace(/\/+$/, '');
  await checkFilters(file, server);
  const current = await readCurrent(server, file, options.prune === true);
  const plan = computePlan(file, current, { prune: options.prune === true, updateConnections: options.updateConnections === true });
  const result: ApplyResult = { file: file.name, server, dryRun: options.dryRun === true, prune: options.prune === true, plan, applied: 0 };
  if (options.dryRun) return result;
  const changes = changesOf(plan);
  for (const [index, item] of changes.entries()) {
    options.onProgress?.(`[${index + 1}/${changes.length}] ${describeItem(item)}`);
    try {
      await applyItem(server, item, file);
    } catch (error) {
      throw locateRefusal(error, file, item, result.applied);
    }
    result.applied++;
  }
  return result;
}

/**
 * What the plan compares with: every bus, the rules of the buses it looks at, and the sources and
 * connections when the file has those sections (so a file of buses only works with a server
 * without sources).
 */
async function readCurrent(server: string, file: HeraldFile, prune: boolean): Promise<CurrentState> {
  const current: Pick<CurrentState, 'sources' | 'connections'> = {};
  if (file.sources !== undefined) current.sources = ((await call(server, 'GET', '/v1/sources')).json as { sources: unknown[] }).sources;
  if (file.connections !== undefined) {
    current.connections = ((await call(server, 'GET', '/v1/connections')).json as { connections: NonNullable<CurrentState['connections']> }).connections;
  }
  const buses = (await allPages(server, '/v1/buses', 'buses')) as CurrentState['buses'];
  const declared = new Set(file.buses.map((b) => b.name));
  const rules: CurrentState['rules'] = {};
  for (const bus of buses) {
    if (!prune && !declared.has(bus.name)) continue;
    rules[bus.name] = await allPages(server, busPath(bus.name, 'rules'), 'rules');
  }
  return { buses, rules, ...current };
}

/** Every item of a paged admin list (`?after=` the previous page's `next`). */
async function allPages(server: string, path: string, key: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let after: string | undefined;
  do {
    const { json } = await call(server, 'GET', after === undefined ? path : `${path}?after=${encodeURIComponent(after)}`);
    const body = json as Record<string, unknown> & { next?: string };
    items.push(...(body[key] as unknown[]));
    after = body.next;
  } while (after !== undefined);
  return items;
}

/**
 * Filters are checked by the server's own code before anything changes (also on a dry run), through
 * `POST /v1/filters/test` — so a bad pattern fails the whole apply up front, at its line.
 */
async function checkFilters(file: HeraldFile, server: string): Promise<void> {
  for (const [b, bus] of file.buses.entries()) {
    for (const [r, rule] of bus.rules.entries()) {
      const event = { specversion: '1.0', id: 'herald-apply-check', source: 'herald/apply', type: 'herald.apply.check' };
      try {
        await call(server, 'POST', '/v1/filters/test', { filter: rule.filter, event });
      } catch (error) {
        if (error instanceof ConfigFileError && error.server?.status === 400) {
          const path: Segment[] = ['buses', b, 'rules', r, 'filter', ...filterField(rule.filter, error.server.field)];
          const issue = issueAt(file.name, file.locate(path), path, stripField(error.message, error.server.field));
          throw new ConfigFileError('HERALD_CONFIG_FILE_INVALID', `${file.name} is invalid:\n  ${formatIssue(issue)}`, [issue]);
        }
        throw error;
      }
    }
  }
}

/** A filter error's field is relative to the pattern (or the filter): place it under the filter's kind. */
function filterField(filter: unknown, field: string | undefined): Segment[] {
  const segments = field ? fieldSegments(field) : [];
  if (segments[0] === 'filter') return segments.slice(1);
  const kind = Object.keys((filter ?? {}) as object)[0];
  return kind && segments[0] !== kind ? [kind, ...segments] : segments;
}

async function applyItem(server: string, item: PlanItem, file: HeraldFile): Promise<void> {
  if (item.kind === 'connection' || item.kind === 'source') {
    const path = `/v1/${item.kind === 'source' ? 'sources' : 'connections'}/${encodeURIComponent(item.name ?? '')}`;
    if (item.action === 'delete') await call(server, 'DELETE', path);
    // The real values come from the file, never from the plan item (whose body is masked).
    else if (item.action === 'create' || item.action === 'update') await call(server, 'PUT', path, declarationBody(file, item));
    return;
  }
  if (item.kind === 'bus') {
    if (item.action === 'create') await call(server, 'POST', '/v1/buses', item.body);
    else if (item.action === 'update') await call(server, 'PATCH', busPath(item.bus), item.body);
    else if (item.action === 'delete') await call(server, 'DELETE', busPath(item.bus));
    return;
  }
  const path = busPath(item.bus, 'rules', item.rule ?? '');
  if (item.action === 'create' || item.action === 'update') await call(server, 'PUT', path, item.body);
  else if (item.action === 'delete') await call(server, 'DELETE', path);
}

function declarationBody(file: HeraldFile, item: PlanItem): unknown {
  if (item.kind === 'source') {
    const source = file.sources?.find((s) => s.name === item.name);
    if (!source) throw new Error(`no source "${item.name}" in ${file.name}`);
    return source.spec;
  }
  const connection = file.connections?.find((c) => c.name === item.name);
  if (!connection) throw new Error(`no connection "${item.name}" in ${file.name}`);
  const { name: _name, ...body } = connection;
  return body;
}

function locateRefusal(error: unknown, file: HeraldFile, item: PlanItem, applied: number): unknown {
  if (!(error instanceof ConfigFileError) || error.code !== 'HERALD_APPLY_REFUSED' || !item.source) return error;
  const field = error.server?.field;
  let segments = field ? fieldSegments(field) : [];
  if (item.kind === 'bus') segments = segments.map((s) => (typeof s === 'string' ? (BUS_FIELD_NAMES[s] ?? s) : s));
  // Server fields that name the route parameters (a rule's `bus` and `rule`, a `name`) point at the item itself.
  const routeFields = item.kind === 'rule' ? ['bus', 'rule'] : ['name'];
  if (segments.length === 1 && routeFields.includes(String(segments[0]))) segments = [];
  const path = [...item.source, ...segments];
  const issue = issueAt(file.name, file.locate(path), path, redact(stripField(error.message, field), file, item));
  const done = applied > 0 ? ` (${applied} change${applied === 1 ? ' was' : 's were'} applied before this one)` : '';
  return new ConfigFileError('HERALD_APPLY_REFUSED', `${describeItem(item)} was refused${done}:\n  ${formatIssue(issue)}`, [issue], error.server);
}

/**
 * A connector's error may quote the config value it refuses: a value that came from `${VAR}` is put
 * back as the file writes it, so a refusal never prints a secret either.
 */
function redact(message: string, file: HeraldFile, item: PlanItem): string {
  if (item.kind !== 'source') return message;
  const source = file.sources?.find((s) => s.name === item.name);
  let out = message;
  for (const { path, text } of source?.substituted ?? []) {
    const value = getAt(source?.spec, path);
    if (typeof value === 'string' && value !== '') out = out.split(value).join(text);
  }
  return out;
}

/** `PUT /v1/…: 400 HERALD_X: targets[0].config.url: required` → `HERALD_X: required`. */
function stripField(message: string, field: string | undefined): string {
  const body = message.replace(/^[A-Z]+ \S+: \d+ /, '');
  return field ? body.replace(`${field}: `, '') : body;
}
