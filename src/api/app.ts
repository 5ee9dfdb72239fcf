/**
 * The one HTTP server (fastify): ingest, read, admin and operations routes, with Herald's error
 * shape everywhere.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiContext } from './context.js';
import { installErrorHandling } from './errors.js';
import { installValidation } from './validation.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { ingestRoutes } from './ingest.js';
import { readRoutes } from './read.js';
import { busRoutes } from './buses.js';
import { ruleRoutes } from './rules.js';
import { dlqRoutes } from './dlq.js';
import { traceRoutes } from './trace.js';
import { toolRoutes } from './tools.js';
import { registerOpenApi } from './openapi.js';
import { sourceRoutes } from './sources.js';
import { connectionRoutes } from './connections.js';
import { webhookRoutes } from './webhooks.js';
import { applyRoutes } from './apply.js';
import { eventBridgeRoutes, type AccessKeys } from './eventbridge/index.js';
import { REQUEST_ENVELOPE_LEVELS, scanJson, tooDeep } from '../events/json-limits.js';

export async function buildApp(ctx: ApiContext, logger?: FastifyBaseLogger, options: { awsAccessKeys?: AccessKeys } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: ctx.config.maxRequestBytes,
    // Clients keep connections alive across many requests (producers, benchmarks).
    keepAliveTimeout: 65_000,
    // Per-request log lines would cost more than an ingest itself; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });
  // Before any route: every route's params, query and body are checked against its schema, and a
  // failure answers in Herald's error shape (src/api/validation.ts).
  installValidation(app);
  installErrorHandling(app);
  installJsonParser(app, ctx.config.maxJsonDepth);
  // While shutting down, every answer closes its connection, so keep-alive clients cannot hold the
  // server open by sending request after request.
  app.addHook('onSend', async (_request, reply) => {
    if (!ctx.accepting()) void reply.header('connection', 'close');
  });
  // The OpenAPI document sees only routes added after it loads.
  await registerOpenApi(app);
  healthRoutes(app, ctx);
  if (ctx.metrics) metricsRoutes(app, ctx.metrics);
  ingestRoutes(app, ctx);
  readRoutes(app, ctx);
  busRoutes(app, ctx);
  ruleRoutes(app, ctx);
  dlqRoutes(app, ctx);
  traceRoutes(app, ctx);
  toolRoutes(app, ctx);
  if (ctx.sources && ctx.connections) {
    const sourcesContext = { sources: ctx.sources, connections: ctx.connections, store: ctx.store };
    sourceRoutes(app, sourcesContext);
    connectionRoutes(app, sourcesContext);
    webhookRoutes(app, sourcesContext);
  }
  applyRoutes(app, ctx);
  eventBridgeRoutes(app, ctx, options.awsAccessKeys ? { accessKeys: options.awsAccessKeys } : {});
  return app;
}

/**
 * The one `application/json` parser of every admin route: fastify's own (secure-json-parse, which
 * refuses `__proto__` and `constructor.prototype`), behind the nesting limit (issue 11, item 5). The
 * scan is linear and runs first, so neither parsing nor anything after it (validation, the response
 * serializer) meets input deep enough to exhaust the stack. A body may be a few levels deeper than an
 * event, since it wraps events and filters (`{"event": …}`).
 */
function installJsonParser(app: FastifyInstance, maxJsonDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const maxDepth = maxJsonDepth + REQUEST_ENVELOPE_LEVELS;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const [problem] = scanJson(text, { maxDepth });
    if (problem?.kind === 'depth') {
      done(tooDeep(problem, 'the request body', '', `--max-json-depth / HERALD_MAX_JSON_DEPTH plus ${REQUEST_ENVELOPE_LEVELS} for a request body`), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
