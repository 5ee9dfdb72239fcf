/**
 * JSON Schemas of the admin API's bodies, for route `schema` options: fastify validates requests
 * with them and @fastify/swagger turns them into the OpenAPI 3.1 document (`/openapi.json`).
 *
 * Written in the subset that is both draft-07 (fastify's Ajv) and JSON Schema 2020-12 (OpenAPI 3.1):
 * no `$schema`, no `$ref`s, nullable fields as type arrays.
 *
 * Two cautions for whoever attaches them:
 * - Request bodies stay shallow on purpose. The rules service validates a whole rule and names the
 *   field at fault (`targets[1].config.url`); schema errors would name it differently
 *   (`body.targets.1.config`). So free-form parts (a pattern, a config, a template) are left open
 *   here; the schema checks only the outline (one filter language, 1–5 targets, known transform kinds).
 * - As *response* schemas they drive fast-json-stringify, which drops properties a schema does not
 *   list. Every response object here therefore has `additionalProperties: true`, and free-form
 *   values carry no `type`, so nothing is lost in serialisation.
 */

const NAME = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;

/** `{code, message, field?}`: every error Herald answers with (ARCHITECTURE.md). */
export const ErrorSchema = {
  type: 'object',
  description: 'Herald error: a stable code from docs/errors.md, a message, and the input field at fault.',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', pattern: '^HERALD_[A-Z_]+$' },
    message: { type: 'string' },
    field: { type: 'string' },
  },
  additionalProperties: true,
} as const;

export const BusSettingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: { type: 'string', maxLength: 512 },
    retentionMs: { type: 'integer', minimum: 1000, description: 'How long events are kept.' },
    dedupeWindowMs: { type: 'integer', minimum: 0, description: 'How long a (source, id) pair is remembered.' },
  },
} as const;

export const BusCreateSchema = {
  ...BusSettingsSchema,
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,256}$' }, ...BusSettingsSchema.properties },
} as const;

export const BusSchema = {
  type: 'object',
  required: ['name', 'description', 'retentionMs', 'dedupeWindowMs', 'createdAt'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    retentionMs: { type: 'integer' },
    dedupeWindowMs: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    headSequence: { type: 'integer', description: 'GET /v1/buses/{bus} only: the last sequence stored.' },
    rules: { type: 'integer', description: 'GET /v1/buses/{bus} only: how many rules the bus has.' },
  },
  additionalProperties: true,
} as const;

export const BusListSchema = {
  type: 'object',
  required: ['buses'],
  properties: { buses: { type: 'array', items: BusSchema } },
  additionalProperties: true,
} as const;

export const FilterSchema = {
  description: 'Exactly one of: an EventBridge event pattern, a CloudEvents SQL expression, or Subscriptions API filters.',
  oneOf: [
    { type: 'object', required: ['pattern'], properties: { pattern: {} } },
    { type: 'object', required: ['cesql'], properties: { cesql: { type: 'string' } } },
    { type: 'object', required: ['subscriptions'], properties: { subscriptions: { type: 'array' } } },
  ],
} as const;

export const TransformSchema = {
  type: 'object',
  description: 'What the target receives: kind event (default), path, constant or template (docs/transforms.md).',
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: ['event', 'path', 'constant', 'template'] },
    path: { type: 'string' },
    value: {},
    inputPathsMap: { type: 'object', additionalProperties: { type: 'string' } },
    inputTemplate: { type: 'string' },
  },
  additionalProperties: true,
} as const;

export const RetryPolicySchema = {
  type: 'object',
  description: 'Defaults: 185 attempts within 24 h; backoff 1 s doubling to 5 min with full jitter.',
  properties: {
    maxAttempts: { type: 'integer', minimum: 1 },
    maxAgeMs: { type: 'integer', minimum: 0 },
    backoffBaseMs: { type: 'integer', minimum: 0 },
    backoffCapMs: { type: 'integer', minimum: 0 },
    jitter: { type: 'boolean' },
  },
  additionalProperties: true,
} as const;

const targetProperties = {
  id: NAME,
  type: { type: 'string', description: 'The connector: http, bus, nats, mqtt, amqp, redis, postgres, mysql…' },
  config: { type: 'object', description: "The connector's own settings.", additionalProperties: true },
  transform: TransformSchema,
  retry: RetryPolicySchema,
  concurrency: { type: 'integer', minimum: 1 },
  ratePerSecond: { type: 'number', exclusiveMinimum: 0 },
} as const;

export const TargetSpecSchema = {
  type: 'object',
  required: ['id', 'type', 'config'],
  properties: {
    ...targetProperties,
    deadLetterTarget: {
      type: 'object',
      description: 'Dead letters of this target are also sent here, as CloudEvents carrying the error.',
      required: ['type', 'config'],
      properties: targetProperties,
      additionalProperties: true,
    },
  },
  additionalProperties: true,
} as const;

