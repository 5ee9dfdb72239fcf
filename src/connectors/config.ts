/**
 * A small validator for connector configs: the JSON-Schema subset the connectors' `configSchema`
 * objects use (type, properties, required, additionalProperties, enum, minimum/maximum, minLength,
 * items, default). One schema serves validation, defaults and docs (STYLE.md habit 2): a failure is
 * a HeraldError HERALD_INVALID_REQUEST whose `field` is the dotted path, e.g. `config.subject`.
 */
import { HeraldError } from '../errors/index.js';
import type { JsonSchema } from './types.js';

type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

interface SchemaNode {
  type?: SchemaType | SchemaType[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: boolean | SchemaNode;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  items?: SchemaNode;
  default?: unknown;
  description?: string;
}

function typeOf(value: unknown): SchemaType | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object') return typeof value as SchemaType;
  return 'other';
}

function fail(path: string, message: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', `${path}: ${message}`, path);
}

function check(node: SchemaNode, value: unknown, path: string): unknown {
  if (node.type !== undefined) {
    const allowed = Array.isArray(node.type) ? node.type : [node.type];
    const actual = typeOf(value);
    // An integer is also a number (JSON Schema 2020-12 §6.1.1).
    const ok = allowed.includes(actual as SchemaType) || (actual === 'integer' && allowed.includes('number'));
    if (!ok) fail(path, `must be ${allowed.join(' or ')}, got ${actual}`);
  }
  if (node.enum !== undefined && !node.enum.some((v) => v === value)) {
    fail(path, `must be one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) fail(path, `must be >= ${node.minimum}`);
    if (node.maximum !== undefined && value > node.maximum) fail(path, `must be <= ${node.maximum}`);
  }
  if (typeof value === 'string' && node.minLength !== undefined && value.length < node.minLength) {
    fail(path, node.minLength === 1 ? 'must not be empty' : `must be at least ${node.minLength} characters`);
  }
  if (Array.isArray(value) && node.items) {
    return value.map((item, i) => check(node.items as SchemaNode, item, `${path}[${i}]`));
  }
  if (typeOf(value) === 'object' && (node.properties || node.additionalProperties !== undefined)) {
    return checkObject(node, value as Record<string, unknown>, path);
  }
  return value;
}

function checkObject(node: SchemaNode, value: Record<string, unknown>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = node.properties ?? {};
  for (const name of node.required ?? []) {
    if (value[name] === undefined) fail(`${path}.${name}`, 'is required');
  }
  for (const [name, child] of Object.entries(props)) {
    if (value[name] !== undefined) out[name] = check(child, value[name], `${path}.${name}`);
    else if (child.default !== undefined) out[name] = structuredClone(child.default);
  }
  for (const [name, v] of Object.entries(value)) {
    if (name in props) continue;
    if (node.additionalProperties === false) fail(`${path}.${name}`, 'is not a known field');
    out[name] = typeof node.additionalProperties === 'object' ? check(node.additionalProperties, v, `${path}.${name}`) : v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates `raw` against `schema`, fills defaults and returns a deep-frozen copy typed as `T`.
 * The caller's object is never modified.
 */
export function validateConfig<T>(schema: JsonSchema, raw: unknown, path = 'config'): T {
  if (typeOf(raw) !== 'object') fail(path, 'must be an object');
  return deepFreeze(check(schema as SchemaNode, raw, path)) as T;
}

/** Throws a HERALD_INVALID_REQUEST for `field`; for checks a schema cannot express. */
export function invalidConfig(field: string, message: string): never {
  fail(field, message);
}
