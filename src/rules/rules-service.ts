import { busNotFound, HeraldError } from '../errors/index.js';
import type { BusStore, DeliveryQueue, RuleStore } from '../store/index.js';
import type { RulesService } from './service.js';
import type { RuleRecord, RuleSpec, RuleState } from './types.js';
import { validateRuleSpec, validateTargetSpec, type ConnectorCheck } from './validate.js';

/** Told of every saved change, so matchers and delivery runners follow without a restart. */
export type RuleListener = (bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined) => void;

export class StoreRulesService implements RulesService {
  private readonly listeners: RuleListener[] = [];

  constructor(
    private readonly deps: { buses: BusStore; rules: RuleStore; deliveries: DeliveryQueue; checkConnector: ConnectorCheck },
  ) {}

  onChange(listener: RuleListener): void {
    this.listeners.push(listener);
  }

  validate(raw: unknown): RuleSpec {
    return validateRuleSpec(raw, this.deps.checkConnector);
  }

  record(bus: string, spec: RuleSpec, before: RuleRecord | undefined, now = new Date().toISOString()): RuleRecord {
    return toRecord(bus, spec, before?.createdAt ?? now, now);
  }

  async put(bus: string, raw: unknown): Promise<{ rule: RuleRecord; created: boolean }> {
    await this.requireBus(bus);
    const spec = this.validate(raw);
    if (spec.replyBus !== undefined && !(await this.deps.buses.get(spec.replyBus))) {
      throw new HeraldError('HERALD_BUS_NOT_FOUND', `replyBus: bus "${spec.replyBus}" does not exist`, 'replyBus');
    }
    const before = await this.get(bus, spec.name);
    const rule = this.record(bus, spec, before);
    await this.save(bus, before, rule);
    return { rule, created: before === undefined };
  }

  async get(bus: string, name: string): Promise<RuleRecord | undefined> {
    await this.requireBus(bus);
    return (await this.deps.rules.get(bus, name)) as RuleRecord | undefined;
  }

  async list(bus: string): Promise<RuleRecord[]> {
    await this.requireBus(bus);
    return (await this.deps.rules.list(bus)) as RuleRecord[];
  }

  async delete(bus: string, name: string): Promise<void> {
    const before = await this.require(bus, name);
    await this.deps.rules.delete(bus, name);
    await this.saved(bus, before, undefined);
  }

  async setState(bus: string, name: string, state: RuleState): Promise<RuleRecord> {
    const before = await this.require(bus, name);
    return this.save(bus, before, { ...before, state, updatedAt: new Date().toISOString() });
  }

  async update(bus: string, name: string, changes: { state?: RuleState; description?: string }): Promise<RuleRecord> {
    const before = await this.require(bus, name);
    return this.save(bus, before, { ...before, ...changes, updatedAt: new Date().toISOString() });
  }

  async putTarget(bus: string, ruleName: string, raw: unknown): Promise<RuleRecord> {
    const before = await this.require(bus, ruleName);
    const index = before.targets.findIndex((t) => t.id === (raw as { id?: unknown } | null)?.id);
    const field = `targets[${index >= 0 ? index : before.targets.length}]`;
    const target = validateTargetSpec(raw, field, this.deps.checkConnector);
    const targets = index >= 0 ? before.targets.map((t, i) => (i === index ? target : t)) : [...before.targets, target];
    if (targets.length > 5) throw new HeraldError('HERALD_INVALID_REQUEST', 'targets: a rule has at most 5 targets', 'targets');
    return this.save(bus, before, { ...before, targets, updatedAt: new Date().toISOString() });
  }

  async deleteTarget(bus: string, ruleName: string, targetId: string): Promise<RuleRecord> {
    const before = await this.require(bus, ruleName);
    if (!before.targets.some((t) => t.id === targetId)) {
      throw new HeraldError('HERALD_TARGET_NOT_FOUND', `rule "${ruleName}" has no target "${targetId}"`, 'target');
    }
    return this.save(bus, before, { ...before, targets: before.targets.filter((t) => t.id !== targetId), updatedAt: new Date().toISOString() });
  }

  async setTags(bus: string, ruleName: string, tags: Record<string, string>): Promise<RuleRecord> {
    const before = await this.require(bus, ruleName);
    return this.save(bus, before, { ...before, tags, updatedAt: new Date().toISOString() });
  }

  async count(bus: string): Promise<number> {
    return (await this.deps.rules.list(bus)).length;
  }

  async deleteAll(bus: string): Promise<void> {
    for (const rule of await this.list(bus)) await this.delete(bus, rule.name);
  }

  async saved(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): Promise<void> {
    for (const target of before?.targets ?? []) {
      if (after?.targets.some((t) => t.id === target.id)) continue;
      const reason = after ? 'the target was removed' : 'the rule was deleted';
      await this.deps.deliveries.settleTarget({ bus, rule: before!.name, target: target.id }, 'cancelled', reason);
    }
    this.emit(bus, before, after);
  }

  private async save(bus: string, before: RuleRecord | undefined, after: RuleRecord): Promise<RuleRecord> {
    await this.deps.rules.put(bus, after.name, after);
    await this.saved(bus, before, after);
    return after;
  }

  private emit(bus: string, before: RuleRecord | undefined, after: RuleRecord | undefined): void {
    for (const listener of this.listeners) listener(bus, before, after);
  }

  private async requireBus(bus: string): Promise<void> {
    if (!(await this.deps.buses.get(bus))) throw busNotFound(bus);
  }

  private async require(bus: string, name: string): Promise<RuleRecord> {
    const rule = await this.get(bus, name);
    if (!rule) throw new HeraldError('HERALD_RULE_NOT_FOUND', `bus "${bus}" has no rule "${name}"`, 'rule');
    return rule;
  }
}

function toRecord(bus: string, spec: RuleSpec, createdAt: string, updatedAt: string): RuleRecord {
  return {
    bus,
    name: spec.name,
    description: spec.description ?? '',
    filter: spec.filter,
    view: spec.view ?? 'cloudevent',
    state: spec.state ?? 'enabled',
    targets: spec.targets,
    ...(spec.replyBus !== undefined ? { replyBus: spec.replyBus } : {}),
    tags: spec.tags ?? {},
    createdAt,
    updatedAt,
  };
}
