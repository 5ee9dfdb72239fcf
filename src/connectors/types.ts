/**
 * The connector seam (STYLE.md habit 5): a connector is a plain object — kind, name, a JSON Schema
 * for its config, and a constructor — listed explicitly in src/connectors/registry.ts.
 */
import type { CloudEvent } from '../events/types.js';

/** A JSON Schema (draft 2020-12 subset) describing a connector's config; it drives validation and docs. */
export type JsonSchema = Record<string, unknown>;

/** One message handed to a target: the event after the rule's transform, plus what identifies it. */
export interface OutboundMessage {
  /** The original event (in CloudEvents form) — for attributes, templates and CloudEvents modes. */
  event: CloudEvent;
  /** The transformed payload the target should carry (the rule's transform already applied). */
  body: unknown;
  /** Stable across redeliveries of the same (event, rule, target): `{event id}:{target}` style key. */
  idempotencyKey: string;
  /** Herald's delivery id (unique per (event, rule, target)). */
  deliveryId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The body's media type after the transform (`application/json` or `text/plain`). */
  contentType?: string;
  /** True when `body` is the event itself (no transform, or `{kind:'event'}`), not a part of it. */
  wholeEvent?: boolean;
}

/** What a send may hand back: a reply event (a Knative-style reply, published when the rule asks). */
export interface SendResult {
  replies?: CloudEvent[];
  /** The far side's status code, where the protocol has one (HTTP), for the trace. */
  status?: number;
}

export interface TargetContext {
  /** Resolves a named connection (`/v1/connections`) to its secret fields; throws when unknown. */
  connection(name: string): Promise<Record<string, string>>;
  log: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export interface TargetInstance {
  /**
   * Sends messages; resolves when every one is accepted by the far side (acked, confirmed,
   * committed). Throws RetryableError / PermanentError / BackOffError / TargetGoneError /
   * PartialBatchError from src/delivery/errors.ts to tell the engine what to do.
   */
  send(messages: OutboundMessage[]): Promise<void | SendResult>;
  close(): Promise<void>;
}

export interface TargetConnector<Config = Record<string, unknown>> {
  kind: 'target';
  /** The URI scheme / type name, e.g. `nats`, `mqtt`, `amqp`, `redis`, `postgres`. */
  name: string;
  description: string;
  configSchema: JsonSchema;
  /** Validates a raw config; throws a HeraldError naming the field. Returns the typed config. */
  validate(raw: unknown): Config;
  create(config: Config, ctx: TargetContext): Promise<TargetInstance>;
}

/** Where a source puts what it reads. Resolves only after the events are durably stored on the bus. */
export interface SourceSink {
  publish(events: CloudEvent[]): Promise<Array<{ sequence: number; duplicate: boolean } | { error: { code: string; message: string } }>>;
}

export interface SourceStatus {
  state: 'starting' | 'running' | 'reconnecting' | 'stopped' | 'failed';
  lag?: number;
  lastError?: string;
  lastEventAt?: string;
}

export interface SourceInstance {
  status(): SourceStatus;
  stop(): Promise<void>;
}

export interface SourceContext extends TargetContext {
  sink: SourceSink;
  /** Injectable clock (schedules use it in tests). */
  now(): Date;
  /**
   * When the stored source was created (the runtime passes its `createdAt`); absent, the source takes
   * the time it starts. A schedule never fires for an instant before it (issue 10, item 9).
   */
  createdAt?: Date;
}

export interface SourceConnector<Config = Record<string, unknown>> {
  kind: 'source';
  name: string;
  description: string;
  configSchema: JsonSchema;
  validate(raw: unknown): Config;
  start(name: string, config: Config, ctx: SourceContext): Promise<SourceInstance>;
}
