/**
 * Success responses, for the OpenAPI document only (src/api/openapi.ts adds them by method and
 * path). Routes never declare response schemas: fastify would serialise with them, and
 * fast-json-stringify drops every property a schema does not list. So these describe the members a
 * client can rely on and stay open (`additionalProperties: true`) to members added later.
 */
const open = <P extends Record<string, object>>(properties: P, required: string[] = [], description?: string) =>
  ({ type: 'object', ...(description ? { description } : {}), required, properties, additionalProperties: true }) as const;

const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const NO_CONTENT = { type: 'null', description: 'Done; no body.' } as const;
const TIME = { type: 'string', format: 'date-time' } as const;

const BUS = open(
  {
    name: { type: 'string' },
    description: { type: 'string' },
    retentionMs: { type: 'integer' },
    dedupeWindowMs: { type: 'integer' },
    createdAt: TIME,
    headSequence: { type: 'integer', description: 'GET only: the last sequence stored.' },
    rules: { type: 'integer', description: 'GET only: how many rules the bus has.' },
  },
  ['name', 'retentionMs', 'dedupeWindowMs', 'createdAt'],
);

const RULE = open(
  {
    bus: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    filter: { description: 'As saved: `{"pattern": …}`, `{"cesql": "…"}` or `{"subscriptions": […]}`.' },
    view: { type: 'string', enum: ['cloudevent', 'eventbridge'] },
    state: { type: 'string', enum: ['enabled', 'disabled'] },
    targets: { type: 'array', items: { type: 'object', additionalProperties: true } },
    createdAt: TIME,
    updatedAt: TIME,
  },
  ['bus', 'name', 'filter', 'state', 'targets'],
);

const NEXT_NAME = { type: 'string', description: 'Present when more remain: pass it as `after`.' } as const;
const STORED_EVENT = open({ sequence: { type: 'integer' }, receivedAt: TIME, event: { type: 'object', description: 'The CloudEvent, structured.' } }, ['sequence', 'receivedAt', 'event']);
const ACK = open({ id: { type: 'string' }, source: { type: 'string' }, sequence: { type: 'integer' }, duplicate: { type: 'boolean' } }, ['id', 'source', 'sequence', 'duplicate']);
const STATUS = open({ status: { type: 'string' } }, ['status']);
const SOURCE = open({ name: { type: 'string' }, type: { type: 'string' }, bus: { type: 'string' }, config: { type: 'object' }, state: { type: 'string' }, status: { type: 'object', description: 'Live: state, lag, lastError, lastEventAt.' } }, ['name', 'type', 'bus']);
const CONNECTION = open({ name: { type: 'string' }, type: { type: 'string' }, description: { type: 'string' }, keys: { type: 'array', items: { type: 'string' }, description: 'The secret keys; values are never returned.' }, updatedAt: TIME }, ['name', 'keys']);
const TRACE = open({ bus: { type: 'string' }, sequence: { type: 'integer' }, receivedAt: TIME, event: { type: 'object' }, routed: { type: 'boolean' }, rulesMatched: { type: 'array', items: { type: 'string' } }, deliveries: { type: 'array', items: { type: 'object' } } }, [], 'The life of one event.');

