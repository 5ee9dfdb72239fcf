/**
 * Structured and batched content modes (bindings-http-protocol-binding.md §3.2, §3.3) with the
 * JSON event format (formats-json-format.md §3) and JSON batch format (§4).
 */
import { HeraldError, isHeraldError } from '../../errors/index.js';
import type { CloudEvent } from '../types.js';
import { validateEvent, type ValidateOptions } from '../validate.js';
import { badNumber, DEFAULT_MAX_JSON_DEPTH, parseLimitedJson, scanJson, tooDeep, type JsonProblem } from '../json-limits.js';
import type { BatchEntry, DecodeLimits, EncodedMessage } from './types.js';

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';
export const BATCH_CONTENT_TYPE = 'application/cloudevents-batch+json; charset=utf-8';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A JSON body as text; bad UTF-8 is a request-level fault (400). */
function bodyText(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new HeraldError('HERALD_MALFORMED_REQUEST', 'body: is not valid UTF-8 (JSON must be UTF-8, RFC 8259 §8.1)', 'body');
  }
}

const malformed = (error: Error): HeraldError =>
  new HeraldError('HERALD_MALFORMED_REQUEST', `body: is not valid JSON: ${error.message}`, 'body');

/**
 * Parses a JSON body whose root is one event: deeper than the limit is HERALD_TOO_DEEP, a number a
 * float cannot hold is HERALD_INVALID_EVENT naming its member (json-limits.ts), bad JSON is 400.
 */
export function parseEventJson(body: Buffer, maxJsonDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  return parseLimitedJson(bodyText(body), { maxDepth: maxJsonDepth, checkNumbers: true, what: 'the event', onSyntaxError: malformed });
}

/** Bytes of an event's structured JSON form, the measure of `maxEventBytes`. */
export function structuredSize(candidate: unknown): number {
  return Buffer.byteLength(JSON.stringify(candidate) ?? '', 'utf8');
}

/** Throws HERALD_EVENT_TOO_LARGE when the event's structured form exceeds the limit. */
export function checkEventSize(candidate: unknown, maxEventBytes: number): void {
  const size = structuredSize(candidate);
  if (size > maxEventBytes) {
    throw new HeraldError(
      'HERALD_EVENT_TOO_LARGE',
      `event is ${size} bytes in its structured JSON form; the limit is ${maxEventBytes}`,
      undefined,
      { size, limit: maxEventBytes },
    );
  }
}

/** One event in structured mode: the body is one JSON object (formats-json-format.md §3). */
export function decodeStructuredBody(body: Buffer, limits: DecodeLimits, opts?: ValidateOptions): CloudEvent {
  const candidate = parseEventJson(body, limits.maxJsonDepth);
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    const hint = Array.isArray(candidate) ? '; to send several events use Content-Type application/cloudevents-batch+json' : '';
    throw new HeraldError('HERALD_MALFORMED_REQUEST', `body: a structured CloudEvent must be a JSON object${hint}`, 'body');
  }
  checkEventSize(candidate, limits.maxEventBytes);
  return validateEvent(candidate, opts);
}

/**
 * A batch: a JSON array of structured events (formats-json-format.md §4.1). The request fails only
 * as a whole for faults of the request itself (not JSON, not an array, too many entries); each
 * entry that is too large or invalid fails alone, reported at its index, in order.
 */
export function decodeBatchBody(body: Buffer, limits: DecodeLimits, opts?: ValidateOptions): BatchEntry[] {
  const text = bodyText(body);
  // Each entry is an event: the array itself is not a level (baseDepth -1). Entries that are too deep
  // or hold a number a float cannot carry fail alone; the scan runs before anything recursive.
  const maxDepth = limits.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const problems = scanJson(text, { maxDepth, baseDepth: -1, checkNumbers: true, perEntry: true });
  const byEntry = new Map<number, JsonProblem>();
  for (const problem of problems) {
    const [index] = problem.path;
    if (typeof index === 'number') byEntry.set(index, problem);
    else if (problem.kind === 'depth') throw tooDeep(problem, 'the batch');
  }
  let batch: unknown;
  try {
    batch = JSON.parse(text);
  } catch (error) {
    // An engine whose JSON.parse recurses may run out of stack on an entry deeper than the limit.
    if (error instanceof RangeError) throw new HeraldError('HERALD_TOO_DEEP', `body: the batch is nested too deep to parse (the limit is ${maxDepth} levels per event)`, 'body', { limit: maxDepth });
    throw malformed(error as Error);
  }
  if (!Array.isArray(batch)) {
    throw new HeraldError('HERALD_MALFORMED_REQUEST', 'body: a CloudEvents batch must be a JSON array', 'body');
  }
  if (batch.length > limits.maxBatchEvents) {
    throw new HeraldError(
      'HERALD_BATCH_TOO_LARGE',
      `batch holds ${batch.length} events; the limit is ${limits.maxBatchEvents}`,
      undefined,
      { count: batch.length, limit: limits.maxBatchEvents },
    );
  }
  return batch.map((candidate, index): BatchEntry => {
    try {
      const problem = byEntry.get(index);
      if (problem !== undefined) {
        const inEntry = { ...problem, path: problem.path.slice(1) };
        throw inEntry.kind === 'depth' ? tooDeep(inEntry, 'the event') : badNumber(inEntry);
      }
      checkEventSize(candidate, limits.maxEventBytes);
      return { ok: true, event: validateEvent(candidate, opts) };
    } catch (error) {
      if (!isHeraldError(error)) throw error;
      return { ok: false, index, code: error.code, message: error.message, field: error.field };
    }
  });
}

/** A structured-mode message (§3.2): the JSON form as body, the JSON format's media type. */
export function encodeStructured(event: CloudEvent): EncodedMessage {
  return {
    headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
    body: Buffer.from(JSON.stringify(event), 'utf8'),
  };
}

/** A batched-mode message (§3.3) of the given events, in order. */
export function encodeBatch(events: readonly CloudEvent[]): EncodedMessage {
  return {
    headers: { 'content-type': BATCH_CONTENT_TYPE },
    body: Buffer.from(JSON.stringify(events), 'utf8'),
  };
}
