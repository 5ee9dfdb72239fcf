/**
 * `POST /v1/buses/{bus}/events`: CloudEvents over HTTP in binary, structured and batched mode
 * (bindings-http-protocol-binding.md §3). An event is acknowledged only after the store committed
 * it (ARCHITECTURE.md invariant 1).
 */
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/index.js';
import { decodeHttpRequest } from '../events/http-binding/decode.js';
import type { CloudEvent } from '../events/types.js';
import type { ApiContext } from './context.js';
import { requireBus } from './read.js';
import { UNKNOWN_BUS } from '../observe/index.js';
import type { AppendResult } from '../store/index.js';
import { BUS_PARAM, documentOnly, IngestBodyDocument, NO_QUERY, params } from './schemas/index.js';

// The body is described for the document only: fastify must not parse or validate it (the
// CloudEvents codecs read the exact bytes and answer with their own codes).
const ingest = {
  schema: {
    summary: 'Publish events: one CloudEvent (binary or structured mode) or a batch',
    params: params(BUS_PARAM),
    querystring: NO_QUERY,
    ...documentOnly({ body: IngestBodyDocument }),
  },
};

interface BusParams {
  bus: string;
}

export function ingestRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // The codecs read the raw bytes themselves (binary mode bodies may be anything), so this route
  // gets its own context in which every content type arrives as a Buffer.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.config.maxRequestBytes }, (_request, body, done) => {
      done(null, body);
    });

    scope.post<{ Params: BusParams }>('/v1/buses/:bus/events', ingest, async (request, reply) => {
      const { bus } = request.params;
      // Counted under the bus's name only once it is known to exist: a request to an arbitrary name
      // must not create a series (issue 15: labels come from configuration only).
      const count = { bus: UNKNOWN_BUS, events: 1 };
      try {
        if (!ctx.accepting()) throw new HeraldError('HERALD_SHUTTING_DOWN', 'the server is shutting down; retry on another instance or later');
        await requireBus(ctx, bus);
        count.bus = bus;
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const decoded = decodeHttpRequest(
          // rawHeaders: Node joins repeated headers, the codec must see them apart (issue 11, item 8).
          { contentType: request.headers['content-type'], headers: request.headers, rawHeaders: request.raw.rawHeaders, body },
          {
            maxEventBytes: ctx.config.maxEventBytes,
            maxBatchEvents: ctx.config.maxBatchEvents,
            maxRequestBytes: ctx.config.maxRequestBytes,
            maxJsonDepth: ctx.config.maxJsonDepth,
          },
        );
        if (decoded.mode !== 'batch') {
          const [result] = await ctx.store.events.append(bus, [decoded.event]);
          ctx.metrics?.received(bus, result.duplicate ? 'duplicate' : 'accepted');
          ctx.metrics?.acknowledged(bus, reply.elapsedTime / 1000);
          return reply.status(202).send({ id: decoded.event.id, source: decoded.event.source, ...result });
        }
        // Valid entries are stored even when others fail; results keep the batch's order.
        const valid: CloudEvent[] = [];
        for (const entry of decoded.entries) if (entry.ok) valid.push(entry.event);
        count.events = decoded.entries.length;
        const appended = await ctx.store.events.append(bus, valid);
        let next = 0;
        const results = decoded.entries.map((entry, index) => {
          if (!entry.ok) return { index, code: entry.code, message: entry.message, ...(entry.field ? { field: entry.field } : {}) };
          return { id: entry.event.id, source: entry.event.source, ...appended[next++] };
        });
        countBatch(ctx, bus, appended, decoded.entries.length - valid.length);
        ctx.metrics?.acknowledged(bus, reply.elapsedTime / 1000);
        return reply.status(200).send({ accepted: valid.length, failed: decoded.entries.length - valid.length, results });
      } catch (error) {
        // Refused whole (malformed, too large, unknown bus, store full): every event it carried, or
        // one when they could not be told apart, is rejected.
        ctx.metrics?.received(count.bus, 'rejected', count.events);
        throw error;
      }
    });
  });
}

function countBatch(ctx: ApiContext, bus: string, appended: AppendResult[], rejected: number): void {
  if (!ctx.metrics) return;
  let duplicates = 0;
  for (const result of appended) if (result.duplicate) duplicates++;
  ctx.metrics.received(bus, 'accepted', appended.length - duplicates);
  ctx.metrics.received(bus, 'duplicate', duplicates);
  ctx.metrics.received(bus, 'rejected', rejected);
}
