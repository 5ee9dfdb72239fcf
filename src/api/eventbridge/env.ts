/** What every EventBridge operation gets: the API context, ARN settings and the in-memory bus tags. */
import type { FastifyBaseLogger } from 'fastify';
import { HeraldError } from '../../errors/index.js';
import type { RulesService } from '../../rules/service.js';
import type { RuleRecord } from '../../rules/types.js';
import type { Config } from '../../server/config.js';
import type { BusRecord, Store } from '../../store/index.js';
import type { SourcesRuntime } from '../../sources/types.js';
import type { ArnContext } from './arns.js';
import { AwsError } from './errors.js';
import type { Members } from './input.js';
import type { Metrics } from '../../observe/index.js';

/** What the EventBridge API needs from the process: the API context's parts it uses (an ApiContext fits). */
export interface EventBridgeContext {
  config: Pick<Config, 'account' | 'region' | 'maxJsonDepth'>;
  store: Store;
  rules: RulesService;
  /** False once shutdown began: PutEvents answers ServiceUnavailableException. */
  accepting(): boolean;
  /** Scheduled rules (PutRule ScheduleExpression) are schedule sources; without it they are refused. */
  sources?: SourcesRuntime;
  /** Counts PutEvents entries in herald_events_received_total (issue 15). */
  metrics?: Pick<Metrics, 'received'>;
}

export interface OperationEnv {
  ctx: EventBridgeContext;
  arn: ArnContext;
  /**
   * Tags of buses, in memory: Herald's bus records have no tags yet, so they are lost on restart
   * (docs/eventbridge-api.md says so). Rule tags are stored with the rule.
   */
  busTags: Map<string, Record<string, string>>;
  log: FastifyBaseLogger;
}

export type Operation = (body: Members, env: OperationEnv) => Promise<Members>;

export async function requireBus(env: OperationEnv, bus: string): Promise<BusRecord> {
  const record = await env.ctx.store.buses.get(bus);
  if (record === undefined) throw new AwsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  return record;
}

export async function requireRule(env: OperationEnv, bus: string, name: string): Promise<RuleRecord> {
  await requireBus(env, bus);
  const rule = await env.ctx.rules.get(bus, name);
  if (rule === undefined) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
  return rule;
}

/**
 * Rules made through Herald's own API (the cloudevent view, or a non-pattern filter) are shown to
 * EventBridge clients but are theirs to change only with `Force` where AWS offers it — like AWS's
 * rules managed by another service (API reference, ManagedRuleException).
 */
export function isManaged(rule: RuleRecord): boolean {
  return rule.view !== 'eventbridge' || !('pattern' in rule.filter);
}

export function refuseManaged(rule: RuleRecord): void {
  if (isManaged(rule)) {
    throw new AwsError(
      'ManagedRuleException',
      `Rule ${rule.name} is managed through Herald's API (view ${rule.view}); change it there.`,
    );
  }
}

/** Runs a rules-service call, turning "no such rule" into EventBridge's message. */
export async function orNotFound<T>(bus: string, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HeraldError && error.code === 'HERALD_RULE_NOT_FOUND') {
      throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`);
    }
    throw error;
  }
}
