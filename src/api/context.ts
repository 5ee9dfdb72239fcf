import type { Config } from '../server/config.js';
import type { Store, TargetKey } from '../store/index.js';
import type { RulesService } from '../rules/index.js';
import type { ConnectionStore, SourcesRuntime } from '../sources/types.js';
import type { Metrics } from '../observe/index.js';

/** What the HTTP surface needs from the rest of the process, wired explicitly at start-up. */
export interface ApiContext {
  config: Config;
  store: Store;
  rules: RulesService;
  /** Wakes delivery runners (after a redrive). */
  engine: { notify(keys: TargetKey[]): void };
  sources?: SourcesRuntime;
  connections?: ConnectionStore;
  /** False once shutdown began: ingest answers 503 and /readyz fails. */
  accepting(): boolean;
  /** True once every role of the process has started (/readyz); absent means started. */
  started?(): boolean;
  /** The server's Prometheus metrics (`GET /metrics`, ingest counts); absent in bare test harnesses. */
  metrics?: Metrics;
}
