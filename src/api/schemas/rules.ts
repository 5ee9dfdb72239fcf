/**
 * Bodies of `/v1/buses/{bus}/rules…` (src/api/rules.ts). The rules service validates a whole rule
 * and fails closed (src/rules/validate.ts); these schemas check the same outline with the same field
 * names, and leave the parts with a more precise validator of their own open (`{}`): the filter
 * (HERALD_INVALID_PATTERN / HERALD_INVALID_FILTER), the transform (HERALD_INVALID_TRANSFORM) and the
 * connector config (checked against the connector's own schema, src/connectors/config.ts).
 */
const NAME_64 = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;

const FILTER = {
  description:
    'Exactly one of `{"pattern": …}` (an EventBridge event pattern), `{"cesql": "…"}` (a CloudEvents SQL expression) or ' +
    '`{"subscriptions": […]}` (CloudEvents Subscriptions API filters). See docs/patterns.md.',
  examples: [{ pattern: { source: ['shop'], type: ['order.created'] } }, { cesql: "type = 'order.created' AND data.total > 100" }],
} as const;

const TRANSFORM = {
  description: 'What the target receives: `{"kind": "event"}` (default), `path`, `constant` or `template` (docs/transforms.md).',
  examples: [{ kind: 'path', path: '$.data.order' }],
} as const;

const RETRY = {
  type: 'object',
  description: 'Defaults: 185 attempts within 24 h; backoff 1 s doubling to 5 min with full jitter.',
  additionalProperties: false,
  properties: {
    maxAttempts: { type: 'integer', minimum: 1, maximum: 185 },
    maxAgeMs: { type: 'integer', minimum: 1000, maximum: 86_400_000 },
    backoffBaseMs: { type: 'integer', minimum: 1, maximum: 3_600_000 },
    backoffCapMs: { type: 'integer', minimum: 1, maximum: 86_400_000 },
    jitter: { type: 'boolean' },
  },
} as const;

const targetProperties = {
  id: { ...NAME_64, description: 'Unique within the rule.' },
  type: { type: 'string', description: 'The connector: http, bus, nats, mqtt, amqp, redis, postgres, mysql.' },
  config: { description: "The connector's settings, checked against its config schema (docs/connectors.md)." },
  transform: TRANSFORM,
  retry: RETRY,
  concurrency: { type: 'integer', minimum: 1, maximum: 1000, description: 'Most deliveries in flight at once. Default 16.' },
  ratePerSecond: { type: 'number', exclusiveMinimum: 0, description: 'Most deliveries started per second. Default: no limit.' },
  disabled: { description: 'Set by Herald when the target answered 410 Gone: `{at, reason}`.' },
} as const;

const DEAD_LETTER_TARGET = {
  type: 'object',
  description: 'Dead letters of this target are also sent here, as CloudEvents carrying the error.',
  additionalProperties: false,
  properties: targetProperties,
} as const;

/** `PUT …/rules/{rule}/targets/{target}`: the id may be left out (the URL names the target). */
export const TargetSpecSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...targetProperties, deadLetterTarget: DEAD_LETTER_TARGET },
} as const;

const ruleProperties = {
  name: { ...NAME_64, description: 'Unique within the bus.' },
  description: { type: 'string', maxLength: 512 },
  filter: FILTER,
  view: { type: 'string', enum: ['cloudevent', 'eventbridge'], description: 'Which form of the event the filter and transforms see. Default cloudevent.' },
  state: { type: 'string', enum: ['enabled', 'disabled'], description: 'Default enabled.' },
  targets: { type: 'array', maxItems: 5, items: { ...TargetSpecSchema, required: ['id', 'type'] }, description: 'Up to 5 targets.' },
  replyBus: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,256}$', description: 'Replies of targets (a CloudEvent in an HTTP answer) are appended to this bus.' },
  tags: { type: 'object', additionalProperties: { type: 'string' } },
} as const;

/** `POST /v1/buses/{bus}/rules`. */
export const RuleCreateSchema = {
  type: 'object',
  required: ['name', 'filter'],
  additionalProperties: false,
  properties: ruleProperties,
} as const;

/** `PUT /v1/buses/{bus}/rules/{rule}`: `name` may be left out (the URL names the rule). */
export const RuleReplaceSchema = {
  type: 'object',
  required: ['filter'],
  additionalProperties: false,
  properties: ruleProperties,
} as const;

/** `PATCH /v1/buses/{bus}/rules/{rule}`: enable, disable or describe without resending the rule. */
export const RulePatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { state: ruleProperties.state, description: ruleProperties.description },
} as const;
