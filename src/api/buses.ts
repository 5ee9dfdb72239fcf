/** `/v1/buses`: create, list, describe, update and delete buses. */
import type { FastifyInstance } from 'fastify';
import { busNotFound as notFound, HeraldError } from '../errors/index.js';
import { checkName } from '../store/index.js';
import type { ApiContext } from './context.js';
import { page, type PageQuery } from './paging.js';
import { BUS_PARAM, BusCreateSchema, BusDeleteQuery, BusSettingsSchema, NO_QUERY, PAGE_QUERY, params } from './schemas/index.js';

interface BusBody {
  name: string;
  description?: string;
  retentionMs?: number;
  dedupeWindowMs?: number;
}

export function busRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post<{ Body: BusBody }>(
    '/v1/buses',
    { schema: { summary: 'Create a bus', querystring: NO_QUERY, body: BusCreateSchema } },
    async (request, reply) => {
      const { name, ...settings } = request.body;
      checkName(name);
      return reply.status(201).send(await ctx.store.buses.create(name, settings));
    },
  );

  app.get<{ Querystring: PageQuery }>('/v1/buses', { schema: { summary: 'List buses (paged by name)', querystring: PAGE_QUERY } }, async (request) => {
    const { items, next } = page(await ctx.store.buses.list(), request.query);
    return { buses: items, ...(next ? { next } : {}) };
  });

  const busParams = params(BUS_PARAM);
  app.get<{ Params: { bus: string } }>('/v1/buses/:bus', { schema: { summary: 'Describe a bus, with its head sequence and rule count', params: busParams, querystring: NO_QUERY } }, async (request) => {
    const bus = await ctx.store.buses.get(request.params.bus);
    if (!bus) throw notFound(request.params.bus);
    return { ...bus, headSequence: await ctx.store.events.head(bus.name), rules: await ctx.rules.count(bus.name) };
  });

  app.patch<{ Params: { bus: string }; Body: Omit<BusBody, 'name'> }>(
    '/v1/buses/:bus',
    { schema: { summary: "Change a bus's description, retention or dedupe window", params: busParams, querystring: NO_QUERY, body: BusSettingsSchema } },
    async (request) => {
      if (!(await ctx.store.buses.get(request.params.bus))) throw notFound(request.params.bus);
      return ctx.store.buses.update(request.params.bus, request.body);
    },
  );

  app.delete<{ Params: { bus: string }; Querystring: { force?: string } }>(
    '/v1/buses/:bus',
    { schema: { summary: 'Delete a bus and its events (with its rules when force=true)', params: busParams, querystring: BusDeleteQuery } },
    async (request, reply) => {
      const { bus } = request.params;
      if (!(await ctx.store.buses.get(bus))) throw notFound(bus);
      const rules = await ctx.rules.count(bus);
      const force = request.query.force === 'true' || request.query.force === '1';
      if (rules > 0 && !force) {
        throw new HeraldError('HERALD_BUS_NOT_EMPTY', `bus "${bus}" has ${rules} rule(s); delete them first or pass force=true`, 'bus');
      }
      if (rules > 0) await ctx.rules.deleteAll(bus);
      await ctx.store.buses.delete(bus);
      ctx.metrics?.forgetBus(bus);
      return reply.status(204).send();
    },
  );
}

