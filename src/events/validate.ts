/**
 * CloudEvents 1.0 validation of one event in its JSON form (spec.md "Context Attributes",
 * formats-json-format.md §2–§3). Every binding decodes to that form first, so this is the one
 * place the attribute rules live.
 */
import { HeraldError } from '../errors/index.js';
import type { CloudEvent } from './types.js';
import {
  isAbsoluteUri,
  isAttributeName,
  isBase64,
  isCloudEventsInteger,
  isRfc3339Timestamp,
  isUriReference,
  stringProblem,
} from './attribute-syntax.js';
import { isMediaType } from './media-type.js';
import { badNumber, DEFAULT_MAX_JSON_DEPTH, tooDeep, valueProblem } from './json-limits.js';

export interface ValidateOptions {
  /**
   * Longest extension attribute name accepted. The spec only says names SHOULD NOT exceed 20
   * characters (spec.md "Naming Conventions"), so by default there is no limit; an operator who
   * wants the SHOULD enforced sets 20.
   */
  maxAttributeNameLength?: number;
  /**
   * Most levels of nesting, counting the event object (default 64, `--max-json-depth`). The HTTP
   * codecs refuse deeper text before parsing it; this catches events built from parsed messages.
   */
  maxJsonDepth?: number;
}

/** The members of the JSON form that are not context attributes (formats-json-format.md §3.1). */
const DATA_MEMBERS = new Set(['data', 'data_base64']);

/**
 * Checks `candidate` against CloudEvents 1.0 and returns it as a CloudEvent. Throws
 * `HeraldError('HERALD_INVALID_EVENT', message, field)` naming the first attribute at fault.
 *
 * Normalisation is limited to what the JSON format requires: an attribute whose value is `null`
 * is unset (formats-json-format.md §2.2, "MUST be treated as the equivalent of unset"), so it is
 * left out of the result. Nothing is added and every other member keeps its value and order.
 */
export function validateEvent(candidate: unknown, opts: ValidateOptions = {}): CloudEvent {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    throw invalid('an event must be a JSON object', undefined);
  }
  const input = candidate as Record<string, unknown>;

  // specversion first: it decides how everything else is read (spec.md "specversion").
  const specversion = input.specversion;
  if (specversion === undefined || specversion === null) throw invalid('specversion: is required', 'specversion');
  if (typeof specversion !== 'string') throw invalid(`specversion: must be a string, got ${describe(specversion)}`, 'specversion');
  if (specversion !== '1.0') {
    throw invalid(
      `specversion: ${quote(specversion)} is not supported; Herald accepts CloudEvents 1.0 ("1.0")`,
      'specversion',
    );
  }
  for (const name of ['id', 'source', 'type'] as const) {
    if (input[name] === undefined || input[name] === null) throw invalid(`${name}: is required`, name);
  }

  checkDataMembers(input);
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (DATA_MEMBERS.has(name)) {
      // A null data_base64 is read as absent, like an unset attribute; data: null is a payload.
      if (value !== undefined && !(name === 'data_base64' && value === null)) event[name] = value;
      continue;
    }
    checkName(name, opts);
    if (value === null || value === undefined) continue; // unset (formats-json-format.md §2.2)
    checkAttribute(name, value);
    event[name] = value;
  }
  // Issue 11, item 5: nothing deeper than the limit reaches the store, whatever path built the event
  // (a source's message included), since reads, matching and transforms recurse into it.
  const problem = valueProblem(event, opts.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH);
  if (problem?.kind === 'depth') throw tooDeep(problem, 'the event');
  if (problem?.kind === 'number') throw badNumber(problem);
  return event as CloudEvent;
}

function checkName(name: string, opts: ValidateOptions): void {
  if (name === '') throw invalid('attribute names must be at least one character long', name);
  if (!isAttributeName(name)) {
    throw invalid(
      `${quote(name)} is not a valid attribute name: names are lower-case letters a-z and digits 0-9 only`,
      name,
    );
  }
  const max = opts.maxAttributeNameLength;
  if (max !== undefined && name.length > max) {
    throw invalid(`${quote(name)} is not a valid attribute name: longer than ${max} characters`, name);
  }
}

function checkAttribute(name: string, value: unknown): void {
  switch (name) {
    case 'specversion':
      return; // checked above
    case 'id':
    case 'type':
    case 'subject':
      checkString(name, value);
      return;
    case 'source': {
      const text = checkString(name, value);
      if (!isUriReference(text)) {
        throw invalid(`source: ${quote(text)} is not a URI-reference (RFC 3986 §4.1)`, name);
      }
      return;
    }
    case 'dataschema': {
      const text = checkString(name, value);
      if (!isAbsoluteUri(text)) throw invalid(`dataschema: ${quote(text)} is not an absolute URI (RFC 3986 §3)`, name);
      return;
    }
    case 'time': {
      const text = checkString(name, value);
      if (!isRfc3339Timestamp(text)) throw invalid(`time: ${quote(text)} is not an RFC 3339 timestamp`, name);
      return;
    }
    case 'datacontenttype': {
      const text = checkString(name, value);
      if (!isMediaType(text)) throw invalid(`datacontenttype: ${quote(text)} is not an RFC 2046 media type`, name);
      return;
    }
    default:
      checkExtensionValue(name, value);
  }
}

/** Core string attributes: a non-empty `String` (spec.md "REQUIRED Attributes", "subject"). */
function checkString(name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(`${name}: must be a string, got ${describe(value)}`, name);
  if (value === '') throw invalid(`${name}: must be a non-empty string`, name);
  const problem = stringProblem(value);
  if (problem !== undefined) throw invalid(`${name}: ${problem}`, name);
  return value;
}

/**
 * Extension values use the same type system (spec.md "Extension Context Attributes"); in JSON
 * that is a string, an integer number within the 32-bit Integer range, or a boolean
 * (formats-json-format.md §2.2). Objects, arrays and fractional numbers have no CloudEvents type.
 */
function checkExtensionValue(name: string, value: unknown): void {
  if (typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw invalid(`${name}: ${value} is not an integer; extension values are strings, integers or booleans`, name);
    if (!isCloudEventsInteger(value)) {
      throw invalid(`${name}: ${value} is outside the CloudEvents Integer range -2147483648..2147483647`, name);
    }
    return;
  }
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    if (problem !== undefined) throw invalid(`${name}: ${problem}`, name);
    return;
  }
  throw invalid(`${name}: extension values must be a string, an integer or a boolean, got ${describe(value)}`, name);
}

/**
 * `data` and `data_base64` are mutually exclusive (formats-json-format.md §3.1.1). `data` may be
 * any JSON value including an explicit `null` payload; `data_base64` must be RFC 4648 base64.
 */
function checkDataMembers(input: Record<string, unknown>): void {
  const hasData = input.data !== undefined;
  const base64 = input.data_base64;
  if (base64 === undefined || base64 === null) return;
  if (hasData) throw invalid('data_base64: an event carries either data or data_base64, never both', 'data_base64');
  if (typeof base64 !== 'string') throw invalid(`data_base64: must be a base64 string, got ${describe(base64)}`, 'data_base64');
  if (!isBase64(base64)) throw invalid('data_base64: is not valid base64 (RFC 4648 §4)', 'data_base64');
}

function invalid(message: string, field: string | undefined): HeraldError {
  return new HeraldError('HERALD_INVALID_EVENT', message, field);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return `${typeof value} ${String(value)}`;
}
