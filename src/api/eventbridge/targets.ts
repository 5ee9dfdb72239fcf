/** PutTargets, RemoveTargets, ListTargetsByRule (EventBridge API reference). */
import { isHeraldError } from '../../errors/index.js';
import { MAX_TARGETS } from '../../rules/types.js';
import { busNameOf } from './arns.js';
import { AwsError, toAwsError, validation } from './errors.js';
import { onlyMembers, optionalBoolean, optionalString, page, requiredString, stringList, type Members } from './input.js';
import { isManaged, refuseManaged, requireRule, type Operation } from './env.js';
import { fromAwsTarget, toAwsTarget, type ParsedTarget } from './target-mapping.js';

interface FailedEntry {
  TargetId: string;
  ErrorCode: string;
  ErrorMessage: string;
}

function answer(failed: FailedEntry[]): Members {
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

/**
 * Every target is checked before any is saved: a malformed member refuses the whole request
 * (ValidationException naming it), as does going over 5 targets (LimitExceededException, AWS's quota
 * "Targets per rule: 5"). A target Herald cannot serve, or one the rules service rejects, is reported in
 * FailedEntries while the others are saved — AWS's per-entry model.
 */
export const putTargets: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Rule', 'EventBusName', 'Targets']);
  const name = requiredString(body, 'Rule');
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  const list = body.Targets;
  if (!Array.isArray(list) || list.length === 0) throw validation('Targets must be a list of 1 to 100 targets.');
  if (list.length > 100) throw validation('Targets must be a list of 1 to 100 targets.');
  const parsed: ParsedTarget[] = list.map((t, i) => fromAwsTarget(t, `Targets[${i}]`));
  const ids = new Set<string>();
  for (const t of parsed) {
    if (ids.has(t.id)) throw validation(`Targets contains the Id ${t.id} more than once.`);
    ids.add(t.id);
  }
  const rule = await requireRule(env, bus, name);
  refuseManaged(rule);
  const after = new Set([...rule.targets.map((t) => t.id), ...parsed.filter((t) => 'spec' in t).map((t) => t.id)]);
  if (after.size > MAX_TARGETS) {
    throw new AwsError('LimitExceededException', `The requested resource exceeds the maximum number allowed: a rule has at most ${MAX_TARGETS} targets.`);
  }
  const failed: FailedEntry[] = [];
  for (const target of parsed) {
    if ('failed' in target) {
      failed.push({ TargetId: target.id, ErrorCode: 'ValidationException', ErrorMessage: target.failed });
      continue;
    }
    try {
      await env.ctx.rules.putTarget(bus, name, target.spec);
    } catch (error) {
      if (isHeraldError(error) && error.code === 'HERALD_RULE_NOT_FOUND') throw toAwsError(error);
      const aws = toAwsError(error);
      if (aws.type === 'InternalException') env.log.error({ err: error }, 'PutTargets failed');
      failed.push({ TargetId: target.id, ErrorCode: aws.type, ErrorMessage: aws.message });
    }
  }
  return answer(failed);
};

export const removeTargets: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Rule', 'EventBusName', 'Ids', 'Force']);
  const name = requiredString(body, 'Rule');
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  const ids = stringList(body, 'Ids');
  if (ids === undefined || ids.length === 0 || ids.length > 100) throw validation('Ids must be a list of 1 to 100 target ids.');
  const force = optionalBoolean(body, 'Force') ?? false;
  const rule = await requireRule(env, bus, name);
  if (isManaged(rule) && !force) refuseManaged(rule);
  const failed: FailedEntry[] = [];
  for (const id of ids) {
    try {
      await env.ctx.rules.deleteTarget(bus, name, id);
    } catch (error) {
      const aws = toAwsError(error);
      if (isHeraldError(error) && error.code === 'HERALD_TARGET_NOT_FOUND') {
        failed.push({ TargetId: id, ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Rule ${name} has no target with Id ${id}.` });
        continue;
      }
      if (aws.type === 'InternalException') env.log.error({ err: error }, 'RemoveTargets failed');
      failed.push({ TargetId: id, ErrorCode: aws.type, ErrorMessage: aws.message });
    }
  }
  return answer(failed);
};

export const listTargetsByRule: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Rule', 'EventBusName', 'NextToken', 'Limit']);
  const name = requiredString(body, 'Rule');
  const bus = busNameOf(optionalString(body, 'EventBusName'));
  const rule = await requireRule(env, bus, name);
  const targets = [...rule.targets].sort((a, b) => (a.id < b.id ? -1 : 1));
  const { items, NextToken } = page(targets, (t) => t.id, body);
  return { Targets: items.map((t) => toAwsTarget(env.arn, t)), ...(NextToken === undefined ? {} : { NextToken }) };
};
