/**
 * The two views of one event (ARCHITECTURE.md, "Two views of one event"): Herald stores CloudEvents;
 * rules made through the EventBridge API see the EventBridge envelope. This file holds the mapping
 * both ways and follows that table exactly:
 *
 *   envelope `id`/`source`/`time` ↔ CloudEvent `id`/`source`/`time`
 *   envelope `detail-type`        ↔ `type`
 *   envelope `detail` (object)    ↔ `data` with `datacontenttype: application/json`
 *   envelope `resources` (array)  ↔ extension `resources`, the JSON-encoded array as a string
 *   envelope `account`/`region`   ← configuration (HERALD_ACCOUNT / HERALD_REGION)
 *   envelope `version`            = "0"
 *   PutEvents `TraceHeader`       → extension `traceparent` (CloudEvents distributed tracing extension)
 *
 * Per-entry PutEvents failures are values with EventBridge's own `PutEventsResultEntry.ErrorCode`
 * strings (API reference, PutEventsResultEntry), never thrown: one bad entry must not fail a batch.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_MAX_JSON_DEPTH, formatJsonPath, scanJson } from './json-limits.js';
import { isJsonMediaType, parseMediaType } from './media-type.js';
import type { CloudEvent } from './types.js';

export interface EventBridgeViewContext {
  account: string;
  region: string;
  /** RFC 3339 time the bus stored the event; EventBridge always has `time`, so it fills a missing one. */
  receivedAt?: string;
}

/** The EventBridge envelope (EventBridge user guide, "Amazon EventBridge events"). */
export interface EventBridgeEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  [key: string]: unknown;
}

/** The EventBridge view of a CloudEvent, as eventbridge-view rules match and transform it. */
export function toEventBridgeView(event: CloudEvent, ctx: EventBridgeViewContext): EventBridgeEnvelope {
  return {
    version: '0',
    id: event.id,
    'detail-type': event.type,
    source: event.source,
    account: ctx.account,
    time: typeof event.time === 'string' ? event.time : (ctx.receivedAt ?? formatAwsTime(new Date())),
    region: ctx.region,
    resources: decodeResources(event.resources),
    detail: detailOf(event),
  };
}

/**
 * `detail` is always a JSON object in EventBridge. Only object `data` of a JSON media type maps to it;
 * in the JSON event format JSON data is already the value (formats-json-format.md §3.1), so a string
 * `data` is a JSON string, never re-parsed. Anything else (arrays, scalars, text, `data_base64`) is
 * invisible to eventbridge-view rules, which see `{}` — documented in docs/transforms.md.
 */
function detailOf(event: CloudEvent): Record<string, unknown> {
  const { data, datacontenttype } = event;
  if (!isPlainObject(data)) return {};
  if (datacontenttype !== undefined) {
    // JSON content is `*/json` or `*/*+json` (formats-json-format.md §3.1.1).
    const media = typeof datacontenttype === 'string' ? parseMediaType(datacontenttype) : undefined;
    if (media === undefined || !isJsonMediaType(media)) return {};
  }
  return data;
}

/**
 * The `resources` extension holds a JSON-encoded array of strings. A producer writing the extension by
 * hand may put a single ARN there instead: a string that is not a JSON array is taken as one resource
 * rather than dropped, so rules on `resources` still see it.
 */
function decodeResources(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value !== 'string') return [String(value)];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.every((r) => typeof r === 'string')) return parsed;
  } catch {
    // not JSON: a single resource, below
  }
  return [value];
}

// ---------------------------------------------------------------------------------------------
// PutEvents entry → CloudEvent
// ---------------------------------------------------------------------------------------------

/** One `PutEventsRequestEntry` as the AWS SDKs send it (AWS JSON 1.1 body, or an in-process object). */
export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  Resources?: unknown;
  /** A Date in process; epoch seconds (AWS JSON 1.1 timestamps) or an ISO 8601 string on the wire. */
  Time?: unknown;
  EventBusName?: unknown;
  TraceHeader?: unknown;
}

