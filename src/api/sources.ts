/**
 * `/v1/sources…`: sources that read other systems onto a bus (issue 6). Validation lives in
 * src/sources (fails closed, field paths under `config.`); every answer carries the live `status`.
 */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import type { SourcesApiContext } from '../sources/types.js';

type NameParams = { name: string };

function notFound(name: string): HeraldError {
  return new HeraldError('HERALD_NOT_FOUND', `no source "${name}"`, 'name');
}

export function sourceRoutes(app: FastifyInstance, ctx: SourcesApiContext): void {
  app.get('/v1/sources', async () => ({ sources: await ctx.sources.list() }));

  app.get<{ Params: NameParams }>('/v1/sources/:name', async (request) => {
    const source = await ctx.sources.get(request.params.name);
    if (!source) throw notFound(request.params.name);
    return source;
  });

  app.put<{ Params: NameParams; Body: unknown }>('/v1/sources/:name', async (request, reply) => {
    const { source, created } = await ctx.sources.put(request.params.name, request.body);
    return reply.status(created ? 201 : 200).send(source);
  });

  // Enable, disable or describe without resending the config.
  app.patch<{ Params: NameParams; Body: { state?: 'enabled' | 'disabled'; description?: string } }>(
    '/v1/sources/:name',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { state: { enum: ['enabled', 'disabled'] }, description: { type: 'string', maxLength: 512 } },
        },
      },
    },
    async (request) => {
      const current = await ctx.sources.get(request.params.name);
      if (!current) throw notFound(request.params.name);
      const { status: _status, createdAt: _c, updatedAt: _u, ...spec } = current;
      return (await ctx.sources.put(request.params.name, { ...spec, ...request.body })).source;
    },
  );

  app.delete<{ Params: NameParams }>('/v1/sources/:name', async (request, reply) => {
    if (!(await ctx.sources.delete(request.params.name))) throw notFound(request.params.name);
    return reply.status(204).send();
  });
}
