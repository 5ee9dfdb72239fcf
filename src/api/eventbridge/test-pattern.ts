/**
 * TestEventPattern (API reference): `{EventPattern, Event}` → `{Result}`. The pattern is validated with
 * the same code as a rule's (a bad one is InvalidEventPatternException); the Event is the EventBridge
 * envelope as JSON text and is matched exactly as given, nothing added or rewritten.
 *
 * The API reference (API_TestEventPattern.html, `Event`): "The JSON must follow the format specified in
 * AWS Events, and the following fields are mandatory: id, account, source, time, region, resources,
 * detail-type." An event without one of them is a ValidationException, as is one nested deeper than
 * Herald's limit (issue 11, item 5: the matcher's explanation walks the whole event).
 */
import { explainPattern } from '../../patterns/index.js';
import { MAX_NESTING_DEPTH, nestingDepth } from '../../patterns/depth.js';
import { validation } from './errors.js';
import { isObject, onlyMembers, requiredString } from './input.js';
import type { Operation } from './env.js';
import { parseEventPattern } from './rules.js';

/** The mandatory envelope fields, in the API reference's order; all strings but `resources`. */
export const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'] as const;

function checkEnvelope(event: Record<string, unknown>): void {
  for (const field of REQUIRED_EVENT_FIELDS) {
    const value = event[field];
    if (value === undefined) {
      throw validation(`Parameter Event is not valid: the field "${field}" is missing (mandatory: ${REQUIRED_EVENT_FIELDS.join(', ')}).`);
    }
    const ok = field === 'resources' ? Array.isArray(value) && value.every((r) => typeof r === 'string') : typeof value === 'string';
    if (!ok) {
      throw validation(`Parameter Event is not valid: the field "${field}" must be ${field === 'resources' ? 'an array of strings' : 'a string'}.`);
    }
  }
}

export const testEventPattern: Operation = async (input) => {
  const body = onlyMembers(input, ['EventPattern', 'Event']);
  const pattern = parseEventPattern(requiredString(body, 'EventPattern'));
  let event: unknown;
  try {
    event = JSON.parse(requiredString(body, 'Event'));
  } catch {
    throw validation('Parameter Event is not valid: it is not JSON.');
  }
  if (!isObject(event)) throw validation('Parameter Event is not valid: it must be a JSON object (an EventBridge event).');
  if (nestingDepth(event) > MAX_NESTING_DEPTH) {
    throw validation(`Parameter Event is not valid: it nests more than ${MAX_NESTING_DEPTH} levels deep (the limit is ${MAX_NESTING_DEPTH}).`);
  }
  checkEnvelope(event);
  return { Result: explainPattern(pattern, event).matched };
};
