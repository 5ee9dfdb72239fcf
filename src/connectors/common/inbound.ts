/**
 * How sources turn what they read into CloudEvents — one mapping for every source:
 *   id      a stable upstream identity (JetStream stream sequence, Redis entry id, outbox row id, …),
 *           so reading the same message again yields the same (source, id) and the bus dedupes it;
 *   source  a URI naming where it came from (`nats://127.0.0.1:4222/orders.created`);
 *   type    a `ce-type` header when the message has one, else the configured default;
 *   data    the payload parsed as JSON when it is JSON (datacontenttype application/json), else
 *           UTF-8 text (text/plain), else `data_base64` (application/octet-stream).
 * Other `ce-*` headers (subject, time, extensions) are carried over; `ce-id`/`ce-source` are not,
 * because the upstream identity is what makes re-reads dedupe.
 */
import { createHash } from 'node:crypto';
import type { CloudEvent } from '../../events/types.js';

export interface InboundMessage {
  id: string;
  source: string;
  defaultType: string;
  payload: Buffer | string;
  /** Header names are matched case-insensitively. */
  headers?: Record<string, string | undefined>;
  contentType?: string;
  subject?: string;
  time?: Date;
}

const EXTENSION = /^[a-z0-9]{1,20}$/;
const RESERVED = new Set(['id', 'source', 'specversion', 'type', 'data', 'data_base64', 'datacontenttype']);

function isUtf8Text(bytes: Buffer): boolean {
  // Round-tripping proves valid UTF-8; control characters other than whitespace mean binary.
  const text = bytes.toString('utf8');
  // eslint-disable-next-line no-control-regex
  return Buffer.from(text, 'utf8').equals(bytes) && !/[\u0000-\u0008\u000e-\u001f]/.test(text);
}

export function decodePayload(payload: Buffer | string, contentType?: string): Pick<CloudEvent, 'data' | 'data_base64' | 'datacontenttype'> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const declaredJson = contentType === undefined || /json/i.test(contentType);
  if (bytes.length > 0 && declaredJson && isUtf8Text(bytes)) {
    try {
      return { data: JSON.parse(bytes.toString('utf8')) as unknown, datacontenttype: 'application/json' };
    } catch {
      // not JSON: fall through to text
    }
  }
  if (bytes.length === 0) return {};
  if (isUtf8Text(bytes)) return { data: bytes.toString('utf8'), datacontenttype: contentType && !/json/i.test(contentType) ? contentType : 'text/plain' };
  return { data_base64: bytes.toString('base64'), datacontenttype: contentType ?? 'application/octet-stream' };
}

export function toCloudEvent(message: InboundMessage): CloudEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const event: CloudEvent = {
    specversion: '1.0',
    id: message.id,
    source: message.source,
    type: headers['ce-type'] || message.defaultType,
    ...decodePayload(message.payload, message.contentType ?? headers['content-type']),
  };
  if (message.time) event.time = message.time.toISOString();
  if (message.subject !== undefined) event.subject = message.subject;
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-')) continue;
    const attr = name.slice(3);
    if (RESERVED.has(attr) || !EXTENSION.test(attr)) continue;
    event[attr] = value;
  }
  return event;
}

/**
 * A content hash, for sources whose config asks for it (`idFrom: "hash"` on MQTT and AMQP): identical
 * messages then share one id and collapse into one event. Never the default: genuine repeats are
 * distinct events (issue 10, item 9).
 */
export function contentId(...parts: Array<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part);
    hash.update('\u0000');
  }
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}
