/**
 * The sources runtime: keeps one running instance per enabled stored source. A PUT, DELETE or
 * connection change applies at once (no server restart); changes to one name run one after another,
 * so a restart never overlaps two instances of the same source (two readers of one consumer group or
 * MQTT session would fight). Start failures are kept as the source's status (`failed`), never thrown
 * at the caller: the definition is stored, and the status says why it is not running.
 */
import { findSource } from '../connectors/index.js';
import type { SourceContext, SourceInstance, SourceStatus } from '../connectors/types.js';
import { errorMessage } from '../connectors/common/failures.js';
import type { Store } from '../store/index.js';
import { StoreConnections } from './connections.js';
import { createSink } from './sink.js';
import type { ConnectionStore, SourceRecord, SourcesLog, SourcesRuntime, SourceView } from './types.js';
import { validateSource } from './validate.js';
import type { Metrics } from '../observe/index.js';

/** Default per-event limit when the caller does not pass `HERALD_MAX_EVENT_SIZE` (its default, 1 MiB). */
const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

export interface StartSourcesDeps {
  store: Store;
  log: SourcesLog;
  now?: () => Date;
  /** `Config.maxEventBytes`: sources obey the same per-event limit as HTTP ingest. */
  maxEventBytes?: number;
  /** The connection store to resolve `config.connection` with; one over `store.connections` when absent. */
  connections?: StoreConnections;
  /** Counts source events by outcome and drops a deleted source's series (issue 15). */
  metrics?: Pick<Metrics, 'sourceResults' | 'forgetSource'>;
}

interface Live {
  instance?: SourceInstance;
  /** Why the last start failed. */
  error?: string;
}

export interface RunningSources extends SourcesRuntime {
  connections: ConnectionStore;
  /** Pass as the data plane's `targetContext.connection`. */
  connectionResolver: (name: string) => Promise<Record<string, string>>;
}

/** Builds the connection store over the SQLite store's table (share one between sources and targets). */
export function createConnectionStore(store: Store, now: () => Date = () => new Date()): StoreConnections {
  return new StoreConnections(store.connections, now);
}

class Runtime implements RunningSources {
  private readonly live = new Map<string, Live>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private stopping = false;
  readonly connectionResolver: (name: string) => Promise<Record<string, string>>;

  constructor(
    private readonly deps: Required<Pick<StartSourcesDeps, 'store' | 'log' | 'now' | 'maxEventBytes'>> & Pick<StartSourcesDeps, 'metrics'>,
    readonly connections: StoreConnections,
  ) {
    this.connectionResolver = (name) => connections.resolve(name);
    connections.onChange((name) => this.restartUsers(name));
  }

  async startAll(): Promise<void> {
    const records = (await this.deps.store.sources.list()) as SourceRecord[];
    await Promise.all(records.map((record) => this.serial(record.name, () => this.applyRecord(record))));
  }

  async list(): Promise<SourceView[]> {
    return ((await this.deps.store.sources.list()) as SourceRecord[]).map((record) => this.view(record));
  }

  async get(name: string): Promise<SourceView | undefined> {
    const record = (await this.deps.store.sources.get(name)) as SourceRecord | undefined;
    return record === undefined ? undefined : this.view(record);
  }

  put(name: string, spec: unknown): Promise<{ source: SourceView; created: boolean }> {
    return this.serial(name, async () => {
      const previous = (await this.deps.store.sources.get(name)) as SourceRecord | undefined;
      const record = await validateSource(name, spec, { busExists: async (bus) => (await this.deps.store.buses.get(bus)) !== undefined, now: this.deps.now }, previous);
      await this.deps.store.sources.put(name, record);
      await this.applyRecord(record);
      return { source: this.view(record), created: previous === undefined };
    });
  }

  delete(name: string): Promise<boolean> {
    return this.serial(name, async () => {
      await this.applyRecord(undefined, name);
      this.deps.metrics?.forgetSource(name);
      return this.deps.store.sources.delete(name);
    });
  }

