/** PutRule, DescribeRule, DeleteRule, ListRules, EnableRule, DisableRule (EventBridge API reference). */
import { isHeraldError } from '../../errors/index.js';
import { validatePattern } from '../../patterns/index.js';
import type { RuleRecord, RuleState } from '../../rules/types.js';
import { busNameOf, ruleArn } from './arns.js';
import { AwsError, validation } from './errors.js';
import { onlyMembers, optionalBoolean, optionalString, page, requiredString, tagList, type Members } from './input.js';
import { isManaged, orNotFound, refuseManaged, requireBus, requireRule, type Operation, type OperationEnv } from './env.js';
import {
  isRuleSchedule, putScheduleSource, removeScheduleSource, scheduledRulePattern, scheduleExpressionOf, scheduleSourceName, setScheduleState,
} from '../../sources/schedule-rules.js';

/** Rule.Description: "Maximum length of 512." */
const MAX_DESCRIPTION = 512;

const STATES: Record<string, RuleState> = { ENABLED: 'enabled', DISABLED: 'disabled' };

/** `schedule`: the rule's ScheduleExpression when it is a scheduled rule (its pattern is then Herald's own, not shown). */
export function ruleShape(env: OperationEnv, rule: RuleRecord, schedule?: string): Members {
  return {
    Name: rule.name,
    Arn: ruleArn(env.arn, rule.bus, rule.name),
    ...(schedule !== undefined ? { ScheduleExpression: schedule } : 'pattern' in rule.filter ? { EventPattern: JSON.stringify(rule.filter.pattern) } : {}),
    State: rule.state === 'enabled' ? 'ENABLED' : 'DISABLED',
    ...(rule.description === '' ? {} : { Description: rule.description }),
    ...(isManaged(rule) ? { ManagedBy: 'herald' } : {}),
    EventBusName: rule.bus,
  };
}

/**
 * The EventPattern string → the pattern Herald stores. EventBridge answers InvalidEventPatternException
 * both for text that is not JSON and for JSON that is not a valid pattern ("Event pattern is not valid.").
 */
export function parseEventPattern(text: string): unknown {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch (error) {
    throw new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${(error as Error).message}`);
  }
  try {
    validatePattern(pattern);
  } catch (error) {
    if (isHeraldError(error)) {
      const where = error.field !== undefined && error.field !== '' ? ` at ${error.field}` : '';
      throw new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${error.message}${where}`);
    }
    throw error;
  }
  return pattern;
}

/**
 * AWS: "If you are updating an existing rule, the rule is replaced with what you specify in this PutRule
 * command. If you omit arguments in PutRule, the old values for those arguments are not kept." The
 * targets are kept (they are not PutRule's), and so are tags: PutRule's Tags are added to them.
 */
