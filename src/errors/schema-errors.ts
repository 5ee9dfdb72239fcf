/**
 * JSON Schema (Ajv) errors in Herald's words: one field path and one message that says why. Used by
 * the HTTP API's validation (src/api/validation.ts) and by connector config validation
 * (src/connectors/config.ts), so both name fields the same way: a dotted path with `[i]` for array
 * items (`targets[0].config.url`), as src/rules and src/sources do.
 */
import type { ErrorObject } from 'ajv';
import { HeraldError } from './herald-error.js';

export interface SchemaErrorOptions {
  /** Path of the validated value itself (`config`, or '' for a request body's members). */
  root: string;
  /** Used when the whole value is at fault and `root` is ''. @defaultValue 'body' */
  whole?: string;
  /** Words for a member that the schema does not know. @defaultValue 'is not a known field' */
  unknownMember?: string;
  /** Quote the offending value in the message (never for bodies that may carry secrets). */
  quoteValue?: boolean;
}

/** `/targets/0/config/url` → `targets[0].config.url` (RFC 6901 escapes undone). */
export function pointerToPath(pointer: string, root: string): string {
  let path = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path = /^(0|[1-9][0-9]*)$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`;
  }
  return path;
}

function join(path: string, member: string): string {
  return path === '' ? member : `${path}.${member}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = {
  uri: 'an absolute URI (scheme://…)',
  'uri-reference': 'a URI reference',
  'date-time': 'an RFC 3339 date-time (2024-05-01T12:00:00Z)',
  date: 'an RFC 3339 date (2024-05-01)',
  email: 'an email address',
  hostname: 'a host name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  uuid: 'a UUID',
  regex: 'a regular expression',
};

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The field at fault and why, for the first error Ajv reports (Ajv runs with allErrors off). */
export function describeSchemaError(error: ErrorObject, options: SchemaErrorOptions): { field: string; message: string } {
  const at = pointerToPath(error.instancePath, options.root);
  const params = error.params as Record<string, unknown>;
  // An error inside `propertyNames` is about the member's name, not its value.
  const named = (error as ErrorObject & { propertyName?: string }).propertyName;
  const here = named === undefined ? at : join(at, named);
  const got = options.quoteValue ? `, got ${quote(error.data)}` : error.keyword === 'type' ? `, got ${typeName(error.data)}` : '';
  const whole = (path: string) => (path === '' ? (options.whole ?? 'body') : path);
  switch (error.keyword) {
    case 'required':
      return { field: join(at, String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const list = known.length > 0 ? `; known: ${known.join(', ')}` : '; none is accepted here';
      return { field: join(at, String(params.additionalProperty)), message: `${options.unknownMember ?? 'is not a known field'}${list}` };
    }
    case 'type': {
      const types = String(params.type).split(',').map((t) => TYPE_WORDS[t] ?? t);
      return { field: whole(here), message: `must be ${types.join(' or ')}${got}` };
    }
    case 'enum':
      return { field: whole(here), message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}${got}` };
    case 'const':
      return { field: whole(here), message: `must be ${JSON.stringify(params.allowedValue)}${got}` };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', exclusiveMinimum: 'more than', maximum: 'at most', exclusiveMaximum: 'less than' }[error.keyword];
      return { field: whole(here), message: `must be ${words} ${String(params.limit)}${got}` };
    }
    case 'minLength':
      return { field: whole(here), message: params.limit === 1 ? `must not be empty` : `must be at least ${String(params.limit)} characters long` };
    case 'maxLength':
      return { field: whole(here), message: `must be at most ${String(params.limit)} characters long` };
    case 'minItems':
      return { field: whole(here), message: `must hold at least ${String(params.limit)} item(s)` };
    case 'maxItems':
      return { field: whole(here), message: `must hold at most ${String(params.limit)} item(s)` };
    case 'minProperties':
      return { field: whole(here), message: `must hold at least ${String(params.limit)} member(s)` };
    case 'maxProperties':
      return { field: whole(here), message: `must hold at most ${String(params.limit)} member(s)` };
    case 'pattern':
      return { field: whole(here), message: `must match ${String(params.pattern)}${got}` };
    case 'format':
      return { field: whole(here), message: `must be ${FORMAT_WORDS[String(params.format)] ?? `in the format ${String(params.format)}`}${got}` };
    case 'oneOf':
      return { field: whole(here), message: 'must match exactly one of the allowed shapes (see the OpenAPI document)' };
    default:
      return { field: whole(here), message: error.message ?? `fails the "${error.keyword}" rule` };
  }
}

/** A HERALD_INVALID_REQUEST for the first schema error, `field: why` as every Herald message reads. */
export function schemaError(errors: readonly ErrorObject[], options: SchemaErrorOptions): HeraldError {
  // With allErrors off Ajv stops at the first failure; inside `propertyNames` the specific error
  // comes first and a generic one follows, so the first is always the most precise.
  const first = errors[0];
  if (!first) return new HeraldError('HERALD_INVALID_REQUEST', `${options.root || (options.whole ?? 'body')}: is invalid`, options.root || (options.whole ?? 'body'));
  const { field, message } = describeSchemaError(first, options);
  return new HeraldError('HERALD_INVALID_REQUEST', `${field}: ${message}`, field);
}