  refresh(name: string): Promise<void> {
    return this.serial(name, async () => {
      const record = (await this.deps.store.sources.get(name)) as SourceRecord | undefined;
      await this.applyRecord(record, name);
    });
  }

  now(): Date {
    return this.deps.now();
  }

  instance(name: string): SourceInstance | undefined {
    return this.live.get(name)?.instance;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.queues.values()].map((q) => q.catch(() => undefined)));
    await Promise.all([...this.live.keys()].map((name) => this.serial(name, () => this.applyRecord(undefined, name))));
  }

  private view(record: SourceRecord): SourceView {
    return { ...record, status: this.status(record) };
  }

  private status(record: SourceRecord): SourceStatus {
    const live = this.live.get(record.name);
    if (live?.instance) return live.instance.status();
    if (live?.error !== undefined) return { state: 'failed', lastError: live.error };
    return { state: 'stopped' };
  }

  /** Runs `work` after every earlier change to `name` finished (whether it failed or not). */
  private serial<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.queues.set(name, tail);
    void tail.then(() => {
      if (this.queues.get(name) === tail) this.queues.delete(name);
    });
    return next;
  }

  /** Stops the running instance of the source (if any), then starts `record` when it is enabled. */
  private async applyRecord(record: SourceRecord | undefined, name = record?.name ?? ''): Promise<void> {
    const current = this.live.get(name);
    this.live.delete(name);
    if (current?.instance) {
      try {
        await current.instance.stop();
      } catch (error) {
        this.deps.log.warn({ source: name, err: errorMessage(error) }, 'source did not stop cleanly');
      }
    }
    if (record === undefined || record.state !== 'enabled' || this.stopping) return;
    try {
      const instance = await this.start(record);
      this.live.set(name, { instance });
      this.deps.log.info({ source: name, type: record.type, bus: record.bus }, 'source started');
    } catch (error) {
      const message = errorMessage(error);
      this.live.set(name, { error: message });
      this.deps.log.error({ source: name, type: record.type, err: message }, 'source failed to start');
    }
  }

  private async start(record: SourceRecord): Promise<SourceInstance> {
    const connector = findSource(record.type);
    if (connector === undefined) throw new Error(`unknown source type "${record.type}"`);
    const config = connector.validate(record.config);
    const metrics = this.deps.metrics;
    const ctx: SourceContext = {
      sink: createSink(this.deps.store.events, {
        bus: record.bus,
        maxEventBytes: this.deps.maxEventBytes,
        ...(record.extensions ? { extensions: record.extensions } : {}),
        ...(metrics ? { counted: (results) => metrics.sourceResults(record.name, results) } : {}),
      }),
      now: this.deps.now,
      createdAt: new Date(record.createdAt),
      log: this.deps.log,
      connection: this.connectionResolver,
    };
    return connector.start(record.name, config, ctx);
  }

  /** A changed or deleted connection restarts the enabled sources that name it. */
  private restartUsers(connection: string): void {
    void (async () => {
      const records = (await this.deps.store.sources.list()) as SourceRecord[];
      for (const record of records) {
        if (record.config.connection !== connection || record.state !== 'enabled') continue;
        this.serial(record.name, async () => {
          // Re-read: the source may have changed or gone while this waited its turn.
          const latest = (await this.deps.store.sources.get(record.name)) as SourceRecord | undefined;
          await this.applyRecord(latest, record.name);
        }).catch((error: unknown) => this.deps.log.error({ source: record.name, err: errorMessage(error) }, 'source restart failed'));
      }
    })().catch((error: unknown) => this.deps.log.error({ connection, err: errorMessage(error) }, 'could not restart the sources of a connection'));
  }
}

/** Starts every enabled stored source; resolves once each has started or failed (its status says which). */
export async function startSources(deps: StartSourcesDeps): Promise<RunningSources> {
  const now = deps.now ?? (() => new Date());
  const runtime = new Runtime(
    { store: deps.store, log: deps.log, now, maxEventBytes: deps.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES, ...(deps.metrics ? { metrics: deps.metrics } : {}) },
    deps.connections ?? createConnectionStore(deps.store, now),
  );
  await runtime.startAll();
  return runtime;
}
