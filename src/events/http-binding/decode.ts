/**
 * Chooses the content mode of an incoming request and decodes it
 * (bindings-http-protocol-binding.md §3): a Content-Type starting with
 * `application/cloudevents-batch` is batched mode, one starting with `application/cloudevents` is
 * structured mode, anything else is binary mode — which Herald takes only when the request carries
 * `ce-` headers, since otherwise nothing says the request is an event at all.
 */
import { HeraldError } from '../../errors/index.js';
import { isJsonMediaType, isUtf8Charset, parseMediaType, type MediaType } from '../media-type.js';
import { validateEvent, type ValidateOptions } from '../validate.js';
import { hasCloudEventsHeaders, readBinaryEvent } from './binary.js';
import { checkEventSize, decodeBatchBody, decodeStructuredBody } from './structured.js';
import type { DecodedRequest, DecodeLimits, HttpRequestParts } from './types.js';

const STRUCTURED = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch+json';

export function decodeHttpRequest(
  parts: HttpRequestParts,
  limits: DecodeLimits,
  validateOptions?: ValidateOptions,
): DecodedRequest {
  const opts: ValidateOptions = limits.maxJsonDepth === undefined ? { ...validateOptions } : { maxJsonDepth: limits.maxJsonDepth, ...validateOptions };
  if (limits.maxRequestBytes !== undefined && parts.body.length > limits.maxRequestBytes) {
    throw new HeraldError(
      'HERALD_REQUEST_TOO_LARGE',
      `request body is ${parts.body.length} bytes; the limit is ${limits.maxRequestBytes}`,
      undefined,
      { size: parts.body.length, limit: limits.maxRequestBytes },
    );
  }
  // Content-Type is a singleton field (RFC 9110 §8.3): two of them, which Node joins into one
  // "a, b" value, leave the body's media type unknown.
  const repeatedContentType = repeatedHeader(parts.rawHeaders, (name) => name === 'content-type');
  if (repeatedContentType !== undefined) {
    throw new HeraldError('HERALD_MALFORMED_REQUEST', 'content-type: header given more than once; a request has one media type (RFC 9110 §8.3)', 'content-type');
  }
  const contentType = parts.contentType?.trim() ?? '';
  const lower = contentType.toLowerCase();

  // §3: the receiver tells the modes apart by the Content-Type prefix, matched case-insensitively.
  if (lower.startsWith('application/cloudevents-batch')) {
    checkJsonFormat(contentType, BATCH);
    return { mode: 'batch', entries: decodeBatchBody(parts.body, limits, opts) };
  }
  if (lower.startsWith('application/cloudevents')) {
    checkJsonFormat(contentType, STRUCTURED);
    return { mode: 'structured', event: decodeStructuredBody(parts.body, limits, opts) };
  }

  if (!hasCloudEventsHeaders(parts.headers)) {
    const media = contentType === '' ? undefined : parseMediaType(contentType);
    if (media !== undefined && isJsonMediaType(media)) {
      // The common mistake: a JSON event POSTed as application/json. Say how to send it.
      throw new HeraldError(
        'HERALD_MALFORMED_REQUEST',
        'not a CloudEvent: a JSON body without ce- headers must be sent as Content-Type ' +
          `${STRUCTURED} (structured mode) or ${BATCH} (batched mode); ` +
          'to send the body as the event data, add ce-specversion, ce-id, ce-source and ce-type headers (binary mode)',
        'content-type',
      );
    }
    throw new HeraldError(
      'HERALD_UNSUPPORTED_MEDIA_TYPE',
      `not a CloudEvent: Content-Type ${contentType === '' ? '(none)' : JSON.stringify(contentType)} without ce- headers; ` +
        `send ${STRUCTURED}, ${BATCH}, or the data with ce-specversion, ce-id, ce-source and ce-type headers (binary mode)`,
      'content-type',
    );
  }

  // Binary mode (§3.1). §3.1.3: each attribute is mapped "to and from distinct HTTP message header",
  // so a repeated ce- header is a malformed message, not a list: refuse it before Node's merged
  // "a, b" value could be stored as an attribute (issue 11, item 8).
  const repeated = repeatedHeader(parts.rawHeaders, (name) => name.startsWith('ce-'));
  if (repeated !== undefined) {
    throw new HeraldError('HERALD_MALFORMED_REQUEST', `${repeated}: header given more than once; each attribute is one header (HTTP binding §3.1.3)`, repeated);
  }
  // Missing ce-specversion among other ce- headers is reported by validation.
  const candidate = readBinaryEvent(parts, limits.maxJsonDepth);
  checkEventSize(candidate, limits.maxEventBytes);
  return { mode: 'binary', event: validateEvent(candidate, opts) };
}

/** The lower-case name of the first header that `matches` and appears more than once, if any. */
function repeatedHeader(rawHeaders: readonly string[] | undefined, matches: (lowerName: string) => boolean): string | undefined {
  if (rawHeaders === undefined) return undefined;
  const seen = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    if (!matches(name)) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/**
 * Herald reads the JSON event format only; another format (`application/cloudevents+avro`, §3)
 * or a charset other than UTF-8 (JSON is UTF-8, RFC 8259 §8.1) is unsupported.
 */
function checkJsonFormat(contentType: string, expected: string): MediaType {
  const media = parseMediaType(contentType);
  if (media === undefined || media.essence !== expected) {
    throw new HeraldError(
      'HERALD_UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${JSON.stringify(contentType)} is not supported: Herald reads the JSON format, ${expected}`,
      'content-type',
    );
  }
  if (!isUtf8Charset(media.parameters.charset)) {
    throw new HeraldError(
      'HERALD_UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${JSON.stringify(contentType)} is not supported: JSON events must be UTF-8`,
      'content-type',
    );
  }
  return media;
}
