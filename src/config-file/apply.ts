/**
 * `herald apply`: read the file, then send it whole to the server's `POST /v1/apply`, which
 * validates every entity with the routes' own validators, plans against the store and applies the
 * plan in one transaction — or refuses all of it (issue 10, item 6). A dry run is the same call with
 * `dryRun`: the same validation, nothing written. A refusal names every fault at its file position.
 */
import { ConfigFileError, formatIssue, issueAt, type Issue } from './errors.js';
import { getAt, setAt } from './env.js';
import { describeItem } from './format.js';
import { call } from './http.js';
import { fieldSegments, loadConfigFile } from './parse.js';
import { changesOf, MASKED, type ApplyRequest, type ApplyResponse, type DesiredState, type Plan, type PlanItem } from '../state/index.js';
import type { ApplyOptions, ApplyResult, HeraldFile, Segment } from './types.js';

/** The file's names for bus settings the API names differently. */
const BUS_FIELD_NAMES: Record<string, string> = { retentionMs: 'retention', dedupeWindowMs: 'dedupeWindow' };

export async function applyConfigFile(path: string, options: ApplyOptions): Promise<ApplyResult> {
  const file = await loadConfigFile(path, options.env ?? process.env);
  return applyParsed(file, options);
}

/**
 * One `POST /v1/apply`: with `dryRun` the server validates and plans; without, it also applies
 * (all of the plan or nothing). `herald apply` plans first, shows the plan, asks, then applies.
 */
export async function applyParsed(file: HeraldFile, options: ApplyOptions): Promise<ApplyResult> {
  const server = options.server.replace(/\/+$/, '');
  const dryRun = options.dryRun === true;
  const prune = options.prune === true;
  const body: ApplyRequest = {
    dryRun,
    prune,
    updateConnections: options.updateConnections === true,
    ...(options.confirmDeletes !== undefined ? { confirmDeletes: options.confirmDeletes } : {}),
    state: desiredState(file),
  };
  let response: ApplyResponse;
  try {
    response = (await call(server, 'POST', '/v1/apply', body)).json as ApplyResponse;
  } catch (error) {
    throw locateRefusal(error, file);
  }
  const plan = maskSources(response.plan, file);
  const changes = response.applied ? changesOf(plan) : [];
  changes.forEach((item, i) => options.onProgress?.(`[${i + 1}/${changes.length}] ${describeItem(item)}`));
  return { file: file.name, server, dryRun, prune, plan, applied: changes.length };
}

/** The file as the desired state the server takes (durations already milliseconds, `${VAR}` replaced). */
export function desiredState(file: HeraldFile): DesiredState {
  const state: DesiredState = {
    buses: file.buses.map(({ rules, ...settings }) => ({ ...settings, rules })),
  };
  if (file.connections !== undefined) state.connections = file.connections.map((c) => ({ ...c }));
  if (file.sources !== undefined) state.sources = file.sources.map((s) => ({ name: s.name, ...s.spec }));
  return state;
}

/**
 * Values that came from `${VAR}` are shown as the file writes them, and the server's differing value
 * at such a place is masked: a plan never prints a secret (issue 6).
 */
function maskSources(plan: Plan, file: HeraldFile): Plan {
  const items = plan.items.map((item): PlanItem => {
    if (item.kind !== 'source') return item;
    const source = file.sources?.find((s) => s.name === item.name);
    if (!source || source.substituted.length === 0) return item;
    let body = item.body;
    const changes = item.changes.map((change) => ({ ...change }));
    for (const { path, text } of source.substituted) {
      const value = getAt(source.spec, path);
      if (body !== undefined) body = setAt(body, path, text);
      const at = path.join('.');
      for (const change of changes) {
        if (change.path !== at) continue;
        if ('to' in change) change.to = text;
        if ('from' in change) change.from = change.from === value ? text : MASKED;
      }
    }
    return { ...item, changes, ...(body !== undefined ? { body } : {}) };
  });
  return { ...plan, items };
}

/** A refusal of the server, each of its faults placed at its position in the file. */
function locateRefusal(error: unknown, file: HeraldFile): unknown {
  if (!(error instanceof ConfigFileError) || error.code !== 'HERALD_APPLY_REFUSED' || !error.server) return error;
  const server = error.server;
  const faults = server.errors ?? [{ code: server.code ?? '', message: error.message, field: server.field }];
  const issues: Issue[] = faults.map((fault) => {
    const path = filePath(fault.field);
    return issueAt(file.name, file.locate(path), path, redact(stripField(fault.message, fault.field), file, path));
  });
  const code = server.code ? ` (${server.code})` : '';
  return new ConfigFileError('HERALD_APPLY_REFUSED', `the server refused ${file.name}${code}; nothing was changed:\n  ${issues.map(formatIssue).join('\n  ')}`, issues, server);
}

/** A state path from the server (`body.state.buses.1.retentionMs`, `buses[1].rules[0].name`) as a path of the file. */
function filePath(field: string | undefined): Segment[] {
  const segments = field ? fieldSegments(field) : [];
  if (segments[0] === 'state') segments.shift();
  if (segments[0] === 'buses' && segments.length === 3 && typeof segments[2] === 'string') segments[2] = BUS_FIELD_NAMES[segments[2]] ?? segments[2];
  return segments;
}

/**
 * A connector's error may quote the config value it refuses: a value that came from `${VAR}` is put
 * back as the file writes it, so a refusal never prints a secret either.
 */
function redact(message: string, file: HeraldFile, path: Segment[]): string {
  if (path[0] !== 'sources' && path[0] !== 'connections') return message;
  let out = message;
  for (const source of file.sources ?? []) {
    for (const { path: at, text } of source.substituted) {
      const value = getAt(source.spec, at);
      if (typeof value === 'string' && value !== '') out = out.split(value).join(text);
    }
  }
  return out;
}

/** `buses[0].rules[0].targets[0].type: unknown target type "x"` → `unknown target type "x"`. */
function stripField(message: string, field: string | undefined): string {
  const body = message.replace(/ \(and \d+ more: see errors\)$/, '');
  return field && body.startsWith(`${field}: `) ? body.slice(field.length + 2) : body;
}
