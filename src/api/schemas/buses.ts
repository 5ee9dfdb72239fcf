/** Bodies and queries of `/v1/buses` (src/api/buses.ts). */
import { NAME_SYNTAX, query } from './common.js';

const settings = {
  description: { type: 'string', maxLength: 512 },
  retentionMs: { type: 'integer', minimum: 1000, description: 'How long events are kept, in milliseconds.' },
  dedupeWindowMs: { type: 'integer', minimum: 0, description: 'How long a (source, id) pair is remembered for deduplication, in milliseconds.' },
} as const;

/** `PATCH /v1/buses/{bus}`. */
export const BusSettingsSchema = { type: 'object', additionalProperties: false, properties: settings } as const;

/** `POST /v1/buses`. The name's syntax is checked by the store (HERALD_INVALID_NAME). */
export const BusCreateSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', description: NAME_SYNTAX }, ...settings },
} as const;

/** `DELETE /v1/buses/{bus}?force=`. */
export const BusDeleteQuery = query({
  force: { type: 'string', enum: ['true', 'false', '1', '0'], description: 'Delete the bus with its rules (`true` or `1`); without it a bus with rules is refused.' },
});