const ruleProperties = {
  name: NAME,
  description: { type: 'string' },
  filter: FilterSchema,
  view: { type: 'string', enum: ['cloudevent', 'eventbridge'] },
  state: { type: 'string', enum: ['enabled', 'disabled'] },
  targets: { type: 'array', minItems: 1, maxItems: 5, items: TargetSpecSchema },
  replyBus: { type: 'string' },
  tags: { type: 'object', additionalProperties: { type: 'string' } },
} as const;

/** The body of POST …/rules and PUT …/rules/{rule} (on PUT, `name` may be left out: the URL names the rule). */
export const RuleSpecSchema = {
  type: 'object',
  required: ['filter', 'targets'],
  properties: ruleProperties,
  additionalProperties: true,
} as const;

export const RuleRecordSchema = {
  type: 'object',
  required: ['bus', 'name', 'description', 'filter', 'view', 'state', 'targets', 'tags', 'createdAt', 'updatedAt'],
  properties: {
    bus: { type: 'string' },
    ...ruleProperties,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: true,
} as const;

export const RuleListSchema = {
  type: 'object',
  required: ['rules'],
  properties: { rules: { type: 'array', items: RuleRecordSchema } },
  additionalProperties: true,
} as const;

export const RulePatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { state: ruleProperties.state, description: ruleProperties.description },
} as const;

export const DeadLetterSchema = {
  type: 'object',
  description: 'A delivery that exhausted its retries or failed for good, with the event and the last error.',
  required: ['id'],
  properties: {
    id: { type: 'integer' },
    bus: { type: 'string' },
    rule: { type: 'string' },
    target: { type: 'string' },
    sequence: { type: 'integer', description: 'The bus sequence of the event.' },
    state: { type: 'string' },
    attempts: { type: 'integer' },
    reason: { type: ['string', 'null'], description: 'Why it was dead-lettered (retries exhausted, too old, a permanent failure…).' },
    lastError: { type: ['string', 'null'] },
    lastStatus: { type: ['integer', 'null'] },
    event: { description: 'GET …/dlq/{id} only: the event.' },
    attemptLog: { type: 'array', description: 'GET …/dlq/{id} only: every attempt.' },
  },
  additionalProperties: true,
} as const;

export const DeadLetterListSchema = {
  type: 'object',
  required: ['deadLetters'],
  properties: {
    deadLetters: { type: 'array', items: DeadLetterSchema },
    next: { type: ['integer', 'null'], description: 'Pass as `after` for the next page.' },
  },
  additionalProperties: true,
} as const;

export const DeadLetterSelectorSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ids: { type: 'array', items: { type: 'integer', minimum: 1 } },
    rule: { type: 'string' },
    target: { type: 'string' },
    all: { type: 'boolean', description: 'Select every dead letter of the bus (needed when nothing else is given).' },
  },
} as const;

export const RedriveRequestSchema = {
  ...DeadLetterSelectorSchema,
  properties: {
    ...DeadLetterSelectorSchema.properties,
    to: {
      type: 'object',
      description: 'Send the dead letters to another (rule, target) instead of the one that failed.',
      required: ['rule', 'target'],
      properties: { rule: { type: 'string' }, target: { type: 'string' } },
      additionalProperties: false,
    },
  },
} as const;

export const RedriveResponseSchema = {
  type: 'object',
  required: ['redriven'],
  properties: { redriven: { type: 'integer' } },
  additionalProperties: true,
} as const;

export const PurgeResponseSchema = {
  type: 'object',
  required: ['purged'],
  properties: { purged: { type: 'integer' } },
  additionalProperties: true,
} as const;

export const TraceSchema = {
  type: 'object',
  description: 'The life of one event: when it was stored, which rules matched, and every delivery attempt.',
  additionalProperties: true,
} as const;

export const FilterTestRequestSchema = {
  type: 'object',
  required: ['filter', 'event'],
  properties: { filter: FilterSchema, event: { description: 'Matched exactly as given.' } },
  additionalProperties: false,
} as const;

export const FilterTestResponseSchema = {
  type: 'object',
  required: ['matched'],
  properties: { matched: { type: 'boolean' }, explanation: {} },
  additionalProperties: true,
} as const;

export const TransformTestRequestSchema = {
  type: 'object',
  required: ['transform', 'event'],
  properties: { transform: TransformSchema, event: {}, view: ruleProperties.view, rule: { type: 'string', description: 'The rule name templates see.' } },
  additionalProperties: false,
} as const;

export const TransformTestResponseSchema = {
  type: 'object',
  required: ['body', 'contentType'],
  properties: { body: {}, contentType: { type: 'string' } },
  additionalProperties: true,
} as const;