/** `METHOD path` (OpenAPI path syntax) → its success responses. */
export const RESPONSES: Record<string, Record<string, object>> = {
  'GET /healthz': { 200: json('The process answers.', STATUS) },
  'GET /readyz': {
    200: json('Ready.', STATUS),
    503: json(
      'Not ready: `status` is `shutting-down`, `starting`, `store-full` or `store-unavailable`; `reason` says why.',
      open({ status: { type: 'string' }, reason: { type: 'string' }, code: { type: 'string' } }, ['status', 'reason']),
    ),
  },
  'GET /metrics': { 200: { description: 'Prometheus text exposition format 0.0.4 (`# HELP`, `# TYPE`, samples).', content: { 'text/plain': { schema: { type: 'string' } } } } },
  'GET /openapi.json': { 200: json('This document.', { type: 'object' }) },
  'POST /v1/buses': { 201: json('The bus.', BUS) },
  'GET /v1/buses': { 200: json('A page of buses, by name.', open({ buses: { type: 'array', items: BUS }, next: NEXT_NAME }, ['buses'])) },
  'GET /v1/buses/{bus}': { 200: json('The bus.', BUS) },
  'PATCH /v1/buses/{bus}': { 200: json('The bus.', BUS) },
  'DELETE /v1/buses/{bus}': { 204: NO_CONTENT },
  'POST /v1/buses/{bus}/events': {
    202: json('One event stored (or a duplicate of one already stored).', ACK),
    200: json(
      'A batch: entries stored and refused, in order.',
      open({ accepted: { type: 'integer' }, failed: { type: 'integer' }, results: { type: 'array', items: { type: 'object', description: '`{id, source, sequence, duplicate}` or `{index, code, message, field}`.' } } }, ['accepted', 'failed', 'results']),
    ),
  },
  'GET /v1/buses/{bus}/events': { 200: json('A page of events, by sequence.', open({ events: { type: 'array', items: STORED_EVENT }, next: { type: 'integer' } }, ['events', 'next'])) },
  'GET /v1/buses/{bus}/events/stream': { 200: { description: 'Server-Sent Events: `id` = sequence, `data` = the stored event as JSON.', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
  'GET /v1/buses/{bus}/events/{sequence}/trace': { 200: json('The trace.', TRACE) },
  'GET /v1/buses/{bus}/trace': { 200: json('The trace.', TRACE) },
  'GET /v1/buses/{bus}/rules': { 200: json('A page of rules, by name.', open({ rules: { type: 'array', items: RULE }, next: NEXT_NAME }, ['rules'])) },
  'POST /v1/buses/{bus}/rules': { 201: json('The rule.', RULE) },
  'PUT /v1/buses/{bus}/rules/{rule}': { 200: json('The rule, replaced.', RULE), 201: json('The rule, created.', RULE) },
  'GET /v1/buses/{bus}/rules/{rule}': { 200: json('The rule.', RULE) },
  'PATCH /v1/buses/{bus}/rules/{rule}': { 200: json('The rule.', RULE) },
  'DELETE /v1/buses/{bus}/rules/{rule}': { 204: NO_CONTENT },
  'PUT /v1/buses/{bus}/rules/{rule}/targets/{target}': { 200: json('The rule.', RULE) },
  'DELETE /v1/buses/{bus}/rules/{rule}/targets/{target}': { 204: NO_CONTENT },
  'GET /v1/buses/{bus}/dlq': { 200: json('A page of dead letters, by id.', open({ deadLetters: { type: 'array', items: { type: 'object' } }, next: { type: 'integer' } }, ['deadLetters'])) },
  'GET /v1/buses/{bus}/dlq/{id}': { 200: json('The dead letter, its attempts and its event.', open({ id: { type: 'integer' }, rule: { type: 'string' }, target: { type: 'string' }, attemptLog: { type: 'array' }, event: {} }, ['id'])) },
  'POST /v1/buses/{bus}/dlq/redrive': { 200: json('How many were redriven.', open({ redriven: { type: 'integer' } }, ['redriven'])) },
  'POST /v1/buses/{bus}/dlq/purge': { 200: json('How many were purged.', open({ purged: { type: 'integer' } }, ['purged'])) },
  'POST /v1/filters/test': { 200: json('Whether the event matched, and why.', open({ matched: { type: 'boolean' }, explanation: {} }, ['matched'])) },
  'POST /v1/transforms/test': { 200: json('The body the target would receive.', open({ body: {}, contentType: { type: 'string' } }, ['body', 'contentType'])) },
  'GET /v1/sources': { 200: json('Every source.', open({ sources: { type: 'array', items: SOURCE } }, ['sources'])) },
  'GET /v1/sources/{name}': { 200: json('The source.', SOURCE) },
  'PUT /v1/sources/{name}': { 200: json('The source, replaced.', SOURCE), 201: json('The source, created.', SOURCE) },
  'PATCH /v1/sources/{name}': { 200: json('The source.', SOURCE) },
  'DELETE /v1/sources/{name}': { 204: NO_CONTENT },
  'POST /v1/sources/{name}/webhook': { 202: json('Stored (or a duplicate of an event already stored).', { type: 'object' }) },
  'GET /v1/connections': { 200: json('Every connection (keys only).', open({ connections: { type: 'array', items: CONNECTION } }, ['connections'])) },
  'GET /v1/connections/{name}': { 200: json('The connection (keys only).', CONNECTION) },
  'PUT /v1/connections/{name}': { 200: json('The connection, replaced.', CONNECTION), 201: json('The connection, created.', CONNECTION) },
  'DELETE /v1/connections/{name}': { 204: NO_CONTENT },
  'POST /v1/apply': { 200: json('The plan, and whether it was applied (false for a dry run or an empty plan).', open({ plan: { type: 'array', items: { type: 'object' } }, applied: { type: 'boolean' } }, ['plan', 'applied'])) },
  'POST /': { 200: { description: "The operation's output (AWS JSON 1.1).", content: { 'application/x-amz-json-1.1': { schema: { type: 'object' } } } } },
};
