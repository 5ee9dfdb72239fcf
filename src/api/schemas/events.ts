/**
 * Events: ingest (documented only: the CloudEvents codecs parse and check the exact bytes), read,
 * tail and trace.
 */
import { query } from './common.js';

const CLOUD_EVENT = {
  type: 'object',
  description: 'A CloudEvent in structured mode (CloudEvents 1.0 JSON format); Herald checks it, not this schema.',
  required: ['specversion', 'id', 'source', 'type'],
  properties: {
    specversion: { type: 'string', const: '1.0' },
    id: { type: 'string', minLength: 1 },
    source: { type: 'string', minLength: 1, format: 'uri-reference' },
    type: { type: 'string', minLength: 1 },
    subject: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { type: 'string' },
    dataschema: { type: 'string', format: 'uri' },
    data: { description: 'The payload (JSON).' },
    data_base64: { type: 'string', contentEncoding: 'base64', description: 'A binary payload, base64-encoded.' },
  },
  additionalProperties: { description: 'Extension attributes.' },
} as const;

/** `POST /v1/buses/{bus}/events`, for the document only (bindings-http-protocol-binding.md §3). */
export const IngestBodyDocument = {
  description:
    'One CloudEvent in binary mode (any content type: the body is `data`, attributes are `ce-*` headers), in structured mode ' +
    '(`application/cloudevents+json`), or a batch (`application/cloudevents-batch+json`, answered per entry).',
  content: {
    'application/cloudevents+json': { schema: CLOUD_EVENT },
    'application/cloudevents-batch+json': { schema: { type: 'array', items: CLOUD_EVENT, description: 'A batch: each entry is accepted or refused on its own.' } },
    '*/*': { schema: { description: 'Binary mode: the body is the event data; `ce-id`, `ce-source`, `ce-type` and `ce-specversion` headers are required.' } },
  },
} as const;

const sequence = (description: string) => ({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description }) as const;

/** `GET /v1/buses/{bus}/events`. */
export const ReadQuery = query({
  after: sequence('Events after this bus sequence (the `next` of the previous page). Default 0.'),
  limit: { type: 'integer', minimum: 0, maximum: 1000, description: 'Most events on this page. Default 100.' },
});

/** `GET /v1/buses/{bus}/events/stream`. */
export const StreamQuery = query({
  after: sequence('Start after this sequence (a `Last-Event-ID` header wins). Default: only new events.'),
});

/** `GET /v1/buses/{bus}/events/{sequence}/trace`. */
export const SEQUENCE_PARAM = { sequence: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The bus sequence of the event.' } } as const;

/** `GET /v1/buses/{bus}/trace?source=&id=`: both are required (the handler names the missing one). */
export const TraceLookupQuery = query({
  source: { type: 'string', description: 'The CloudEvent `source`.' },
  id: { type: 'string', description: 'The CloudEvent `id`.' },
});
