/**
 * The herald.yaml schema, checked on the plain data with field paths. It checks the shape of the
 * file (names, kinds, durations, unknown fields — a typo such as `filters:` fails rather than being
 * ignored) and the transforms; the server then checks the whole file again with its own validators
 * (POST /v1/apply: filters, connector configs, …) and apply maps its errors back to positions.
 */
import { MAX_TARGETS, RULE_NAME, RULE_STATES, TARGET_ID, VIEWS, type RuleSpec } from '../rules/types.js';
import { validateTransform } from '../transform/index.js';
import { BUS_NAME, Checker, kindOf, type Obj, type RawIssue } from './checker.js';
import { validateConnections, validateSources } from './validate-sources.js';
import type { BusDeclaration, Declarations, Segment } from './types.js';

export type { RawIssue } from './checker.js';

const BUS_KEYS = ['name', 'description', 'retention', 'dedupeWindow', 'rules'];
const RULE_KEYS = ['name', 'description', 'filter', 'view', 'state', 'targets', 'replyBus', 'tags'];
const TARGET_KEYS = ['id', 'type', 'config', 'transform', 'retry', 'concurrency', 'ratePerSecond', 'deadLetterTarget'];
const RETRY_KEYS = ['maxAttempts', 'maxAgeMs', 'backoffBaseMs', 'backoffCapMs', 'jitter'];
const FILTER_KINDS = ['pattern', 'cesql', 'subscriptions'];
const SECTIONS = ['buses', 'connections', 'sources'];

/**
 * Checks the whole file. `env` is where `${VAR}` in secrets and source configs is looked up
 * (env.ts); a section left out stays undefined (`sources`, `connections`: prune leaves those alone).
 */
export function validateFile(data: unknown, env: Record<string, string | undefined> = {}): Declarations & { issues: RawIssue[] } {
  const check = new Checker();
  if (data === null || data === undefined) return { buses: [], issues: [{ path: [], message: 'the file is empty: expected `buses:`, `sources:` or `connections:`' }] };
  const top = check.object(data, [], SECTIONS);
  const out: Declarations = { buses: [] };
  if (top) {
    if (SECTIONS.every((key) => top[key] === undefined || top[key] === null)) check.fail(['buses'], 'required (or `sources:`, `connections:`)');
    if (top.buses !== undefined && top.buses !== null) {
      if (!Array.isArray(top.buses)) check.fail(['buses'], `must be a list, got ${kindOf(top.buses)}`);
      else {
        top.buses.forEach((raw, i) => {
          const bus = validateBus(check, raw, ['buses', i]);
          if (bus) out.buses.push(bus);
        });
        check.unique(top.buses.map((b) => (b as Obj | null)?.name as string | undefined), (i) => ['buses', i, 'name'], 'bus');
      }
    }
    if ('connections' in top) out.connections = validateConnections(check, top.connections, env);
    if ('sources' in top) out.sources = validateSources(check, top.sources, env);
  }
  return { ...out, issues: check.issues };
}

function validateBus(check: Checker, raw: unknown, path: Segment[]): BusDeclaration | undefined {
  const bus = check.object(raw, path, BUS_KEYS);
  if (!bus) return undefined;
  const name = check.string(bus.name, [...path, 'name'], { required: true, pattern: BUS_NAME });
  const description = check.string(bus.description, [...path, 'description'], { max: 512 });
  const retentionMs = check.duration(bus.retention, [...path, 'retention'], 1000);
  const dedupeWindowMs = check.duration(bus.dedupeWindow, [...path, 'dedupeWindow'], 0);
  const rules: RuleSpec[] = [];
  if (bus.rules !== undefined && bus.rules !== null) {
    if (!Array.isArray(bus.rules)) check.fail([...path, 'rules'], `must be a list, got ${kindOf(bus.rules)}`);
    else {
      bus.rules.forEach((r, i) => {
        const rule = validateRule(check, r, [...path, 'rules', i]);
        if (rule) rules.push(rule);
      });
      check.unique(bus.rules.map((r) => (r as Obj | null)?.name as string | undefined), (i) => [...path, 'rules', i, 'name'], 'rule');
    }
  }
  if (name === undefined) return undefined;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    ...(retentionMs !== undefined ? { retentionMs } : {}),
    ...(dedupeWindowMs !== undefined ? { dedupeWindowMs } : {}),
    rules,
  };
}

