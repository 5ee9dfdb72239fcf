/**
 * Request validation for every route (issue 10, item 5): fastify validates params, query and body
 * against the route's JSON Schemas (src/api/schemas/), and every failure answers in Herald's shape
 * `{"code":"HERALD_INVALID_REQUEST","message":"<field>: <why>","field":"<field>"}`.
 *
 * Two Ajv instances, as fastify's "Validator Compiler" docs show: a URL only carries strings, so
 * path and query parameters are coerced to their schema type (`?limit=10` is the integer 10), while
 * bodies are JSON and are never coerced (`"retentionMs": "1000"` stays a string and is refused).
 */
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import { HeraldError } from '../errors/index.js';
import { schemaError } from '../errors/schema-errors.js';

/** Where the data sits in the request, as fastify names it (`validationContext`). */
export type HttpPart = 'body' | 'querystring' | 'params' | 'headers' | string;

function createAjv(options: Options): Ajv {
  // Fastify's own defaults (useDefaults, no removeAdditional), the first error only, and `verbose`
  // so an error carries its schema (the known members of an object) for the message.
  const ajv = new Ajv({ useDefaults: true, removeAdditional: false, allErrors: false, verbose: true, strictTypes: false, ...options });
  addFormats.default(ajv);
  return ajv;
}

export function installValidation(app: FastifyInstance): void {
  const url = createAjv({ coerceTypes: true });
  const body = createAjv({ coerceTypes: false });
  const compiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
    (httpPart === 'body' ? body : url).compile(schema as object);
  app.setValidatorCompiler(compiler);
  app.setSchemaErrorFormatter((errors, dataVar) => validationError(errors as ErrorObject[], dataVar));
}

/**
 * The one formatter of validation errors. `field` is the query or path parameter's name, the header
 * name, or the body member's dotted path (`targets[0].id`; `body` for the body as a whole).
 */
export function validationError(errors: readonly ErrorObject[], part: HttpPart): HeraldError {
  switch (part) {
    case 'querystring':
      return schemaError(errors, { root: '', whole: 'query', unknownMember: 'is not a query parameter of this route', quoteValue: true });
    case 'params':
      return schemaError(errors, { root: '', whole: 'path', quoteValue: true });
    case 'headers':
      return schemaError(errors, { root: '', whole: 'headers', unknownMember: 'is not an accepted header', quoteValue: true });
    default: {
      // No body at all reaches Ajv as null (fastify): say what is expected rather than "got null".
      const [first] = errors;
      if (first && first.instancePath === '' && first.keyword === 'type' && first.data === null) {
        return new HeraldError('HERALD_INVALID_REQUEST', 'body: required: a JSON object (content-type: application/json)', 'body');
      }
      // Bodies may carry secrets (connections, target configs): their values are never quoted.
      return schemaError(errors, { root: '', whole: 'body' });
    }
  }
}
