/**
 * `/v1/connections…`: named credentials for targets and sources. Answers hold the secret KEYS only —
 * a value, once stored, is never returned by any route (ARCHITECTURE.md: "never echoed back").
 */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { SourcesApiContext } from '../sources/types.js';
import { ConnectionSpecSchema, NAME_PARAM, NO_QUERY, params } from './schemas/index.js';

type NameParams = { name: string };

const nameParams = params(NAME_PARAM);

function notFound(name: string): HeraldError {
  return new HeraldError('HERALD_NOT_FOUND', `no connection "${name}"`, 'name');
}

export function connectionRoutes(app: FastifyInstance, ctx: Pick<SourcesApiContext, 'connections'>): void {
  app.get('/v1/connections', { schema: { summary: 'List connections (secret keys only, never values)', querystring: NO_QUERY } }, async () => ({ connections: await ctx.connections.list() }));

  app.get<{ Params: NameParams }>('/v1/connections/:name', { schema: { summary: 'Describe a connection (secret keys only, never values)', params: nameParams, querystring: NO_QUERY } }, async (request) => {
    const connection = await ctx.connections.get(request.params.name);
    if (!connection) throw notFound(request.params.name);
    return connection;
  });

  const putConnection = { schema: { summary: 'Create or replace a connection: named secrets for targets and sources', params: nameParams, querystring: NO_QUERY, body: ConnectionSpecSchema } };
  app.put<{ Params: NameParams; Body: unknown }>('/v1/connections/:name', putConnection, async (request, reply) => {
    const { connection, created } = await ctx.connections.put(request.params.name, request.body);
    return reply.status(created ? 201 : 200).send(connection);
  });

  app.delete<{ Params: NameParams }>('/v1/connections/:name', { schema: { summary: 'Delete a connection', params: nameParams, querystring: NO_QUERY } }, async (request, reply) => {
    if (!(await ctx.connections.delete(request.params.name))) throw notFound(request.params.name);
    return reply.status(204).send();
  });
}
