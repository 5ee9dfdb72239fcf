/**
 * The `connections:` and `sources:` sections of herald.yaml (issue 6), checked like the rest: shape,
 * names, unknown fields, each at its position. What needs a connector (a source's `config`) the
 * server checks when the source is saved, and apply reports a refusal at its place in the file.
 * `${VAR}` is replaced in connection secrets and source configs (env.ts).
 */
import { SOURCE_STATES, type SourceSpec } from '../sources/types.js';
import { BUS_NAME, Checker, kindOf, type Obj } from './checker.js';
import { substitute } from './env.js';
import type { ConnectionDeclaration, Segment, SourceDeclaration } from './types.js';

const CONNECTION_KEYS = ['name', 'type', 'description', 'secrets'];
const SOURCE_KEYS = ['name', 'type', 'bus', 'config', 'state', 'description', 'extensions'];
/** As the server's connection store checks them (src/sources/connections.ts). */
const SECRET_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_SECRETS = 64;
/** As the server's source validation checks them (src/sources/validate.ts). */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;

type Env = Record<string, string | undefined>;

function list(check: Checker, value: unknown, section: string): unknown[] {
  if (Array.isArray(value)) return value;
  check.fail([section], value === null || value === undefined ? `must be a list (write \`${section}: []\` to declare none)` : `must be a list, got ${kindOf(value)}`);
  return [];
}

export function validateConnections(check: Checker, value: unknown, env: Env): ConnectionDeclaration[] {
  const items = list(check, value, 'connections');
  const out: ConnectionDeclaration[] = [];
  items.forEach((raw, i) => {
    const connection = validateConnection(check, raw, ['connections', i], env);
    if (connection) out.push(connection);
  });
  check.unique(items.map((c) => (c as Obj | null)?.name as string | undefined), (i) => ['connections', i, 'name'], 'connection');
  return out;
}

function validateConnection(check: Checker, raw: unknown, path: Segment[], env: Env): ConnectionDeclaration | undefined {
  const connection = check.object(raw, path, CONNECTION_KEYS);
  if (!connection) return undefined;
  const before = check.issues.length;
  const name = check.string(connection.name, [...path, 'name'], { required: true, pattern: BUS_NAME });
  const type = check.string(connection.type, [...path, 'type'], { max: 64 });
  const description = check.string(connection.description, [...path, 'description'], { max: 512 });
  const secrets = check.object(connection.secrets, [...path, 'secrets']);
  const values: Record<string, string> = {};
  if (secrets) {
    const entries = Object.entries(secrets);
    if (entries.length === 0 || entries.length > MAX_SECRETS) check.fail([...path, 'secrets'], `must hold 1 to ${MAX_SECRETS} fields`);
    for (const [key, value] of entries) {
      if (!SECRET_KEY.test(key)) check.fail([...path, 'secrets', key], 'a key must be 1 to 128 of A-Z a-z 0-9 _ . -');
      // A secret value is never quoted in a message: say what kind it is, not what it holds.
      else if (typeof value !== 'string') check.fail([...path, 'secrets', key], `must be a string, got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value} (quote it)`);
      else values[key] = value;
    }
    const replaced = substitute(values, [...path, 'secrets'], env);
    for (const issue of replaced.issues) check.fail(issue.path, issue.message);
    Object.assign(values, replaced.value);
  }
  if (check.issues.length > before || name === undefined) return undefined;
  return { name, ...(type !== undefined ? { type } : {}), ...(description !== undefined ? { description } : {}), secrets: values };
}

export function validateSources(check: Checker, value: unknown, env: Env): SourceDeclaration[] {
  const items = list(check, value, 'sources');
  const out: SourceDeclaration[] = [];
  items.forEach((raw, i) => {
    const source = validateSource(check, raw, ['sources', i], env);
    if (source) out.push(source);
  });
  check.unique(items.map((s) => (s as Obj | null)?.name as string | undefined), (i) => ['sources', i, 'name'], 'source');
  return out;
}

function validateSource(check: Checker, raw: unknown, path: Segment[], env: Env): SourceDeclaration | undefined {
  const source = check.object(raw, path, SOURCE_KEYS);
  if (!source) return undefined;
  const before = check.issues.length;
  const name = check.string(source.name, [...path, 'name'], { required: true, pattern: BUS_NAME });
  const type = check.string(source.type, [...path, 'type'], { required: true });
  const bus = check.string(source.bus, [...path, 'bus'], { required: true, pattern: BUS_NAME });
  const state = check.string(source.state, [...path, 'state'], { oneOf: SOURCE_STATES });
  const description = check.string(source.description, [...path, 'description'], { max: 512 });
  const config = source.config === undefined || source.config === null ? {} : check.object(source.config, [...path, 'config']);
  let extensions: Record<string, string> | undefined;
  if (source.extensions !== undefined && source.extensions !== null) {
    const raw = check.object(source.extensions, [...path, 'extensions']);
    extensions = {};
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (!EXTENSION_NAME.test(key)) check.fail([...path, 'extensions', key], 'an extension name is 1 to 20 of a-z 0-9 (CloudEvents spec, "Naming Conventions")');
      else if (typeof value !== 'string') check.fail([...path, 'extensions', key], `must be a string, got ${kindOf(value)} (quote it)`);
      else extensions[key] = value;
    }
  }
  const replaced = substitute(config ?? {}, [...path, 'config'], env);
  for (const issue of replaced.issues) check.fail(issue.path, issue.message);
  if (check.issues.length > before || name === undefined || type === undefined || bus === undefined) return undefined;
  const spec: SourceSpec = {
    type,
    bus,
    config: replaced.value,
    ...(state !== undefined ? { state: state as SourceSpec['state'] } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(extensions !== undefined ? { extensions } : {}),
  };
  return { name, spec, substituted: replaced.substituted.map((s) => ({ path: ['config', ...s.path], text: s.text })) };
}
