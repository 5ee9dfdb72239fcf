/**
 * Building blocks of the route schemas: path parameters, query strings, the error shape, and a way
 * to describe a body in the OpenAPI document that fastify must not validate.
 *
 * Schemas are written in the subset that is both draft-07 (fastify's Ajv, src/api/validation.ts)
 * and JSON Schema 2020-12 (OpenAPI 3.1): no `$schema`, no `$ref`s, nullable fields as type arrays.
 * Path and query parameters are coerced to their type (a URL carries only strings); bodies are not.
 *
 * Only requests are validated here. No route declares a *response* schema: fastify would serialise
 * with it and drop every property it does not list. Responses are in the OpenAPI document only
 * (responses.ts, added by src/api/openapi.ts).
 */

/** `{code, message, field?}`: every error Herald answers with (ARCHITECTURE.md). */
export const ErrorSchema = {
  type: 'object',
  description: 'Herald error: a stable code from docs/errors.md, a message, and the input field at fault.',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', pattern: '^HERALD_[A-Z_]+$' },
    message: { type: 'string' },
    field: { type: 'string', description: 'The parameter, header or body member at fault (`limit`, `targets[0].config.url`).' },
  },
  additionalProperties: true,
} as const;

/**
 * A name in a path. Its syntax is left to the handler, which answers with the precise code
 * (HERALD_INVALID_NAME, HERALD_BUS_NOT_FOUND…) rather than a generic validation error.
 */
const pathName = (description: string) => ({ type: 'string', description }) as const;

export const BUS_PARAM = { bus: pathName('The bus name (`[A-Za-z0-9._-]{1,256}`).') } as const;
export const RULE_PARAM = { rule: pathName('The rule name (`[A-Za-z0-9._-]{1,64}`).') } as const;
export const TARGET_PARAM = { target: pathName('The target id within the rule (`[A-Za-z0-9._-]{1,64}`).') } as const;
export const NAME_PARAM = { name: pathName('The name (`[A-Za-z0-9._-]{1,256}`).') } as const;

/** Path parameters: every one required, no others. */
export function params<P extends Record<string, object>>(properties: P) {
  return { type: 'object', required: Object.keys(properties), additionalProperties: false, properties } as const;
}

/**
 * Query parameters: only the listed ones; an unknown one is a 400 naming it (issue 10: `?type=x`
 * was silently ignored and every event came back).
 */
export function query<Q extends Record<string, object>>(properties: Q) {
  return { type: 'object', additionalProperties: false, properties } as const;
}

/** A route that takes no query parameter at all. */
export const NO_QUERY = query({});

/** Pagination of admin lists by name (src/api/paging.ts). */
export const PAGE_QUERY = query({
  limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Most items on this page. Default 1000.' },
  after: { type: 'string', description: 'The `next` of the previous page: items sorted after this name.' },
});

/** A name as the store checks it (`checkName`); written here for the document. */
export const NAME_SYNTAX = 'Names are 1 to 256 of `A-Z a-z 0-9 . _ -`.';

/**
 * The key under which a route keeps the parts of its schema that are for the OpenAPI document only:
 * src/api/openapi.ts moves them into place, fastify never sees them. For bodies a route parses and
 * checks itself (CloudEvents ingest, webhooks, the EventBridge API).
 */
export const DOCUMENT_ONLY = 'x-herald-document-only';

export interface DocumentOnly {
  body?: unknown;
  headers?: unknown;
  querystring?: unknown;
}

export function documentOnly(parts: DocumentOnly): Record<string, unknown> {
  return { [DOCUMENT_ONLY]: parts };
}
