/**
 * The rules service: the control plane's one way to change rules. It validates a whole rule
 * (filter, view, targets, transforms, connector configs) before saving, fails closed, and tells the
 * data plane (router matchers, delivery runners) about every change, without a restart.
 */
import type { RuleRecord, RuleSpec, RuleState } from './types.js';

export interface RulesService {
  /**
   * The validation `put` runs (filter, view, targets, transforms, connector configs), without the
   * checks that need the store (the bus, `replyBus`): for callers that write rules themselves in a
   * larger transaction (POST /v1/apply). Throws a HeraldError naming the field.
   */
  validate(spec: unknown): RuleSpec;
  /** The record `put` would store for a validated spec (`before` keeps `createdAt`). */
  record(bus: string, spec: RuleSpec, before: RuleRecord | undefined, now?: string): RuleRecord;
  /**
   * After a rule was written (or deleted, `after` undefined) outside `put`/`delete`: does what they
   * do after their write — cancels pending deliveries of targets that went, and tells the matchers
   * and delivery runners.
   */
  saved(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): Promise<void>;
  /**
   * Creates or replaces a rule from an unvalidated spec (a RuleSpec in JSON). Throws a HeraldError
   * naming the field (`filter.pattern.detail.price`, `targets[1].config.url`, …) when anything is
   * invalid; then nothing changed. Replacing a rule keeps pending deliveries of targets that stay;
   * those of removed targets are cancelled.
   */
  put(bus: string, spec: unknown): Promise<{ rule: RuleRecord; created: boolean }>;
  get(bus: string, name: string): Promise<RuleRecord | undefined>;
  /** Rules of a bus, by name. */
  list(bus: string): Promise<RuleRecord[]>;
  /** Deletes a rule; its pending deliveries are recorded as `cancelled`. Throws HERALD_RULE_NOT_FOUND. */
  delete(bus: string, name: string): Promise<void>;
  setState(bus: string, name: string, state: RuleState): Promise<RuleRecord>;
  /** Changes a rule's state and/or description only. */
  update(bus: string, name: string, changes: { state?: RuleState; description?: string }): Promise<RuleRecord>;
  /** Adds or replaces one target (unvalidated TargetSpec). Throws HERALD_RULE_NOT_FOUND, or a validation error. */
  putTarget(bus: string, rule: string, target: unknown): Promise<RuleRecord>;
  /** Removes one target; its pending deliveries are cancelled. Throws HERALD_TARGET_NOT_FOUND. */
  deleteTarget(bus: string, rule: string, targetId: string): Promise<RuleRecord>;
  setTags(bus: string, rule: string, tags: Record<string, string>): Promise<RuleRecord>;
  count(bus: string): Promise<number>;
  deleteAll(bus: string): Promise<void>;
}
