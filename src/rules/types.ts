/**
 * Rules select events on a bus and name up to 5 targets that receive them (issue 4); a rule
 * without targets matches but delivers nothing (EventBridge's PutRule creates one like that). A rule is one
 * document: saved whole, validated whole, failing closed.
 */
import type { Filter } from '../patterns/matcher.js';
import type { TransformSpec } from '../transform/index.js';

export const VIEWS = ['cloudevent', 'eventbridge'] as const;
export type View = (typeof VIEWS)[number];

export const RULE_STATES = ['enabled', 'disabled'] as const;
export type RuleState = (typeof RULE_STATES)[number];

/**
 * How a target retries (knative DeliverySpec, EventBridge RetryPolicy). Defaults are EventBridge's:
 * 185 attempts within 24 h; backoff 1 s doubling to 5 min, with full jitter.
 */
export interface RetryPolicy {
  /** Most attempts in all, the first included. @defaultValue 185 */
  maxAttempts: number;
  /** Oldest an event may be (from when the bus stored it) and still be tried. @defaultValue 86 400 000 (24 h) */
  maxAgeMs: number;
  /** First retry delay. @defaultValue 1000 */
  backoffBaseMs: number;
  /** Longest retry delay. @defaultValue 300 000 */
  backoffCapMs: number;
  /** Full jitter (a random delay up to the backoff). Tests turn it off. @defaultValue true */
  jitter: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 185,
  maxAgeMs: 24 * 3600_000,
  backoffBaseMs: 1000,
  backoffCapMs: 300_000,
  jitter: true,
});

export interface TargetSpec {
  /** Unique within the rule: `[A-Za-z0-9._-]{1,64}`. */
  id: string;
  /** The connector: `http`, `bus`, `nats`, `mqtt`, `amqp`, `redis`, `postgres`, `mysql`… */
  type: string;
  /** The connector's own settings, checked against its config schema. */
  config: Record<string, unknown>;
  /** What the target receives. @defaultValue { kind: 'event' } */
  transform?: TransformSpec;
  retry?: Partial<RetryPolicy>;
  /** Most deliveries in flight to this target at once. @defaultValue 16 */
  concurrency?: number;
  /** Most deliveries started per second (unset: no limit). */
  ratePerSecond?: number;
  /** Dead letters of this target are also sent to this target (as CloudEvents with the error as extensions). */
  deadLetterTarget?: Omit<TargetSpec, 'deadLetterTarget' | 'id'> & { id?: string };
}

export interface RuleSpec {
  /** `[A-Za-z0-9._-]{1,64}`, unique within the bus. */
  name: string;
  description?: string;
  filter: Filter;
  /** What the filter and the transforms see. @defaultValue 'cloudevent' */
  view?: View;
  /** @defaultValue 'enabled' */
  state?: RuleState;
  targets: TargetSpec[];
  /** A target's 2xx reply that is a CloudEvent is published on this bus (Knative reply). */
  replyBus?: string;
  /** Free-form tags (the EventBridge API's TagResource keeps them here). */
  tags?: Record<string, string>;
}

/** A saved rule, with defaults applied. */
export interface RuleRecord extends Required<Pick<RuleSpec, 'name' | 'filter' | 'targets'>> {
  bus: string;
  description: string;
  view: View;
  state: RuleState;
  replyBus?: string;
  tags: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export const RULE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const TARGET_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_TARGETS = 5;
