/**
 * Validation of a whole desired state with the validators the individual routes use (issue 10,
 * item 6): rules through the rules service (filters, targets, transforms, connector configs), sources
 * through src/sources (connector configs, the bus), connections through src/sources/connections.ts.
 * Every fault is collected, each naming its place in the state (`buses[1].rules[0].targets[0].type`),
 * so that one refusal reports them all and nothing is written.
 */
import { HeraldError, type ErrorCode } from '../errors/index.js';
import type { RuleSpec, RulesService } from '../rules/index.js';
import { validateConnection } from '../sources/connections.js';
import type { SourceRecord } from '../sources/types.js';
import { validateSource } from '../sources/validate.js';
import { checkName, DEFAULT_BUS } from '../store/index.js';
import type { ConnectionRow } from '../store/index.js';
import type { BusDeclaration, ConnectionDeclaration, Declarations, DesiredState, SourceDeclaration } from './types.js';

/** One fault of a desired state, in Herald's error shape; `field` is its path in the state. */
export interface StateIssue {
  code: ErrorCode;
  message: string;
  field: string;
}

/** What the validators need from the store, read before validating. */
export interface ValidationContext {
  rules: Pick<RulesService, 'validate'>;
  buses: Array<{ name: string }>;
  /** Stored sources by name (their `createdAt` is kept). */
  sources: Map<string, SourceRecord>;
  prune: boolean;
  now: Date;
}

/** The validated state: declarations to plan with, and the documents to write. */
export interface ValidatedState {
  declarations: Declarations;
  /** Validated rule specs by `bus/rule`. */
  rules: Map<string, RuleSpec>;
  sources: Map<string, SourceRecord>;
  connections: Map<string, ConnectionRow>;
}

type Obj = Record<string, unknown>;

export async function validateState(state: DesiredState, ctx: ValidationContext): Promise<ValidatedState & { issues: StateIssue[] }> {
  const issues: StateIssue[] = [];
  /** Runs a route's validator; a HeraldError becomes an issue at `at` + its field. */
  const check = async <T>(at: string, work: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      issues.push(issueAt(at, error));
      return undefined;
    }
  };
  const out: ValidatedState = { declarations: { buses: [] }, rules: new Map(), sources: new Map(), connections: new Map() };

  const buses = state.buses ?? [];
  const declared = new Set(buses.map((b) => b.name));
  // The buses there will be once applied: sources and replyBus may name any of them.
  const finalBuses = new Set([...declared, ...ctx.buses.map((b) => b.name).filter((name) => !ctx.prune || declared.has(name) || name === DEFAULT_BUS)]);

  unique(issues, buses.map((b) => b.name), (i) => `buses[${i}].name`, 'bus');
  for (const [i, bus] of buses.entries()) {
    const at = `buses[${i}]`;
    await check(at, () => checkName(bus.name));
    const rules = bus.rules ?? [];
    unique(issues, rules.map((r) => (r as Obj | null)?.name), (j) => `${at}.rules[${j}].name`, 'rule');
    const declaration: BusDeclaration = { name: bus.name, rules: [] };
    for (const key of ['description', 'retentionMs', 'dedupeWindowMs'] as const) if (bus[key] !== undefined) Object.assign(declaration, { [key]: bus[key] });
    for (const [j, raw] of rules.entries()) {
      const ruleAt = `${at}.rules[${j}]`;
      const spec = await check(ruleAt, () => ctx.rules.validate(structuredClone(raw)));
      if (spec === undefined) continue;
      if (spec.replyBus !== undefined && !finalBuses.has(spec.replyBus)) {
        issues.push({ code: 'HERALD_BUS_NOT_FOUND', message: `${ruleAt}.replyBus: bus "${spec.replyBus}" does not exist`, field: `${ruleAt}.replyBus` });
        continue;
      }
      out.rules.set(`${bus.name}/${spec.name}`, spec);
      // The plan compares what was declared (connector defaults filled in by validation are not the file's).
      declaration.rules.push(raw as RuleSpec);
    }
    out.declarations.buses.push(declaration);
  }

  if (state.connections !== undefined) {
    const connections: ConnectionDeclaration[] = [];
    unique(issues, state.connections.map((c) => (c as Obj | null)?.name), (i) => `connections[${i}].name`, 'connection');
    for (const [i, raw] of state.connections.entries()) {
      const { name, body } = named(raw);
      const row = await check(`connections[${i}]`, () => validateConnection(name, body, ctx.now));
      if (row === undefined) continue;
      out.connections.set(name, row);
      connections.push({ name, ...(row.type !== undefined ? { type: row.type } : {}), ...(row.description ? { description: row.description } : {}), secrets: row.secrets });
    }
    out.declarations.connections = connections;
  }

  if (state.sources !== undefined) {
    const sources: SourceDeclaration[] = [];
    unique(issues, state.sources.map((s) => (s as Obj | null)?.name), (i) => `sources[${i}].name`, 'source');
    for (const [i, raw] of state.sources.entries()) {
      const { name, body } = named(raw);
      const deps = { busExists: async (bus: string) => finalBuses.has(bus), now: () => ctx.now };
      const record = await check(`sources[${i}]`, () => validateSource(name, body, deps, ctx.sources.get(name)));
      if (record === undefined) continue;
      out.sources.set(name, record);
      sources.push({ name, spec: body as unknown as SourceDeclaration['spec'], substituted: [] });
    }
    out.declarations.sources = sources;
  }
  return { ...out, issues };
}

/** `{name, ...body}` → the name (validated by the route's validator as the path parameter) and the body. */
function named(raw: unknown): { name: string; body: unknown } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { name: '', body: raw };
  const { name, ...body } = raw as Obj;
  return { name: typeof name === 'string' ? name : '', body };
}

function unique(issues: StateIssue[], names: unknown[], field: (i: number) => string, what: string): void {
  const seen = new Set<unknown>();
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    if (seen.has(name)) issues.push({ code: 'HERALD_INVALID_REQUEST', message: `${field(i)}: ${what} "${name}" is declared twice`, field: field(i) });
    seen.add(name);
  });
}

/**
 * A validator's error placed under the entity: its field (`targets[0].type`, `config.url`; `body`
 * or none for the entity itself) and the message that starts with it are prefixed with `at`.
 */
function issueAt(at: string, error: HeraldError): StateIssue {
  const own = error.field === undefined || error.field === '' || error.field === 'body' || error.field === 'rule' ? '' : error.field;
  const field = own === '' ? at : `${at}.${own}`;
  const message = own !== '' && error.message.startsWith(`${own}: `) ? `${field}: ${error.message.slice(own.length + 2)}` : `${field}: ${error.message}`;
  return { code: error.code, message, field };
}