export const putRule: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Name', 'EventPattern', 'ScheduleExpression', 'State', 'Description', 'Tags', 'EventBusName']);
  const name = requiredString(body, 'Name');
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  // A scheduled rule is a schedule source firing AWS's "Scheduled Event" onto the bus plus a rule
  // matching exactly those firings (src/sources/schedule-rules.ts; docs/sources.md).
  const schedule = optionalString(body, 'ScheduleExpression');
  const patternText = optionalString(body, 'EventPattern');
  const hasPattern = patternText !== undefined && patternText !== '';
  if (schedule !== undefined) {
    if (env.ctx.sources === undefined) throw validation('ScheduleExpression is not supported by this server (it runs no sources). Use an EventPattern.');
    if (hasPattern) throw validation('Herald: a rule has either an EventPattern or a ScheduleExpression, not both.');
    if (!isRuleSchedule(schedule)) throw validation('Parameter ScheduleExpression is not valid.');
  } else if (!hasPattern) {
    throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
  }
  const stateText = optionalString(body, 'State') ?? 'ENABLED';
  const state = STATES[stateText];
  if (state === undefined) {
    throw validation(`State ${stateText} is not supported; Herald supports ENABLED and DISABLED (it has no CloudTrail events).`);
  }
  const description = optionalString(body, 'Description') ?? '';
  if (description.length > MAX_DESCRIPTION) throw validation(`Description must be at most ${MAX_DESCRIPTION} characters.`);
  const tags = tagList(body);
  const pattern = schedule !== undefined ? scheduledRulePattern(ruleArn(env.arn, bus, name)) : parseEventPattern(patternText ?? '');

  await requireBus(env, bus);
  const existing = await env.ctx.rules.get(bus, name);
  if (existing !== undefined) refuseManaged(existing);
  const spec = {
    name,
    description,
    filter: { pattern },
    view: 'eventbridge',
    state,
    targets: existing?.targets ?? [],
    tags: { ...existing?.tags, ...tags },
    ...(existing?.replyBus === undefined ? {} : { replyBus: existing.replyBus }),
  };
  try {
    await env.ctx.rules.put(bus, spec);
  } catch (error) {
    if (isHeraldError(error) && (error.code === 'HERALD_INVALID_PATTERN' || error.code === 'HERALD_INVALID_FILTER')) {
      throw new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${error.message}`);
    }
    throw error;
  }
  const sources = env.ctx.sources;
  if (sources !== undefined) {
    if (schedule !== undefined) await putScheduleSource(sources, { bus, rule: name, ruleArn: ruleArn(env.arn, bus, name), expression: schedule, state, now: sources.now() });
    else await removeScheduleSource(sources, bus, name);
  }
  return { RuleArn: ruleArn(env.arn, bus, name) };
};

export const describeRule: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Name', 'EventBusName']);
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  const rule = await requireRule(env, bus, requiredString(body, 'Name'));
  const schedule = scheduleExpressionOf(await env.ctx.sources?.get(scheduleSourceName(bus, rule.name)));
  return { ...ruleShape(env, rule, schedule), CreatedBy: env.arn.account };
};

/**
 * AWS: "If you call delete rule multiple times for the same rule, all calls will succeed. When you call
 * delete rule for a non-existent custom eventbus, ResourceNotFoundException is returned." A rule with
 * targets is refused with AWS's own message; `Force` deletes a rule managed through Herald's API.
 */
export const deleteRule: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Name', 'EventBusName', 'Force']);
  const name = requiredString(body, 'Name');
  const force = optionalBoolean(body, 'Force') ?? false;
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  await requireBus(env, bus);
  const rule = await env.ctx.rules.get(bus, name);
  if (rule === undefined) return {};
  if (isManaged(rule)) {
    if (!force) refuseManaged(rule);
  } else if (rule.targets.length > 0) {
    throw validation("Rule can't be deleted since it has targets.");
  }
  await orNotFound(bus, name, () => env.ctx.rules.delete(bus, name));
  if (env.ctx.sources !== undefined) await removeScheduleSource(env.ctx.sources, bus, name);
  return {};
};

export const listRules: Operation = async (input, env) => {
  const body = onlyMembers(input, ['NamePrefix', 'EventBusName', 'NextToken', 'Limit']);
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  const prefix = optionalString(body, 'NamePrefix') ?? '';
  await requireBus(env, bus);
  const rules = (await env.ctx.rules.list(bus)).filter((r) => r.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const { items, NextToken } = page(rules, (r) => r.name, body);
  const schedules = new Map<string, string | undefined>();
  if (env.ctx.sources !== undefined) for (const r of items) schedules.set(r.name, scheduleExpressionOf(await env.ctx.sources.get(scheduleSourceName(bus, r.name))));
  return { Rules: items.map((r) => ruleShape(env, r, schedules.get(r.name))), ...(NextToken === undefined ? {} : { NextToken }) };
};

function setState(state: RuleState): Operation {
  return async (input, env) => {
    const body = onlyMembers(input, ['Name', 'EventBusName']);
    const bus = busNameOf(optionalString(body, 'EventBusName'));
    const name = requiredString(body, 'Name');
    refuseManaged(await requireRule(env, bus, name));
    await orNotFound(bus, name, () => env.ctx.rules.setState(bus, name, state));
    if (env.ctx.sources !== undefined) await setScheduleState(env.ctx.sources, bus, name, state);
    return {};
  };
}

export const enableRule = setState('enabled');
export const disableRule = setState('disabled');

