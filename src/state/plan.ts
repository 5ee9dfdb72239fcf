/**
 * The plan: what apply changes to make the store match a desired state (the body of POST /v1/apply,
 * which herald.yaml becomes). Pure: it compares the declarations with a snapshot of the store and
 * performs no I/O, so it is tested on a fake current state.
 *
 * Order of the items is the order apply runs them, each thing after what it needs: connections
 * (sources and targets name them), buses, sources (they append to a bus), rules; then — with prune
 * only — the reverse: rules, sources, the buses they emptied, and last the connections nothing uses
 * any more. `default` is never deleted; without prune nothing is. plan-sources.ts says how sources
 * and connections are compared.
 */
import { canonicalRule, diff, projectOnto } from './normalize.js';
import { planConnections, planSources } from './plan-sources.js';
import type { BusDeclaration, CurrentState, Declarations, FieldChange, Plan, PlanItem, PlanSummary } from './types.js';

export const PROTECTED_BUS = 'default';

const BUS_FIELDS = ['description', 'retentionMs', 'dedupeWindowMs'] as const;

export interface PlanOptions {
  prune?: boolean;
  /** Rewrite declared connections even when nothing comparable differs (plan-sources.ts). */
  updateConnections?: boolean;
}

/** `declared` is a file (or its declarations), or only a list of buses. */
export function computePlan(declared: BusDeclaration[] | Declarations, current: CurrentState, options: PlanOptions = {}): Plan {
  const file: Declarations = Array.isArray(declared) ? { buses: declared } : declared;
  const buses = file.buses;
  const busItems: PlanItem[] = [];
  const ruleItems: PlanItem[] = [];
  const ruleDeletes: PlanItem[] = [];
  const busDeletes: PlanItem[] = [];
  const live = new Map(current.buses.map((b) => [b.name, b]));

  buses.forEach((bus, busIndex) => {
    const source = ['buses', busIndex];
    const settings = Object.fromEntries(BUS_FIELDS.filter((f) => bus[f] !== undefined).map((f) => [f, bus[f]]));
    const existing = live.get(bus.name);
    if (!existing) {
      busItems.push({ action: 'create', kind: 'bus', bus: bus.name, changes: fieldsAdded(settings), body: { name: bus.name, ...settings }, source });
    } else {
      // Only the settings the file sets are compared (normalize.ts explains why).
      const changes = BUS_FIELDS.filter((f) => bus[f] !== undefined && bus[f] !== (existing[f] ?? (f === 'description' ? '' : undefined))).map(
        (f): FieldChange => ({ path: f, ...(existing[f] !== undefined ? { from: existing[f] } : {}), to: bus[f] }),
      );
      const changed = Object.fromEntries(changes.map((c) => [c.path, c.to]));
      busItems.push({ action: changes.length > 0 ? 'update' : 'unchanged', kind: 'bus', bus: bus.name, changes, ...(changes.length > 0 ? { body: changed } : {}), source });
    }

    const liveRules = new Map<string, unknown>();
    for (const record of existing ? (current.rules[bus.name] ?? []) : []) liveRules.set(String((record as { name?: unknown }).name), record);
    bus.rules.forEach((rule, ruleIndex) => {
      const ruleSource = [...source, 'rules', ruleIndex];
      const record = liveRules.get(rule.name);
      liveRules.delete(rule.name);
      const wanted = canonicalRule(rule);
      if (record === undefined) {
        ruleItems.push({ action: 'create', kind: 'rule', bus: bus.name, rule: rule.name, changes: diff(undefined, wanted), body: rule, source: ruleSource });
        return;
      }
      const changes = diff(projectOnto(canonicalRule(record), wanted), wanted);
      ruleItems.push({ action: changes.length > 0 ? 'update' : 'unchanged', kind: 'rule', bus: bus.name, rule: rule.name, changes, ...(changes.length > 0 ? { body: rule } : {}), source: ruleSource });
    });
    for (const name of [...liveRules.keys()].sort()) {
      ruleDeletes.push({ action: options.prune ? 'delete' : 'unmanaged', kind: 'rule', bus: bus.name, rule: name, changes: [] });
    }
  });

  if (options.prune) {
    const declared = new Set(buses.map((b) => b.name));
    for (const bus of [...current.buses].sort((a, b) => a.name.localeCompare(b.name))) {
      if (declared.has(bus.name)) continue;
      for (const record of current.rules[bus.name] ?? []) {
        ruleDeletes.push({ action: 'delete', kind: 'rule', bus: bus.name, rule: String((record as { name?: unknown }).name), changes: [] });
      }
      if (bus.name !== PROTECTED_BUS) busDeletes.push({ action: 'delete', kind: 'bus', bus: bus.name, changes: [] });
    }
  }

  const connections = planConnections(file.connections, current.connections, options);
  const sources = planSources(file.sources, current.sources, options);
  const items = [
    ...connections.upserts,
    ...busItems,
    ...sources.upserts,
    ...ruleItems,
    ...ruleDeletes,
    ...sources.deletes,
    ...busDeletes,
    ...connections.deletes,
  ];
  return { items, summary: summarize(items) };
}

function fieldsAdded(settings: Record<string, unknown>): FieldChange[] {
  return Object.entries(settings).map(([path, to]) => ({ path, to }));
}

export function summarize(items: PlanItem[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: 0, unmanaged: 0 };
  for (const item of items) summary[item.action]++;
  return summary;
}

/** The items that change something, in the order apply makes them. */
export function changesOf(plan: Plan): PlanItem[] {
  return plan.items.filter((i) => i.action === 'create' || i.action === 'update' || i.action === 'delete');
}

/** An item's kind and name, as a confirmation names it: `bus orders`, `rule orders/big`, `source hourly`. */
export function itemKey(item: PlanItem): string {
  if (item.kind === 'source' || item.kind === 'connection') return `${item.kind} ${item.name ?? ''}`;
  return item.rule === undefined ? `${item.kind} ${item.bus}` : `${item.kind} ${item.bus}/${item.rule}`;
}
