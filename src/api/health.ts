import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';

export function healthRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Liveness: the process answers.
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Readiness: the store answers and the server still takes events.
  app.get('/readyz', async (_request, reply) => {
    if (!ctx.accepting()) return reply.status(503).send({ status: 'shutting-down' });
    await ctx.store.events.head('default');
    return { status: 'ready' };
  });
}
