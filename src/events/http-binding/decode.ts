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
  opts?: ValidateOptions,
): DecodedRequest {
  if (limits.maxRequestBytes !== undefined && parts.body.length > limits.maxRequestBytes) {
    throw new HeraldError(
      'HERALD_REQUEST_TOO_LARGE',
      `request body is ${parts.body.length} bytes; the limit is ${limits.maxRequestBytes}`,
      undefined,
      { size: parts.body.length, limit: limits.maxRequestBytes },
    );
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

  // Binary mode (§3.1). Missing ce-specversion among other ce- headers is reported by validation.
  const candidate = readBinaryEvent(parts);
  checkEventSize(candidate, limits.maxEventBytes);
  return { mode: 'binary', event: validateEvent(candidate, opts) };
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