/** The `PutEventsResultEntry.ErrorCode` values Herald answers per entry (EventBridge API reference). */
export const PUT_EVENTS_ERROR_CODES = {
  InvalidArgument: 'A specified parameter is not valid.',
  MalformedDetail: 'The JSON provided is not valid.',
} as const;
export type PutEventsErrorCode = keyof typeof PUT_EVENTS_ERROR_CODES;

export type PutEventsEntryResult =
  | { ok: true; event: CloudEvent; eventBusName?: string }
  | { ok: false; code: PutEventsErrorCode; message: string };

export interface PutEventsContext {
  /** Clock for a missing `Time` and for tests; defaults to the system clock. */
  now?: () => Date;
  /** Id generator for tests; defaults to a random UUID, as EventBridge event ids are. */
  newId?: () => string;
  /** Most levels of nesting in the event, counting the envelope (default 64, json-limits.ts). */
  maxJsonDepth?: number;
}

/** EventBridge's entry limit: "The total entry size must be less than 256KB" (eb-putevent-size). */
export const PUT_EVENTS_ENTRY_MAX_BYTES = 256 * 1024;
/** TraceHeader length constraint (API reference, PutEventsRequestEntry): 1–500 characters. */
const TRACE_HEADER_MAX = 500;

/**
 * Maps one PutEvents entry to the CloudEvent Herald stores, or to the per-entry error EventBridge
 * answers. The messages are EventBridge's own for the same faults, so SDK users see familiar text.
 */
export function fromPutEventsEntry(entry: unknown, ctx: PutEventsContext = {}): PutEventsEntryResult {
  if (!isPlainObject(entry)) return invalid('Entry', 'Entry must be an object.');
  const e = entry as PutEventsEntry;
  for (const name of ['Source', 'DetailType', 'Detail'] as const) {
    const value = e[name];
    if (value === undefined || value === null || value === '') {
      return invalid(name, `${name} is a required argument.`);
    }
    if (typeof value !== 'string') return invalid(name, `${name} must be a string.`);
  }
  const source = e.Source as string;
  const detailType = e.DetailType as string;
  const detailText = e.Detail as string;

  let resources: string[] | undefined;
  if (e.Resources !== undefined && e.Resources !== null) {
    if (!Array.isArray(e.Resources) || !e.Resources.every((r) => typeof r === 'string')) {
      return invalid('Resources', 'Resources must be a list of strings.');
    }
    resources = e.Resources as string[];
  }
  const time = parseEntryTime(e.Time, ctx.now ?? (() => new Date()));
  if (time === undefined) return invalid('Time', 'Time must be a timestamp (epoch seconds or ISO 8601).');

  let eventBusName: string | undefined;
  if (e.EventBusName !== undefined && e.EventBusName !== null) {
    if (typeof e.EventBusName !== 'string' || e.EventBusName === '') {
      return invalid('EventBusName', 'EventBusName must be a non-empty string.');
    }
    eventBusName = e.EventBusName;
  }
  let traceHeader: string | undefined;
  if (e.TraceHeader !== undefined && e.TraceHeader !== null) {
    if (typeof e.TraceHeader !== 'string' || e.TraceHeader.length === 0 || e.TraceHeader.length > TRACE_HEADER_MAX) {
      return invalid('TraceHeader', `TraceHeader must be a string of 1 to ${TRACE_HEADER_MAX} characters.`);
    }
    traceHeader = e.TraceHeader;
  }

  const size = putEventsEntrySize({ Source: source, DetailType: detailType, Detail: detailText, Resources: resources, Time: e.Time });
  if (size >= PUT_EVENTS_ENTRY_MAX_BYTES) {
    return invalid('Entry', `Entry size is ${size} bytes; it must be less than ${PUT_EVENTS_ENTRY_MAX_BYTES} bytes.`);
  }

  // Detail becomes the event's data, one level below the event (baseDepth 1). Depth and numbers are
  // checked by the same linear scan as every CloudEvents ingest path (issue 11, items 5 and 7);
  // AWS's own limit is far higher ("PutEvents will only process nested JSON up to 1100 levels deep").
  const maxDepth = ctx.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const [problem] = scanJson(detailText, { maxDepth, baseDepth: 1, checkNumbers: true });
  if (problem?.kind === 'depth') {
    return invalid('Detail', `${formatJsonPath(problem.path, 'detail')} is nested more than ${maxDepth} levels deep; Herald's limit is ${maxDepth} levels.`);
  }
  let detail: unknown;
  try {
    detail = JSON.parse(detailText);
  } catch {
    return { ok: false, code: 'MalformedDetail', message: 'Detail is malformed.' };
  }
  if (problem?.kind === 'number') {
    return invalid('Detail', `${formatJsonPath(problem.path, 'detail')}: ${problem.reason}.`);
  }
  // EventBridge requires Detail to be a JSON object; valid JSON of another type is MalformedDetail too.
  if (!isPlainObject(detail)) return { ok: false, code: 'MalformedDetail', message: 'Detail is malformed.' };

  const event: CloudEvent = {
    specversion: '1.0',
    id: (ctx.newId ?? randomUUID)(),
    source,
    type: detailType,
    time,
    datacontenttype: 'application/json',
    data: detail,
  };
  if (resources !== undefined && resources.length > 0) event.resources = JSON.stringify(resources);
  if (traceHeader !== undefined) Object.assign(event, traceExtension(traceHeader));
  return eventBusName === undefined ? { ok: true, event } : { ok: true, event, eventBusName };
}

