import type { ErrorCode } from '../../errors/index.js';
import type { CloudEvent } from '../types.js';

/** The parts of an HTTP request the codecs read; the server hands these over as received. */
export interface HttpRequestParts {
  /** The Content-Type header, or undefined when absent. */
  contentType: string | undefined;
  /** All headers; names in any case (Node lower-cases them, callers need not). */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The headers exactly as received, `[name, value, name, value, …]` (Node's `rawHeaders`). Node
   * joins a repeated header into one value ("a, b"), so only this list shows that a `ce-` attribute
   * or Content-Type came twice. Optional for callers that build requests themselves.
   */
  rawHeaders?: readonly string[];
  body: Buffer;
}

export interface DecodeLimits {
  /** Largest event, in bytes of its structured JSON form (`JSON.stringify(event)`, UTF-8). */
  maxEventBytes: number;
  /** Most entries a batch may hold. */
  maxBatchEvents: number;
  /** Largest request body in bytes; unchecked when absent (the server may enforce it earlier). */
  maxRequestBytes?: number;
  /** Most levels of JSON nesting in an event, counting the event object (default 64, json-limits.ts). */
  maxJsonDepth?: number;
}

export type ContentMode = 'binary' | 'structured' | 'batch';

export interface BatchEntryFailure {
  ok: false;
  /** Position of the entry in the batch array, from 0. */
  index: number;
  code: ErrorCode;
  message: string;
  field: string | undefined;
}

export type BatchEntry = { ok: true; event: CloudEvent } | BatchEntryFailure;

export type DecodedRequest =
  | { mode: 'binary' | 'structured'; event: CloudEvent }
  | { mode: 'batch'; entries: BatchEntry[] };

/** An HTTP message ready to send: lower-case header names, the body as bytes. */
export interface EncodedMessage {
  headers: Record<string, string>;
  body: Buffer;
}
