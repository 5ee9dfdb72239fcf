/**
 * Connector configs are validated with Ajv (JSON Schema 2020-12, with ajv-formats) against the
 * connector's declared `configSchema` — the one schema that also documents it (STYLE.md habit 2).
 * Every keyword counts, `format` and `pattern` included (issue 10, item 5: the hand-written subset
 * this replaces ignored both). Each schema is compiled once, on first use, and cached by identity.
 *
 * A failure is a HeraldError HERALD_INVALID_REQUEST whose `field` is the config path, e.g.
 * `config.subject` or `config.tags[1]`; rules and sources place it under the target or source
 * (`targets[0].config.url`).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { HeraldError } from '../errors/index.js';
import { schemaError } from '../errors/schema-errors.js';
import type { JsonSchema } from './types.js';

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    // Defaults in the schema fill the config, so a connector reads one complete, typed value.
    useDefaults: true,
    // The first fault, with the data and schema beside it for a precise message.
    allErrors: false,
    verbose: true,
    coerceTypes: false,
    // Connector schemas use `enum` without `type` (e.g. `method: { enum: [...] }`): allowed.
    strictTypes: false,
  });
  addFormats.default(ajv);
  return ajv;
}

const ajv = createAjv();
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates `raw` against `schema`, fills defaults and returns a deep-frozen copy typed as `T`.
 * The caller's object is never modified.
 */
export function validateConfig<T>(schema: JsonSchema, raw: unknown, path = 'config'): T {
  if (!isObject(raw)) throw new HeraldError('HERALD_INVALID_REQUEST', `${path}: must be an object`, path);
  // Ajv fills defaults in place: validate a copy.
  const config = structuredClone(raw);
  const validate = validatorFor(schema);
  if (!validate(config)) throw schemaError(validate.errors ?? [], { root: path, unknownMember: 'is not a known field of this connector' });
  return deepFreeze(config) as T;
}

/** Throws a HERALD_INVALID_REQUEST for `field`; for checks a schema cannot express. */
export function invalidConfig(field: string, message: string): never {
  throw new HeraldError('HERALD_INVALID_REQUEST', `${field}: ${message}`, field);
}