function invalid(parameter: string, reason: string): PutEventsEntryResult {
  return { ok: false, code: 'InvalidArgument', message: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

/**
 * EventBridge's own size rule (user guide, "Calculating PutEvents event entry size"): `Time` counts
 * 14 bytes when present; Source, DetailType, Detail and each resource count their UTF-8 bytes.
 */
export function putEventsEntrySize(entry: {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: readonly string[] | undefined;
  Time?: unknown;
}): number {
  let size = entry.Time !== undefined && entry.Time !== null ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail]) {
    if (text !== undefined) size += Buffer.byteLength(text, 'utf8');
  }
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, 'utf8');
  return size;
}

/**
 * `Time` as the SDKs send it: a Date in process; on the wire AWS JSON 1.1 serialises timestamps as
 * epoch seconds (possibly fractional); an ISO 8601 string is accepted too. Absent → now. The envelope
 * format is EventBridge's: whole seconds, UTC, `Z` (e.g. `2015-11-11T21:29:54Z`).
 */
function parseEntryTime(value: unknown, now: () => Date): string | undefined {
  if (value === undefined || value === null) return formatAwsTime(now());
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) date = new Date(Number(value) * 1000);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) date = new Date(value);
  else return undefined;
  return Number.isNaN(date.getTime()) ? undefined : formatAwsTime(date);
}

export function formatAwsTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * TraceHeader → the distributed tracing extension (CloudEvents extensions/distributed-tracing.md),
 * whose `traceparent` must be a W3C Trace Context header. EventBridge carries X-Ray headers
 * (`Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`), which map one to one onto W3C
 * (trace id = time + random, parent id, sampled flag), as the OpenTelemetry X-Ray propagator does.
 * A W3C header passes through. Anything else cannot be a valid `traceparent`, so it is kept verbatim
 * in the `awstraceheader` extension instead of being lost.
 */
export function traceExtension(traceHeader: string): Record<string, string> {
  const w3c = traceHeader.trim().toLowerCase();
  if (/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(w3c) && !w3c.startsWith('ff')) {
    return { traceparent: w3c };
  }
  const fields = new Map<string, string>();
  for (const part of traceHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const root = /^1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})$/.exec(fields.get('Root') ?? '');
  const parent = fields.get('Parent') ?? '';
  if (root && /^[0-9a-fA-F]{16}$/.test(parent)) {
    const flags = fields.get('Sampled') === '1' ? '01' : '00';
    return { traceparent: `00-${(root[1]! + root[2]!).toLowerCase()}-${parent.toLowerCase()}-${flags}` };
  }
  return { awstraceheader: traceHeader };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
