/**
 * What targets put on the wire, in CloudEvents binary mode: the payload is the delivered event's
 * data and the attributes travel beside it — `ce-` headers in the NATS binding §3.1,
 * `cloudEvents:`-prefixed application properties in the AMQP binding §3.1.3.1, MQTT v5 user
 * properties named like the attributes in the MQTT binding §3.1; `datacontenttype` goes into the
 * protocol's own content-type slot. Same rules as the HTTP target's binary mode.
 *
 * The delivered event: with no transform (`wholeEvent`) the event itself; otherwise the event's
 * attributes with the transformed body as its data and the body's content type.
 */
import { encodeBinary } from '../../events/index.js';
import type { CloudEvent } from '../../events/types.js';
import type { OutboundMessage } from '../types.js';

export interface EncodedMessage {
  bytes: Buffer;
  /** The content type of `bytes` (the delivered event's datacontenttype). */
  contentType: string;
  /** Every other attribute and extension of the delivered event, as strings. */
  attributes: Array<[string, string]>;
}

export function deliveredEvent(message: OutboundMessage): CloudEvent {
  if (message.wholeEvent) return message.event;
  const attributes: CloudEvent = { ...message.event };
  delete attributes.data;
  delete attributes.data_base64;
  const body = message.body;
  if (Buffer.isBuffer(body)) return { ...attributes, datacontenttype: message.contentType ?? 'application/octet-stream', data_base64: body.toString('base64') };
  const contentType = message.contentType ?? (typeof body === 'string' ? 'text/plain' : 'application/json');
  if (body === undefined) return { ...attributes, datacontenttype: contentType };
  return { ...attributes, datacontenttype: contentType, data: body };
}

/** CloudEvent attributes except the data members and datacontenttype, as strings. */
export function eventAttributes(event: CloudEvent): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(event)) {
    if (name === 'data' || name === 'data_base64' || name === 'datacontenttype' || value === undefined || value === null) continue;
    out.push([name, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return out;
}

export function encodeMessage(message: OutboundMessage): EncodedMessage {
  const event = deliveredEvent(message);
  const { body, headers } = encodeBinary(event);
  return {
    bytes: body,
    contentType: headers['content-type'] ?? event.datacontenttype ?? 'application/json',
    attributes: eventAttributes(event),
  };
}
