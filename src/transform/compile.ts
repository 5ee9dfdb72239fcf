/**
 * Validates a transform when a rule is saved and compiles it once; the compiled form is applied per
 * delivery without re-parsing anything. Validation and compilation are one code path, so what is
 * accepted on save is exactly what runs (fail closed: a transform that would fail at delivery time
 * is rejected here with HERALD_INVALID_REQUEST and the offending `field`).
 */
import { HeraldError } from '../errors/index.js';
import { assertNotTooDeep } from '../patterns/depth.js';
import { evaluatePath } from './jsonpath.js';
import { compilePath, compileTemplate, renderTemplate } from './template.js';
import {
  TRANSFORM_KINDS,
  TRANSFORM_LIMITS,
  type CompiledTransform,
  type TransformKind,
  type TransformSpec,
} from './types.js';

const ALLOWED_FIELDS: Record<TransformKind, readonly string[]> = {
  event: ['kind'],
  path: ['kind', 'path'],
  constant: ['kind', 'value'],
  template: ['kind', 'inputPathsMap', 'inputTemplate'],
};

/** The deepest event a transform renders: far above any ingest limit, far below a stack overflow. */
export const MAX_TRANSFORM_EVENT_DEPTH = 1000;

const EVENT_SPEC: TransformSpec = Object.freeze({ kind: 'event' });

/**
 * Compiles a transform. `input` is untrusted (a request body); `field` prefixes error fields, e.g.
 * `targets[0].transform` so that errors read `targets[0].transform.inputPathsMap.price`.
 * `undefined` means the default: the whole event.
 */
export function compileTransform(input: unknown, field = 'transform'): CompiledTransform {
  if (input === undefined) return compileEvent();
  // jsonProblem and deepFreeze recurse through a constant's value (issue 11, item 5).
  assertNotTooDeep(input, field, 'the transform');
  const compiled = compileChecked(input, field);
  return {
    spec: compiled.spec,
    // Rendering serializes parts of the event (JSON.stringify recurses): an event deep enough to
    // overflow the stack is refused with HERALD_TOO_DEEP instead. Ingest refuses deep events already
    // (its own, lower limit); this guards events given directly, as to `POST /v1/transforms/test`.
    apply: (document, ctx) => {
      assertNotTooDeep(document, 'event', 'the event', MAX_TRANSFORM_EVENT_DEPTH);
      return compiled.apply(document, ctx);
    },
  };
}

function compileChecked(input: unknown, field: string): CompiledTransform {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail('a transform must be an object with a `kind`', field);
  }
  const record = input as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !(TRANSFORM_KINDS as readonly string[]).includes(kind)) {
    fail(`kind must be one of ${TRANSFORM_KINDS.join(', ')}`, `${field}.kind`);
  }
  const allowed = ALLOWED_FIELDS[kind as TransformKind];
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(`a ${kind} transform has no field ${JSON.stringify(key)}`, `${field}.${key}`);
  }
  switch (kind as TransformKind) {
    case 'event':
      return compileEvent();
    case 'path':
      return compilePathTransform(record.path, field);
    case 'constant':
      return compileConstant(record, field);
    case 'template':
      return compileTemplateTransform(record, field);
  }
}

/** Validates without keeping the compiled form; returns the normalised spec to store. */
export function validateTransform(input: unknown, field = 'transform'): TransformSpec {
  return compileTransform(input, field).spec;
}

function compileEvent(): CompiledTransform {
  return { spec: EVENT_SPEC, apply: (document) => ({ body: document, contentType: 'application/json' }) };
}

function compilePathTransform(path: unknown, field: string): CompiledTransform {
  if (typeof path !== 'string') fail('path must be a JSONPath string such as $.detail', `${field}.path`);
  const compiled = compilePath(path, `${field}.path`);
  return {
    spec: Object.freeze({ kind: 'path', path }),
    apply: (document) => {
      const result = evaluatePath(compiled, document);
      // A path that matches nothing still yields a delivery (never silence): the JSON `null`.
      return { body: result.found ? result.value : null, contentType: 'application/json' };
    },
  };
}

function compileConstant(record: Record<string, unknown>, field: string): CompiledTransform {
  if (!('value' in record)) fail('a constant transform needs a value (any JSON value)', `${field}.value`);
  const problem = jsonProblem(record.value, new Set());
  if (problem !== undefined) fail(`value must be a JSON value: ${problem}`, `${field}.value`);
  const text = JSON.stringify(record.value);
  if (text.length > TRANSFORM_LIMITS.maxConstantLength) {
    fail(
      `value is ${text.length} characters as JSON; at most ${TRANSFORM_LIMITS.maxConstantLength} are allowed`,
      `${field}.value`,
    );
  }
  // A private deep copy: later mutation of the request object cannot change what targets receive.
  const value = deepFreeze(JSON.parse(text) as unknown);
  return {
    spec: Object.freeze({ kind: 'constant', value }),
    apply: () => ({ body: value, contentType: 'application/json' }),
  };
}

function compileTemplateTransform(record: Record<string, unknown>, field: string): CompiledTransform {
  const compiled = compileTemplate(record.inputPathsMap, record.inputTemplate, field);
  const spec: TransformSpec = {
    kind: 'template',
    inputTemplate: record.inputTemplate as string,
    ...(record.inputPathsMap === undefined || record.inputPathsMap === null
      ? {}
      : { inputPathsMap: { ...(record.inputPathsMap as Record<string, string>) } }),
  };
  return {
    spec: deepFreeze(spec),
    apply: (document, ctx) => renderTemplate(compiled, document, ctx),
  };
}

/** Why a value is not JSON (undefined, functions, non-finite numbers, cycles), or undefined if it is. */
function jsonProblem(value: unknown, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${value} is not a JSON number`;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return 'it contains a cycle';
      seen.add(value);
      const proto: unknown = Object.getPrototypeOf(value);
      if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return 'only plain objects and arrays';
      const children = Array.isArray(value) ? value : Object.values(value);
      for (const child of children) {
        const problem = jsonProblem(child, seen);
        if (problem !== undefined) return problem;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return `a ${typeof value} is not JSON`;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function fail(message: string, field: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', message, field);
}
