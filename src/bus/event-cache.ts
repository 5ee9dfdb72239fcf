import type { StoredEvent } from '../events/types.js';

/**
 * The events the router just routed, kept for the delivery runners so that a delivery right after
 * routing does not read and parse the event again. Bounded (oldest out first); a miss falls back
 * to the store, so the cache only ever saves work.
 */
export class EventCache {
  private readonly entries = new Map<string, StoredEvent>();

  constructor(private readonly capacity = 20_000) {}

  put(bus: string, stored: StoredEvent): void {
    const key = `${bus}\u0000${stored.sequence}`;
    if (this.entries.has(key)) return;
    this.entries.set(key, stored);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  get(bus: string, sequence: number): StoredEvent | undefined {
    return this.entries.get(`${bus}\u0000${sequence}`);
  }
}
