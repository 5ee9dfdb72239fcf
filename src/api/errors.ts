/**
 * One error shape everywhere: `{code, message, field?}` with the catalogue's status. Fastify's own
 * errors (body too large, bad JSON, schema validation) are translated into Herald codes.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorObject } from 'ajv';
import { HeraldError, isHeraldError } from '../errors/index.js';
import { validationError } from './validation.js';

export function toHeraldError(error: unknown): HeraldError {
  if (isHeraldError(error)) return error;
  const fastifyError = error as FastifyError & { validationContext?: string };
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HeraldError('HERALD_REQUEST_TOO_LARGE', 'the request body is larger than the request limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HeraldError('HERALD_UNSUPPORTED_MEDIA_TYPE', fastifyError.message, 'content-type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HeraldError('HERALD_MALFORMED_REQUEST', `the body is not valid JSON: ${fastifyError.message}`);
    case 'FST_ERR_VALIDATION':
      // Normally already a HeraldError (the schema error formatter makes one); this covers a scope
      // that installed its own formatter.
      return validationError((fastifyError.validation ?? []) as unknown as ErrorObject[], fastifyError.validationContext ?? 'body');
  }
  if (error instanceof SyntaxError) return new HeraldError('HERALD_MALFORMED_REQUEST', `the body is not valid JSON: ${error.message}`);
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return new HeraldError('HERALD_INVALID_REQUEST', fastifyError.message);
  }
  return new HeraldError('HERALD_INTERNAL', 'an internal error occurred; the server log has the details');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const herald = toHeraldError(error);
    if (herald.status >= 500 && herald.code !== 'HERALD_STORE_FULL') request.log.error({ err: error }, 'request failed');
    void reply.status(herald.status).send(herald.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(new HeraldError('HERALD_NOT_FOUND', `no route ${request.method} ${request.url}`).toJSON());
  });
}
