/**
 * `/v1/connections…`: named credentials for targets and sources. Answers hold the secret KEYS only —
 * a value, once stored, is never returned by any route (ARCHITECTURE.md: "never echoed back").
 */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { SourcesApiContext } from '../sources/types.js';

type NameParams = { name: string };

function notFound(name: string): HeraldError {
  return new HeraldError('HERALD_NOT_FOUND', `no connection "${name}"`, 'name');
}

export function connectionRoutes(app: FastifyInstance, ctx: Pick<SourcesApiContext, 'connections'>): void {
  app.get('/v1/connections', async () => ({ connections: await ctx.connections.list() }));

  app.get<{ Params: NameParams }>('/v1/connections/:name', async (request) => {
    const connection = await ctx.connections.get(request.params.name);
    if (!connection) throw notFound(request.params.name);
    return connection;
  });

  app.put<{ Params: NameParams; Body: unknown }>('/v1/connections/:name', async (request, reply) => {
    const { connection, created } = await ctx.connections.put(request.params.name, request.body);
    return reply.status(created ? 201 : 200).send(connection);
  });

  app.delete<{ Params: NameParams }>('/v1/connections/:name', async (request, reply) => {
    if (!(await ctx.connections.delete(request.params.name))) throw notFound(request.params.name);
    return reply.status(204).send();
  });
}
