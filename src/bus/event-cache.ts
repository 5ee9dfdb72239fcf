import type { StoredEvent } from '../events/types.js';
import type { EventSizes } from './memory-budget.js';

interface Entry {
  stored: StoredEvent;
  identity: number;
  bytes: number;
}

export interface EventCacheDeps {
  /** A bus's identity (never reused: issue 11, item 2); undefined once the bus is gone. */
  identity(bus: string): number | undefined;
  sizes: EventSizes;
  /** The cache's share of the memory budget, in bytes (issue 11, item 3). */
  maxBytes: number;
}

/**
 * The events the router just routed, kept for the delivery runners so that a delivery right after
 * routing does not read and parse the event again. Bounded in bytes (oldest out first); a miss falls
 * back to the store, so the cache only ever saves work.
 *
 * Keyed by the bus's identity and sequence, never by its name: a bus deleted and made again under
 * the same name starts its sequences at 1 again, and must never be served the old bus's events.
 */
export class EventCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly deps: EventCacheDeps) {}

  put(bus: string, stored: StoredEvent): void {
    const identity = this.deps.identity(bus);
    if (identity === undefined) return;
    const key = `${identity}:${stored.sequence}`;
    if (this.entries.has(key)) return;
    const bytes = this.deps.sizes.of(stored);
    if (bytes > this.deps.maxBytes) return;
    this.entries.set(key, { stored, identity, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.deps.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  get(bus: string, sequence: number): StoredEvent | undefined {
    const identity = this.deps.identity(bus);
    return identity === undefined ? undefined : this.entries.get(`${identity}:${sequence}`)?.stored;
  }

  /** A bus was deleted: its events go now rather than age out. */
  forget(identity: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.identity !== identity) continue;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
