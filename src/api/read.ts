/**
 * Reading a bus: pages by sequence (`GET …/events?after=&limit=`) and the live tail over
 * Server-Sent Events (`GET …/events/stream`), resumable with `Last-Event-ID`.
 */
import type { FastifyInstance } from 'fastify';
import { busNotFound, HeraldError } from '../errors/index.js';
import type { ApiContext } from './context.js';
import { streamEvents } from './stream.js';
import { BUS_PARAM, params, ReadQuery, StreamQuery } from './schemas/index.js';

const MAX_LIMIT = 1000;

const streamOptions = {
  schema: {
    summary: "Follow a bus's events live (Server-Sent Events; `id` is the sequence, `Last-Event-ID` resumes)",
    produces: ['text/event-stream'],
    params: params(BUS_PARAM),
    querystring: StreamQuery,
  },
};

export function readRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Live tails never end by themselves: close them before the server waits for open connections.
  const tails = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of tails) close();
  });

  app.get<{ Params: { bus: string }; Querystring: { after?: string; limit?: string } }>(
    '/v1/buses/:bus/events',
    { schema: { summary: "Read a bus's events in sequence order, a page at a time", params: params(BUS_PARAM), querystring: ReadQuery } },
    async (request) => {
      const { bus } = request.params;
      await requireBus(ctx, bus);
      const after = parseCount(request.query.after, 0, 'after', Number.MAX_SAFE_INTEGER);
      const limit = parseCount(request.query.limit, 100, 'limit', MAX_LIMIT);
      const events = await ctx.store.events.read(bus, after, limit);
      return { events, next: events.length > 0 ? events[events.length - 1].sequence : after };
    },
  );

  app.get<{ Params: { bus: string }; Querystring: { after?: string } }>('/v1/buses/:bus/events/stream', streamOptions, async (request, reply) => {
    const { bus } = request.params;
    await requireBus(ctx, bus);
    const lastEventId = request.headers['last-event-id'];
    const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : request.query.after;
    // Without a position the tail starts at the head: only new events.
    const after = resumeFrom === undefined ? await ctx.store.events.head(bus) : parseCount(resumeFrom, 0, 'after', Number.MAX_SAFE_INTEGER);
    reply.hijack();
    const close = streamEvents(ctx, bus, after, request.raw, reply.raw);
    tails.add(close);
    request.raw.once('close', () => tails.delete(close));
  });
}

export async function requireBus(ctx: Pick<ApiContext, 'store'>, bus: string): Promise<void> {
  if (!(await ctx.store.buses.get(bus))) throw busNotFound(bus);
}

function parseCount(raw: string | undefined, fallback: number, field: string, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new HeraldError('HERALD_INVALID_REQUEST', `${field}: "${raw}" must be a whole number from 0 to ${max}`, field);
  }
  return n;
}
