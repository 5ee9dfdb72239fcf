/**
 * The plan as a person reads it, in the manner of a diff: `+` create, `~` update (with each field
 * `from → to`), `-` delete; unchanged items are counted, not listed.
 */
import { DEFAULT_RETRY } from '../rules/types.js';
import { changesOf, MASKED, NOT_COMPARED } from '../state/index.js';
import { humanDuration } from '../cli/human.js';
import type { ApplyResult, FieldChange, PlanItem } from './types.js';

const MARK = { create: '+', update: '~', delete: '-', unchanged: '=', unmanaged: '?' } as const;

export function describeItem(item: PlanItem): string {
  const name = item.kind === 'source' || item.kind === 'connection' ? (item.name ?? '') : item.rule === undefined ? item.bus : `${item.bus}/${item.rule}`;
  return `${MARK[item.action]} ${item.kind} ${name}`;
}

/** The plan; `footer: false` leaves out the closing line (the CLI prints the plan before it applies). */
export function formatPlan(result: ApplyResult, options: { footer?: boolean } = {}): string {
  const lines: string[] = [`Plan for ${result.server} from ${result.file}${result.prune ? ' (with --prune)' : ''}:`];
  const changes = changesOf(result.plan);
  for (const item of changes) {
    lines.push(`  ${describeItem(item)}`);
    // A created rule shows its shape in brief; updates show every changed field.
    if (item.action === 'create' && item.kind === 'rule') lines.push(`      ${briefRule(item.body)}`);
    else if (item.action === 'create' && item.kind === 'source') lines.push(`      ${briefSource(item.body)}`);
    // A connection shows its secret keys, never a value (the item holds none).
    else if (item.action === 'create' && item.kind === 'connection') lines.push(`      secrets: ${Object.keys((item.body as { secrets?: object }).secrets ?? {}).join(', ')} (values hidden)`);
    else for (const change of item.changes) lines.push(`      ${formatChange(change)}`);
  }
  const unmanaged = result.plan.items.filter((i) => i.action === 'unmanaged');
  for (const item of unmanaged) lines.push(`  ${describeItem(item)}   (on the server, not in the file: kept; --prune deletes it)`);
  const s = result.plan.summary;
  if (changes.length === 0) lines.push(`  No changes: the server matches the file (${s.unchanged} unchanged).`);
  else lines.push(`${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged.`);
  if (options.footer === false) return `${lines.join('\n')}\n`;
  if (result.dryRun) lines.push('Dry run: nothing was changed.');
  else if (changes.length > 0) lines.push(`Applied ${result.applied} change${result.applied === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}

function briefRule(body: unknown): string {
  const rule = (body ?? {}) as { filter?: object; targets?: Array<{ id?: string; type?: string }> };
  const language = Object.keys(rule.filter ?? {})[0] ?? '?';
  const targets = (rule.targets ?? []).map((t) => `${t.id} (${t.type})`).join(', ');
  return `filter: ${language}; targets: ${targets}`;
}

function briefSource(body: unknown): string {
  const source = (body ?? {}) as { type?: string; bus?: string; state?: string };
  return `type: ${source.type}; bus: ${source.bus}${source.state === 'disabled' ? '; disabled' : ''}`;
}

/** Defaults of the rule fields a file may leave out: a field going back to its default says so. */
function defaultFor(path: string): { value: unknown } | undefined {
  const rule: Record<string, unknown> = { state: 'enabled', view: 'cloudevent', description: '' };
  if (path in rule) return { value: rule[path] };
  const field = /^targets\[[^\]]+\]\.(concurrency|transform|retry\.(\w+))$/.exec(path);
  if (!field) return undefined;
  if (field[1] === 'concurrency') return { value: 16 };
  if (field[1] === 'transform') return { value: { kind: 'event' } };
  const retry = (DEFAULT_RETRY as unknown as Record<string, unknown>)[field[2]];
  return retry === undefined ? undefined : { value: retry };
}

function formatChange(change: FieldChange): string {
  const at = change.path;
  if (change.to === NOT_COMPARED) return `~ ${at}: ${NOT_COMPARED}`;
  if (!('from' in change)) return `+ ${at}: ${show(at, change.to)}`;
  const fallback = 'to' in change ? undefined : defaultFor(at);
  if (fallback) return `~ ${at}: ${show(at, change.from)} → ${show(at, fallback.value)} (default)`;
  if (!('to' in change)) return `- ${at}: ${show(at, change.from)}`;
  return `~ ${at}: ${show(at, change.from)} → ${show(at, change.to)}`;
}

function show(path: string, value: unknown): string {
  if (value === MASKED || value === NOT_COMPARED) return value;
  const text = JSON.stringify(value) ?? 'undefined';
  // Durations read better as the file writes them: 604800000 (7d).
  if (path.endsWith('Ms') && typeof value === 'number') return `${text} (${humanDuration(value)})`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

