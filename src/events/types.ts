/**
 * A CloudEvent in its JSON format (formats-json-format.md §3): context attributes as members,
 * `data` (any JSON value) or `data_base64` (binary), never both. This is the form Herald stores
 * and the `cloudevent` view patterns see.
 */
export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  dataschema?: string;
  datacontenttype?: string;
  data?: unknown;
  data_base64?: string;
  /** Extension attributes: lower-case a–z0–9 names, values string | integer | boolean. */
  [extension: string]: unknown;
}

export const REQUIRED_ATTRIBUTES = ['id', 'source', 'specversion', 'type'] as const;
export const OPTIONAL_ATTRIBUTES = ['datacontenttype', 'dataschema', 'subject', 'time'] as const;

/** An event as stored on a bus: Herald's sequence and receive time beside it, never inside it. */
export interface StoredEvent {
  sequence: number;
  /** RFC 3339 time the bus durably stored the event. */
  receivedAt: string;
  event: CloudEvent;
}
