/**
 * Binary content mode (bindings-http-protocol-binding.md §3.1): attributes in `ce-*` headers,
 * `datacontenttype` in Content-Type, the data as the body.
 */
import { HeraldError } from '../../errors/index.js';
import type { CloudEvent } from '../types.js';
import { isJsonMediaType, isTextMediaType, isUtf8Charset, parseMediaType } from '../media-type.js';
import { DEFAULT_MAX_JSON_DEPTH, parseLimitedJson } from '../json-limits.js';
import { decodeHeaderValue, encodeHeaderValue, HeaderValueError } from './header-value.js';
import type { EncodedMessage, HttpRequestParts } from './types.js';

const PREFIX = 'ce-';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** True when any header is a CloudEvents attribute header (`ce-…`, any case, §3.1.3.1). */
export function hasCloudEventsHeaders(headers: HttpRequestParts['headers']): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase().startsWith(PREFIX) && headers[name] !== undefined);
}

/**
 * Builds the JSON form of the event carried in binary mode. The result is not yet validated:
 * the caller measures and validates it like any structured event.
 */
export function readBinaryEvent(parts: HttpRequestParts, maxJsonDepth = DEFAULT_MAX_JSON_DEPTH): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [rawName, rawValue] of Object.entries(parts.headers)) {
    if (rawValue === undefined) continue;
    const header = rawName.toLowerCase();
    if (!header.startsWith(PREFIX)) continue;
    const attribute = header.slice(PREFIX.length);
    if (attribute === 'datacontenttype') {
      // §3.1.1: "a ce-datacontenttype HTTP header MUST NOT also be present in the message".
      throw new HeraldError(
        'HERALD_MALFORMED_REQUEST',
        'ce-datacontenttype is not allowed in binary mode: send the data content type as Content-Type',
        header,
      );
    }
    if (attribute === 'data' || attribute === 'data_base64') {
      // `data` is reserved (spec.md "Naming Conventions") and data_base64 is a JSON-format member,
      // not an attribute (formats-json-format.md §3.1.1): in binary mode the data is the body.
      throw new HeraldError('HERALD_INVALID_EVENT', `${header}: "${attribute}" is not an attribute name; in binary mode the data is the body`, attribute);
    }
    if (Array.isArray(rawValue) && rawValue.length !== 1) {
      // A context attribute appears at most once (spec.md "Context Attributes").
      throw new HeraldError('HERALD_MALFORMED_REQUEST', `${header}: header given ${rawValue.length} times; an attribute appears at most once`, header);
    }
    if (Object.prototype.hasOwnProperty.call(event, attribute)) {
      throw new HeraldError('HERALD_MALFORMED_REQUEST', `${header}: header given more than once; an attribute appears at most once`, header);
    }
    const raw = Array.isArray(rawValue) ? rawValue[0] : rawValue;
    try {
      // Binary mode has no types: every value is the attribute's canonical string (§3.1.3.2).
      event[attribute] = decodeHeaderValue(raw);
    } catch (error) {
      if (error instanceof HeaderValueError) {
        throw new HeraldError('HERALD_MALFORMED_REQUEST', `${header}: ${error.message}`, header);
      }
      throw error;
    }
  }
  if (parts.contentType !== undefined && parts.contentType.trim() !== '') {
    event.datacontenttype = parts.contentType.trim(); // §3.1.1
  }
  readBody(parts.body, event, maxJsonDepth);
  return event;
}

/**
 * The body is the data (§3.1.2). Herald keeps it in the JSON form's terms
 * (formats-json-format.md §3.1.1): JSON content is parsed into `data`; text in UTF-8 is kept as
 * a string `data`; anything else (or text in another charset, whose bytes must survive
 * unchanged) becomes `data_base64`. An empty body means the event has no data.
 */
function readBody(body: Buffer, event: Record<string, unknown>, maxJsonDepth: number): void {
  if (body.length === 0) return;
  const contentType = event.datacontenttype;
  // Without a Content-Type nothing can be assumed about the bytes (formats-json-format.md §3.1.2).
  const media = typeof contentType === 'string' ? parseMediaType(contentType) : undefined;
  if (media !== undefined && isJsonMediaType(media)) {
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      throw new HeraldError('HERALD_MALFORMED_REQUEST', 'body: JSON data is not valid UTF-8', 'body');
    }
    // The data is the event's `data` member: one level below the event (baseDepth 1), and its
    // members are named from `data` in errors (`data.big`).
    event.data = parseLimitedJson(text, {
      maxDepth: maxJsonDepth,
      baseDepth: 1,
      checkNumbers: true,
      prefix: 'data',
      what: 'the data',
      onSyntaxError: (error) => new HeraldError('HERALD_MALFORMED_REQUEST', `body: Content-Type says JSON but the body does not parse: ${error.message}`, 'body'),
    });
    return;
  }
  if (media !== undefined && isTextMediaType(media) && isUtf8Charset(media.parameters.charset)) {
    try {
      event.data = UTF8.decode(body);
      return;
    } catch {
      // Not UTF-8 after all: keep the exact bytes rather than guess.
    }
  }
  event.data_base64 = body.toString('base64');
}

/** The canonical string encoding of an attribute value (spec.md "Type System"). */
function canonicalString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Renders a valid CloudEvent as a binary-mode HTTP message (§3.1), the inverse of the decoder:
 * every attribute but `datacontenttype` as a percent-encoded `ce-` header, `datacontenttype` as
 * Content-Type, the data as the body. An event with `data` and no `datacontenttype` gets
 * `application/json`, the implied type made explicit (spec.md "datacontenttype": "the target
 * datacontenttype SHOULD be set explicitly").
 */
export function encodeBinary(event: CloudEvent): EncodedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64' || name === 'datacontenttype') continue;
    if (value === undefined || value === null) continue;
    headers[`${PREFIX}${name}`] = encodeHeaderValue(canonicalString(value));
  }
  let body = Buffer.alloc(0);
  const contentType = typeof event.datacontenttype === 'string' ? event.datacontenttype : undefined;
  if (event.data_base64 !== undefined) {
    body = Buffer.from(event.data_base64, 'base64');
    if (contentType !== undefined) headers['content-type'] = contentType;
  } else if (event.data !== undefined) {
    const media = contentType === undefined ? undefined : parseMediaType(contentType);
    const isJson = media === undefined || isJsonMediaType(media);
    headers['content-type'] = contentType ?? 'application/json';
    // Non-JSON content in the JSON form is its encoded string (formats-json-format.md §3.1.1).
    body = Buffer.from(!isJson && typeof event.data === 'string' ? event.data : JSON.stringify(event.data), 'utf8');
  } else if (contentType !== undefined) {
    // datacontenttype MAY appear without data (spec.md "datacontenttype").
    headers['content-type'] = contentType;
  }
  return { headers, body };
}
