/**
 * Validation of a whole rule, failing closed (issue 4, item 1; STYLE.md "rules that fail open"):
 * every field is checked and the first fault is reported with its path.
 */
import { HeraldError } from '../errors/index.js';
import { validateFilter } from '../patterns/filters.js';
import { compileTransform } from '../transform/index.js';
import { DEFAULT_RETRY, MAX_TARGETS, RULE_NAME, RULE_STATES, TARGET_ID, VIEWS, type RetryPolicy, type RuleSpec, type TargetSpec } from './types.js';

/** Checks a target's connector config; supplied by the connector registry. */
export type ConnectorCheck = (type: string, config: unknown, field: string) => Record<string, unknown>;

const RULE_FIELDS = new Set(['name', 'description', 'filter', 'view', 'state', 'targets', 'replyBus', 'tags']);
const TARGET_FIELDS = new Set(['id', 'type', 'config', 'transform', 'retry', 'concurrency', 'ratePerSecond', 'deadLetterTarget', 'disabled']);
const RETRY_FIELDS = new Set<keyof RetryPolicy>(['maxAttempts', 'maxAgeMs', 'backoffBaseMs', 'backoffCapMs', 'jitter']);

function invalid(field: string, why: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', `${field}: ${why}`, field);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(field, 'expected an object');
  return value as Record<string, unknown>;
}

function onlyKnown(value: Record<string, unknown>, known: Set<string>, field: string): void {
  for (const key of Object.keys(value)) if (!known.has(key)) invalid(`${field}.${key}`.replace(/^\./, ''), 'unknown field');
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) invalid(field, `expected a whole number from ${min} to ${max}`);
  return value;
}

export function validateRuleSpec(raw: unknown, checkConnector: ConnectorCheck): RuleSpec {
  const spec = object(raw, 'rule');
  onlyKnown(spec, RULE_FIELDS, '');
  if (typeof spec.name !== 'string' || !RULE_NAME.test(spec.name)) invalid('name', 'expected 1 to 64 of A-Z a-z 0-9 . _ -');
  if (spec.description !== undefined && (typeof spec.description !== 'string' || spec.description.length > 512)) invalid('description', 'expected a string of at most 512 characters');
  if (spec.view !== undefined && !VIEWS.includes(spec.view as never)) invalid('view', `expected one of ${VIEWS.join(', ')}`);
  if (spec.state !== undefined && !RULE_STATES.includes(spec.state as never)) invalid('state', `expected one of ${RULE_STATES.join(', ')}`);
  if (spec.filter === undefined) invalid('filter', 'required: {"pattern": …}, {"cesql": "…"} or {"subscriptions": […]}');
  const filter = validateFilter(spec.filter, 'filter');
  // A rule may have no targets yet (EventBridge's PutRule makes one; PutTargets adds them).
  if (spec.targets === undefined) spec.targets = [];
  if (!Array.isArray(spec.targets) || spec.targets.length > MAX_TARGETS) invalid('targets', `expected a list of at most ${MAX_TARGETS} targets`);
  const ids = new Set<string>();
  const targets = spec.targets.map((t, i) => {
    const target = validateTargetSpec(t, `targets[${i}]`, checkConnector);
    if (ids.has(target.id)) invalid(`targets[${i}].id`, `"${target.id}" is used by another target of this rule`);
    ids.add(target.id);
    return target;
  });
  if (spec.replyBus !== undefined && (typeof spec.replyBus !== 'string' || !/^[A-Za-z0-9._-]{1,256}$/.test(spec.replyBus))) invalid('replyBus', 'expected a bus name');
  if (spec.tags !== undefined) {
    const tags = object(spec.tags, 'tags');
    for (const [k, v] of Object.entries(tags)) if (typeof v !== 'string') invalid(`tags.${k}`, 'expected a string');
  }
  return { ...(spec as unknown as RuleSpec), filter, targets };
}

export function validateTargetSpec(raw: unknown, field: string, checkConnector: ConnectorCheck): TargetSpec {
  const target = object(raw, field);
  onlyKnown(target, TARGET_FIELDS, field);
  if (typeof target.id !== 'string' || !TARGET_ID.test(target.id)) invalid(`${field}.id`, 'expected 1 to 64 of A-Z a-z 0-9 . _ -');
  if (typeof target.type !== 'string') invalid(`${field}.type`, 'required: the connector, e.g. "http"');
  const config = checkConnector(target.type, target.config ?? {}, `${field}.config`);
  if (target.transform !== undefined) {
    try {
      compileTransform(target.transform, `${field}.transform`);
    } catch (error) {
      if (error instanceof HeraldError) throw new HeraldError('HERALD_INVALID_TRANSFORM', error.message, error.field);
      throw error;
    }
  }
  if (target.retry !== undefined) {
    const retry = object(target.retry, `${field}.retry`);
    onlyKnown(retry, RETRY_FIELDS as Set<string>, `${field}.retry`);
    if (retry.maxAttempts !== undefined) integer(retry.maxAttempts, `${field}.retry.maxAttempts`, 1, 185);
    if (retry.maxAgeMs !== undefined) integer(retry.maxAgeMs, `${field}.retry.maxAgeMs`, 1000, 24 * 3600_000);
    if (retry.backoffBaseMs !== undefined) integer(retry.backoffBaseMs, `${field}.retry.backoffBaseMs`, 1, 3600_000);
    if (retry.backoffCapMs !== undefined) integer(retry.backoffCapMs, `${field}.retry.backoffCapMs`, 1, 24 * 3600_000);
    if (retry.jitter !== undefined && typeof retry.jitter !== 'boolean') invalid(`${field}.retry.jitter`, 'expected true or false');
  }
  if (target.concurrency !== undefined) integer(target.concurrency, `${field}.concurrency`, 1, 1000);
  if (target.ratePerSecond !== undefined) {
    if (typeof target.ratePerSecond !== 'number' || !(target.ratePerSecond > 0)) invalid(`${field}.ratePerSecond`, 'expected a number above 0');
  }
  if (target.deadLetterTarget !== undefined) {
    validateTargetSpec({ id: 'dead-letter', ...object(target.deadLetterTarget, `${field}.deadLetterTarget`) }, `${field}.deadLetterTarget`, checkConnector);
  }
  return { ...(target as unknown as TargetSpec), config };
}

export function retryPolicy(target: TargetSpec): RetryPolicy {
  return { ...DEFAULT_RETRY, ...(target.retry ?? {}) };
}
