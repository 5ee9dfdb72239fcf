/**
 * Applying a desired state atomically (issue 10, item 6: "apply first and print the plan after",
 * "--dry-run passed a plan that the real apply then half-applied"). One call validates the WHOLE
 * state with the routes' own validators, computes the plan against the store, and writes every
 * change in ONE store transaction — or refuses all of it, naming each fault's place in the state.
 * After the commit, the in-memory state follows exactly as after the individual routes: matchers and
 * delivery runners (RulesService.saved), running sources (SourcesRuntime.refresh) and the sources
 * that use a changed connection (ConnectionStore.changed).
 */
import { HeraldError } from '../errors/index.js';
import type { RuleRecord, RulesService } from '../rules/index.js';
import type { ConnectionStore, SourceRecord, SourcesRuntime } from '../sources/types.js';
import type { StateChange, Store } from '../store/index.js';
import { changesOf, computePlan, itemKey } from './plan.js';
import type { ApplyRequest, ApplyResponse, CurrentState, PlanItem } from './types.js';
import { validateState, type StateIssue, type ValidatedState } from './validate.js';

export interface StateDeps {
  store: Store;
  rules: RulesService;
  /** Absent on a server without sources: a state with `sources:` or `connections:` is then refused. */
  sources?: SourcesRuntime;
  connections?: ConnectionStore;
  now?: () => Date;
}

export class StateService {
  /** Applies run one at a time: each plans against the store as the previous one left it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: StateDeps) {}

  apply(request: ApplyRequest): Promise<ApplyResponse> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(request: ApplyRequest): Promise<ApplyResponse> {
    const { state } = request;
    const prune = request.prune === true;
    for (const section of ['sources', 'connections'] as const) {
      if (state[section] !== undefined && (!this.deps.sources || !this.deps.connections)) {
        throw new HeraldError('HERALD_INVALID_REQUEST', `state.${section}: this server runs without sources and connections`, `state.${section}`);
      }
    }
    const current = await this.current(request);
    const validated = await validateState(state, {
      rules: this.deps.rules,
      buses: current.buses,
      sources: new Map(((current.sources ?? []) as SourceRecord[]).map((s) => [s.name, s])),
      prune,
      now: this.deps.now?.() ?? new Date(),
    });
    if (validated.issues.length > 0) throw refusal(validated.issues);
    const plan = computePlan(validated.declarations, current, { prune, updateConnections: request.updateConnections === true });
    const changes = changesOf(plan);
    if (request.confirmDeletes !== undefined) {
      // The caller showed a plan and had its deletes confirmed: delete nothing more than that.
      const confirmed = new Set(request.confirmDeletes);
      const unconfirmed = changes.filter((item) => item.action === 'delete' && !confirmed.has(itemKey(item))).map(itemKey);
      if (unconfirmed.length > 0) {
        throw new HeraldError('HERALD_INVALID_REQUEST', `confirmDeletes: the plan now also deletes ${unconfirmed.join(', ')}, which was not confirmed; nothing was changed`, 'confirmDeletes');
      }
    }
    if (request.dryRun === true || changes.length === 0) return { plan, applied: false };
    const written = await this.write(changes, validated, current);
    await this.refresh(changes, written);
    return { plan, applied: true };
  }

  /** The store as the plan compares with it: every bus with its rules; sources and connections when declared. */
  private async current(request: ApplyRequest): Promise<CurrentState> {
    const { store } = this.deps;
    const buses = await store.buses.list();
    const rules: CurrentState['rules'] = {};
    for (const bus of buses) rules[bus.name] = await this.deps.rules.list(bus.name);
    const current: CurrentState = { buses, rules };
    if (request.state.sources !== undefined && this.deps.sources) current.sources = await this.deps.sources.list();
    if (request.state.connections !== undefined && this.deps.connections) current.connections = await this.deps.connections.list();
    return current;
  }

  /**
   * Every change in one `Store.applyState` (all or nothing, src/store/types.ts); returns the rules as
   * they were and are, for the refresh.
   */
  private async write(changes: PlanItem[], validated: ValidatedState, current: CurrentState): Promise<Array<{ bus: string; before?: RuleRecord; after?: RuleRecord }>> {
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    const rules: Array<{ bus: string; before?: RuleRecord; after?: RuleRecord }> = [];
    const writes: StateChange[] = [];
    for (const item of changes) {
      const name = item.name ?? '';
      if (item.kind === 'connection') {
        writes.push(item.action === 'delete' ? { kind: 'connection', action: 'delete', name } : { kind: 'connection', action: 'put', row: validated.connections.get(name)! });
      } else if (item.kind === 'source') {
        writes.push(item.action === 'delete' ? { kind: 'source', action: 'delete', name } : { kind: 'source', action: 'put', name, doc: validated.sources.get(name)! });
      } else if (item.kind === 'bus') {
        const declared = validated.declarations.buses.find((b) => b.name === item.bus);
        const settings = { description: declared?.description, retentionMs: declared?.retentionMs, dedupeWindowMs: declared?.dedupeWindowMs };
        if (item.action === 'create' || item.action === 'update') writes.push({ kind: 'bus', action: item.action, bus: item.bus, settings });
        else writes.push({ kind: 'bus', action: 'delete', bus: item.bus });
      } else {
        const ruleName = item.rule ?? '';
        const before = (current.rules[item.bus] as RuleRecord[] | undefined)?.find((r) => r.name === ruleName);
        if (item.action === 'delete') {
          writes.push({ kind: 'rule', action: 'delete', bus: item.bus, name: ruleName });
          rules.push({ bus: item.bus, ...(before ? { before } : {}) });
        } else {
          const after = this.deps.rules.record(item.bus, validated.rules.get(`${item.bus}/${ruleName}`)!, before, now);
          writes.push({ kind: 'rule', action: 'put', bus: item.bus, name: ruleName, doc: after });
          rules.push({ bus: item.bus, ...(before ? { before } : {}), after });
        }
      }
    }
    await this.deps.store.applyState(writes);
    return rules;
  }

  /** After the commit: what the individual routes do after their writes, in the plan's order. */
  private async refresh(changes: PlanItem[], rules: Array<{ bus: string; before?: RuleRecord; after?: RuleRecord }>): Promise<void> {
    for (const item of changes) if (item.kind === 'connection') this.deps.connections?.changed(item.name ?? '');
    for (const { bus, before, after } of rules) await this.deps.rules.saved(bus, before, after);
    for (const item of changes) if (item.kind === 'source') await this.deps.sources?.refresh(item.name ?? '');
  }
}

/**
 * The refusal: the first fault as the error (its code, status and field), and every fault in
 * `errors`, so that a client can report them all at once.
 */
function refusal(issues: StateIssue[]): HeraldError {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: see errors)` : '';
  return new HeraldError(first.code, `${first.message}${more}`, first.field, { errors: issues });
}
