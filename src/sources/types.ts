/**
 * Sources inside Herald (issue 6): a stored source definition, its live status, and the runtime that
 * keeps every enabled source running — started, restarted and stopped as definitions change, without
 * a server restart.
 */
import type { SourceInstance, SourceStatus } from '../connectors/types.js';
import type { ConnectionRow } from '../store/index.js';

export const SOURCE_STATES = ['enabled', 'disabled'] as const;
export type SourceState = (typeof SOURCE_STATES)[number];

/** What a client PUTs to `/v1/sources/{name}`. */
export interface SourceSpec {
  /** A source connector name: `nats`, `mqtt`, `amqp`, `redis`, `postgres-outbox`, `webhook`, `schedule`. */
  type: string;
  /** The bus the source appends to; it must exist when the source is saved. */
  bus: string;
  /** The connector's own settings, checked against its config schema. */
  config: Record<string, unknown>;
  /** @defaultValue 'enabled' */
  state?: SourceState;
  description?: string;
  /**
   * CloudEvent extension attributes set on every event the source produces (names `[a-z0-9]{1,20}`,
   * string values). The EventBridge API uses it for a scheduled rule's `resources`.
   */
  extensions?: Record<string, string>;
}

/** A saved source, with defaults applied. */
export interface SourceRecord extends Required<Pick<SourceSpec, 'type' | 'bus' | 'config' | 'state'>> {
  name: string;
  description: string;
  extensions?: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

/** The live side of a source: `stopped` when disabled, `failed` when it could not start. */
export type SourceRuntimeStatus = SourceStatus;

export interface SourceView extends SourceRecord {
  status: SourceRuntimeStatus;
}

/** Headers and body of a webhook request, as the webhook source's `handle` takes them. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SourcesRuntime {
  list(): Promise<SourceView[]>;
  get(name: string): Promise<SourceView | undefined>;
  /**
   * Validates, stores and (re)starts or stops the source to match the spec. Resolves once the new
   * instance has started (or failed to: the status says why) — `created` tells a new name from a
   * replaced one.
   */
  put(name: string, spec: unknown): Promise<{ source: SourceView; created: boolean }>;
  /** Stops and deletes the source; false when there was none. */
  delete(name: string): Promise<boolean>;
  /**
   * After the stored definition was written (or deleted) outside put/delete — by POST /v1/apply's
   * one transaction: starts, restarts or stops the source to match what is stored now.
   */
  refresh(name: string): Promise<void>;
  /** The running instance of a source, if any (the webhook route hands requests to it). */
  instance(name: string): SourceInstance | undefined;
  /** The runtime's clock (injected in tests): schedules made through the EventBridge API start from it. */
  now(): Date;
  /** Stops every instance (server shutdown); stored definitions are kept. */
  stop(): Promise<void>;
}

/** A connection as the API shows it: secret keys, never their values. */
export interface ConnectionView {
  name: string;
  type?: string;
  description: string;
  keys: string[];
  updatedAt: string;
}

export interface ConnectionStore {
  list(): Promise<ConnectionView[]>;
  get(name: string): Promise<ConnectionView | undefined>;
  put(name: string, spec: unknown): Promise<{ connection: ConnectionView; created: boolean }>;
  delete(name: string): Promise<boolean>;
  /** After a connection was written or deleted outside put/delete (POST /v1/apply): restarts the sources that use it. */
  changed(name: string): void;
  /** The secret fields of a connection — for connectors only (`TargetContext.connection`); throws when unknown. */
  resolve(name: string): Promise<Record<string, string>>;
}

export type { ConnectionRow };

export interface SourcesLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What the `/v1/sources`, `/v1/connections` and webhook routes need. */
export interface SourcesApiContext {
  sources: SourcesRuntime;
  connections: ConnectionStore;
  store: import('../store/index.js').Store;
}
