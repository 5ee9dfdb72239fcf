/**
 * Sources, connections and webhook receivers (src/api/sources.ts, connections.ts, webhooks.ts). The
 * services validate the whole definition (src/sources); a source's `config` is checked against its
 * connector's schema, so it is left open here.
 */
import { NAME_SYNTAX } from './common.js';

const STATE = { type: 'string', enum: ['enabled', 'disabled'], description: 'Default enabled.' } as const;
const DESCRIPTION = { type: 'string', maxLength: 512 } as const;

/** `PUT /v1/sources/{name}`. Read-only members of a GET answer may be sent back; they are ignored. */
export const SourceSpecSchema = {
  type: 'object',
  required: ['type', 'bus'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'If given, the name in the path.' },
    type: { type: 'string', minLength: 1, description: 'The source connector: nats, mqtt, amqp, redis, postgres-outbox, webhook, schedule.' },
    bus: { type: 'string', minLength: 1, description: `The bus the source appends to. ${NAME_SYNTAX}` },
    config: { description: "The connector's settings, checked against its config schema (docs/sources.md)." },
    state: STATE,
    description: DESCRIPTION,
    extensions: { type: 'object', additionalProperties: { type: 'string' }, description: 'CloudEvent extension attributes added to every event (names: 1 to 20 of a-z 0-9).' },
    status: { description: 'Read-only (ignored).' },
    createdAt: { description: 'Read-only (ignored).' },
    updatedAt: { description: 'Read-only (ignored).' },
  },
} as const;

/** `PATCH /v1/sources/{name}`. */
export const SourcePatchSchema = { type: 'object', additionalProperties: false, properties: { state: STATE, description: DESCRIPTION } } as const;

/** `PUT /v1/connections/{name}`. Secret values are never returned and never quoted in an error. */
export const ConnectionSpecSchema = {
  type: 'object',
  required: ['secrets'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'If given, the name in the path.' },
    type: { type: 'string', minLength: 1, maxLength: 64, description: 'What the connection is for (free text, e.g. `postgres`).' },
    description: DESCRIPTION,
    secrets: {
      type: 'object',
      minProperties: 1,
      maxProperties: 64,
      propertyNames: { pattern: '^[A-Za-z0-9_.-]{1,128}$' },
      additionalProperties: { type: 'string' },
      description: 'The secret fields, e.g. `{"url": "postgres://…"}`; each value at most 64 KiB.',
    },
  },
} as const;

/** `POST /v1/sources/{name}/webhook`, for the document only: signatures need the exact bytes. */
export const WebhookBodyDocument = {
  description: "The sender's payload, kept byte for byte and verified against the source's signature scheme (GitHub or Standard Webhooks).",
  content: { '*/*': { schema: { description: 'Any payload; JSON bodies become the event data.' } } },
} as const;
