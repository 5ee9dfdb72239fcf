/** Dead letters (src/api/dlq.ts): list query, and the selector of redrive and purge. */
import { query } from './common.js';

/** `GET /v1/buses/{bus}/dlq`. */
export const DeadLetterListQuery = query({
  rule: { type: 'string', description: 'Only dead letters of this rule.' },
  target: { type: 'string', description: 'Only dead letters of this target.' },
  after: { type: 'integer', minimum: 0, description: 'The `next` of the previous page. Default 0.' },
  limit: { type: 'integer', minimum: 1, description: 'Most dead letters on this page (at most 1000 are returned). Default 100.' },
});

/** `GET /v1/buses/{bus}/dlq/{id}`. */
export const DEAD_LETTER_PARAM = { id: { type: 'integer', minimum: 1, description: 'The dead letter (delivery) id.' } } as const;

const selector = {
  ids: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 10000, description: 'These dead letters.' },
  rule: { type: 'string', description: 'Every dead letter of this rule.' },
  target: { type: 'string', description: 'Every dead letter of this target.' },
  all: { type: 'boolean', description: 'Every dead letter of the bus (needed when nothing else is given).' },
} as const;

/** `POST /v1/buses/{bus}/dlq/purge`. */
export const DeadLetterSelectorSchema = { type: 'object', additionalProperties: false, properties: selector } as const;

/** `POST /v1/buses/{bus}/dlq/redrive`. */
export const RedriveRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...selector,
    to: {
      type: 'object',
      description: 'Send the dead letters to another (rule, target) instead of the one that failed.',
      required: ['rule', 'target'],
      additionalProperties: false,
      properties: { rule: { type: 'string' }, target: { type: 'string' } },
    },
  },
} as const;
