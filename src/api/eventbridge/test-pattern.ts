/**
 * TestEventPattern (API reference): `{EventPattern, Event}` → `{Result}`. The pattern is validated with
 * the same code as a rule's (a bad one is InvalidEventPatternException); the Event is the EventBridge
 * envelope as JSON text and is matched exactly as given, nothing added or rewritten.
 */
import { explainPattern } from '../../patterns/index.js';
import { validation } from './errors.js';
import { isObject, onlyMembers, requiredString } from './input.js';
import type { Operation } from './env.js';
import { parseEventPattern } from './rules.js';

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
  return { Result: explainPattern(pattern, event).matched };
};
