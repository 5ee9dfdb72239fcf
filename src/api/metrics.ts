/** `GET /metrics`: the server's Prometheus metrics in the text exposition format (issue 15, item 1). */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../observe/index.js';
import { NO_QUERY } from './schemas/index.js';

export function metricsRoutes(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format 0.0.4)', querystring: NO_QUERY } }, async (_request, reply) => {
    const text = await metrics.text();
    return reply.type(metrics.contentType).send(text);
  });
}