function validateRule(check: Checker, raw: unknown, path: Segment[]): RuleSpec | undefined {
  const rule = check.object(raw, path, RULE_KEYS);
  if (!rule) return undefined;
  const before = check.issues.length;
  check.string(rule.name, [...path, 'name'], { required: true, pattern: RULE_NAME });
  check.string(rule.description, [...path, 'description']);
  check.string(rule.view, [...path, 'view'], { oneOf: VIEWS });
  check.string(rule.state, [...path, 'state'], { oneOf: RULE_STATES });
  check.string(rule.replyBus, [...path, 'replyBus'], { pattern: BUS_NAME });
  const filter = check.object(rule.filter, [...path, 'filter'], FILTER_KINDS);
  if (filter) {
    const kinds = Object.keys(filter);
    if (kinds.length !== 1) check.fail([...path, 'filter'], `give exactly one of ${FILTER_KINDS.join(', ')}`);
    if ('cesql' in filter) check.string(filter.cesql, [...path, 'filter', 'cesql'], { required: true });
    if ('subscriptions' in filter && !Array.isArray(filter.subscriptions)) check.fail([...path, 'filter', 'subscriptions'], 'must be a list');
  }
  if (rule.tags !== undefined) {
    const tags = check.object(rule.tags, [...path, 'tags']);
    for (const [key, value] of Object.entries(tags ?? {})) {
      if (typeof value !== 'string') check.fail([...path, 'tags', key], `must be a string, got ${kindOf(value)} (quote it)`);
    }
  }
  const targets: RuleSpec['targets'] = [];
  if (rule.targets === undefined || rule.targets === null) check.fail([...path, 'targets'], 'required');
  else if (!Array.isArray(rule.targets)) check.fail([...path, 'targets'], `must be a list, got ${kindOf(rule.targets)}`);
  else {
    // 0 to 5, as the API takes them: a rule may be declared before its targets (issue 10, item 8).
    if (rule.targets.length > MAX_TARGETS) check.fail([...path, 'targets'], `a rule has 0 to ${MAX_TARGETS} targets, not ${rule.targets.length}`);
    rule.targets.forEach((t, i) => {
      const target = validateTarget(check, t, [...path, 'targets', i], true);
      if (target) targets.push(target as unknown as RuleSpec['targets'][number]);
    });
    check.unique(rule.targets.map((t) => (t as Obj | null)?.id as string | undefined), (i) => [...path, 'targets', i, 'id'], 'target');
  }
  if (check.issues.length > before) return undefined;
  return { ...(rule as unknown as RuleSpec), targets };
}

/** Returns the target with retry durations turned into milliseconds. */
function validateTarget(check: Checker, raw: unknown, path: Segment[], needsId: boolean): Obj | undefined {
  const target = check.object(raw, path, needsId ? TARGET_KEYS : TARGET_KEYS.filter((k) => k !== 'deadLetterTarget'));
  if (!target) return undefined;
  const out: Obj = { ...target };
  check.string(target.id, [...path, 'id'], { required: needsId, pattern: TARGET_ID });
  check.string(target.type, [...path, 'type'], { required: true });
  check.object(target.config, [...path, 'config']);
  if (target.transform !== undefined) {
    try {
      validateTransform(target.transform, formatSegments([...path, 'transform']));
    } catch (error) {
      const { field, message } = error as { field?: string; message: string };
      const at = field ? field.replace(/\[(\d+)\]/g, '.$1').split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [...path, 'transform'];
      check.fail(at, field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message);
    }
  }
  if (target.retry !== undefined) {
    const retry = check.object(target.retry, [...path, 'retry'], RETRY_KEYS);
    if (retry) {
      const ms: Obj = { ...retry };
      check.integer(retry.maxAttempts, [...path, 'retry', 'maxAttempts'], 1);
      for (const key of ['maxAgeMs', 'backoffBaseMs', 'backoffCapMs']) {
        const value = check.duration(retry[key], [...path, 'retry', key], 0);
        if (value !== undefined) ms[key] = value;
      }
      if (retry.jitter !== undefined && typeof retry.jitter !== 'boolean') check.fail([...path, 'retry', 'jitter'], 'must be true or false');
      out.retry = ms;
    }
  }
  check.integer(target.concurrency, [...path, 'concurrency'], 1);
  if (target.ratePerSecond !== undefined && !(typeof target.ratePerSecond === 'number' && target.ratePerSecond > 0)) {
    check.fail([...path, 'ratePerSecond'], 'must be a number above 0');
  }
  if (target.deadLetterTarget !== undefined) {
    const dead = validateTarget(check, target.deadLetterTarget, [...path, 'deadLetterTarget'], false);
    if (dead) out.deadLetterTarget = dead;
  }
  return out;
}

function formatSegments(path: Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
