/**
 * `/v1/sources…`: sources that read other systems onto a bus (issue 6). Validation lives in
 * src/sources (fails closed, field paths under `config.`); every answer carries the live `status`.
 */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { SourcesApiContext } from '../sources/types.js';
import { NAME_PARAM, NO_QUERY, params, SourcePatchSchema, SourceSpecSchema } from './schemas/index.js';

type NameParams = { name: string };

const nameParams = params(NAME_PARAM);

function notFound(name: string): HeraldError {
  return new HeraldError('HERALD_NOT_FOUND', `no source "${name}"`, 'name');
}

export function sourceRoutes(app: FastifyInstance, ctx: SourcesApiContext): void {
  app.get('/v1/sources', { schema: { summary: 'List sources, each with its live status', querystring: NO_QUERY } }, async () => ({ sources: await ctx.sources.list() }));

  app.get<{ Params: NameParams }>('/v1/sources/:name', { schema: { summary: 'Describe a source and its status', params: nameParams, querystring: NO_QUERY } }, async (request) => {
    const source = await ctx.sources.get(request.params.name);
    if (!source) throw notFound(request.params.name);
    return source;
  });

  const putSource = { schema: { summary: 'Create or replace a source (it starts at once when enabled)', params: nameParams, querystring: NO_QUERY, body: SourceSpecSchema } };
  app.put<{ Params: NameParams; Body: unknown }>('/v1/sources/:name', putSource, async (request, reply) => {
    const { source, created } = await ctx.sources.put(request.params.name, request.body);
    return reply.status(created ? 201 : 200).send(source);
  });

  // Enable, disable or describe without resending the config.
  app.patch<{ Params: NameParams; Body: { state?: 'enabled' | 'disabled'; description?: string } }>(
    '/v1/sources/:name',
    { schema: { summary: 'Enable, disable or describe a source without resending its config', params: nameParams, querystring: NO_QUERY, body: SourcePatchSchema } },
    async (request) => {
      const current = await ctx.sources.get(request.params.name);
      if (!current) throw notFound(request.params.name);
      const { status: _status, createdAt: _c, updatedAt: _u, ...spec } = current;
      return (await ctx.sources.put(request.params.name, { ...spec, ...request.body })).source;
    },
  );

  app.delete<{ Params: NameParams }>('/v1/sources/:name', { schema: { summary: 'Stop and delete a source', params: nameParams, querystring: NO_QUERY } }, async (request, reply) => {
    if (!(await ctx.sources.delete(request.params.name))) throw notFound(request.params.name);
    return reply.status(204).send();
  });
}
