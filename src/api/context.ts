import type { Config } from '../server/config.js';
import type { Store } from '../store/index.js';

/** What the HTTP surface needs from the rest of the process, wired explicitly at start-up. */
export interface ApiContext {
  config: Config;
  store: Store;
  /** Rules per bus, once the rules module is wired (bus deletion checks them). */
  rules?: { count(bus: string): Promise<number>; deleteAll(bus: string): Promise<void> };
  /** False once shutdown began: ingest answers 503 and /readyz fails. */
  accepting(): boolean;
}
