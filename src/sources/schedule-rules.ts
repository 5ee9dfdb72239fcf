/**
 * EventBridge scheduled rules (PutRule with `ScheduleExpression`) as Herald sources. AWS fires a
 * scheduled rule's targets with an event it makes itself:
 *   {"source": "aws.events", "detail-type": "Scheduled Event", "resources": [<rule ARN>], "detail": {}}
 * (EventBridge User Guide, "Creating a rule that runs on a schedule"). Herald does the same in two
 * parts: a `schedule` source named `rule-{bus}-{rule}` puts exactly that event on the bus at each
 * firing (its `resources` extension is the JSON array, as the EventBridge view expects), and the rule
 * gets a pattern that matches only its own firings, by `resources`.
 */
import { parseSchedule } from '../connectors/index.js';
import type { SourceSpec, SourceState, SourcesRuntime, SourceView } from './types.js';

export const SCHEDULED_EVENT = { source: 'aws.events', detailType: 'Scheduled Event' } as const;

/** The name of the source behind a scheduled rule. */
export function scheduleSourceName(bus: string, rule: string): string {
  return `rule-${bus}-${rule}`;
}

/** The pattern a scheduled rule is stored with: its own firings and nothing else. */
export function scheduledRulePattern(ruleArn: string): Record<string, unknown> {
  return { source: [SCHEDULED_EVENT.source], 'detail-type': [SCHEDULED_EVENT.detailType], resources: [ruleArn] };
}

export interface ScheduleRuleInput {
  bus: string;
  rule: string;
  ruleArn: string;
  /** `rate(…)` or `cron(…)`, as PutRule takes it. */
  expression: string;
  state: SourceState;
  /**
   * When the schedule begins: no firing before it, and rate() counts from it (AWS: a rate rule's
   * first firing comes one period after it is created). Keep the old one when a PutRule repeats the
   * same expression, so re-applying a config does not move the firings.
   */
  startAt: string;
}

export function scheduleRuleSource(input: ScheduleRuleInput): SourceSpec {
  return {
    type: 'schedule',
    bus: input.bus,
    state: input.state,
    description: `EventBridge scheduled rule ${input.rule} (managed by PutRule / DeleteRule)`,
    config: {
      expression: input.expression,
      startAt: input.startAt,
      source: SCHEDULED_EVENT.source,
      type: SCHEDULED_EVENT.detailType,
      data: {},
    },
    extensions: { resources: JSON.stringify([input.ruleArn]) },
  };
}

/**
 * True for the expressions a PutRule takes: `rate(value unit)` and six-field `cron(…)` (EventBridge
 * API reference, PutRule ScheduleExpression) — not Scheduler's one-time `at(…)`.
 */
export function isRuleSchedule(expression: string): boolean {
  if (!/^(rate|cron)\(.*\)$/s.test(expression.trim())) return false;
  try {
    parseSchedule(expression.trim(), 'UTC');
    return true;
  } catch {
    return false;
  }
}

/** Creates or replaces the schedule source of a scheduled rule. */
export async function putScheduleSource(sources: SourcesRuntime, input: Omit<ScheduleRuleInput, 'startAt'> & { now: Date }): Promise<void> {
  const name = scheduleSourceName(input.bus, input.rule);
  const existing = await sources.get(name);
  const sameExpression = existing?.type === 'schedule' && existing.config.expression === input.expression.trim();
  const startAt = sameExpression && typeof existing.config.startAt === 'string' ? existing.config.startAt : input.now.toISOString();
  await sources.put(name, scheduleRuleSource({ ...input, expression: input.expression.trim(), startAt }));
}

/** Deletes the schedule source of a rule, if it has one (a rule turned into a pattern rule, or deleted). */
export async function removeScheduleSource(sources: SourcesRuntime, bus: string, rule: string): Promise<void> {
  const name = scheduleSourceName(bus, rule);
  if ((await sources.get(name))?.type === 'schedule') await sources.delete(name);
}

/** Enables or disables the schedule source with its rule (a disabled scheduled rule does not fire). */
export async function setScheduleState(sources: SourcesRuntime, bus: string, rule: string, state: SourceState): Promise<void> {
  const existing = await sources.get(scheduleSourceName(bus, rule));
  if (existing?.type !== 'schedule' || existing.state === state) return;
  const { status: _status, createdAt: _c, updatedAt: _u, ...spec } = existing;
  await sources.put(existing.name, { ...spec, state });
}

/** The ScheduleExpression of a scheduled rule, from its source. */
export function scheduleExpressionOf(source: SourceView | undefined): string | undefined {
  return source?.type === 'schedule' && typeof source.config.expression === 'string' ? source.config.expression : undefined;
}
