/**
 * The memory budget (issue 11, item 3): every buffer that holds events is bounded in bytes, not in
 * entries — 20 000 cached events of 900 KB once exhausted the heap. One setting
 * (`--memory-budget`, docs/configuration.md) is split here among the buffers; what is left is
 * headroom for events in flight (requests being ingested, deliveries being sent) and garbage not
 * yet collected.
 */
import type { StoredEvent } from '../events/types.js';

export interface MemoryShares {
  /** Routed events kept for the delivery runners (EventCache). */
  eventCache: number;
  /** Events just committed, waiting for the router, over all buses. */
  routerRecent: number;
  /** One page the router reads back from the store. */
  routerPage: number;
  /** One page an SSE tail reads from the store; a client that does not read holds at most this. */
  streamPage: number;
  /** SQLite's page cache (it holds event rows too). */
  storeCache: number;
}

const MiB = 1024 * 1024;

export function splitMemoryBudget(total: number): MemoryShares {
  return {
    eventCache: Math.floor(total * 0.3),
    routerRecent: Math.floor(total * 0.15),
    routerPage: Math.floor(Math.min(total * 0.05, 16 * MiB)),
    streamPage: Math.floor(Math.min(Math.max(total / 256, 64 * 1024), 4 * MiB)),
    storeCache: Math.floor(Math.min(Math.max(total / 8, 2 * MiB), 64 * MiB)),
  };
}

/**
 * The size an event is counted at: the length of its JSON text (V8 keeps ASCII text in one byte a
 * character). Taken from the store when it knows it, else measured once, and remembered.
 */
export class EventSizes {
  private readonly sizes = new WeakMap<StoredEvent, number>();

  /** `known`: the store's own record of an event's JSON length (EventLog.sizeOf), asked first. */
  constructor(private readonly known: (stored: StoredEvent) => number | undefined = () => undefined) {}

  of(stored: StoredEvent): number {
    let size = this.sizes.get(stored);
    if (size === undefined) this.sizes.set(stored, (size = (this.known(stored) ?? JSON.stringify(stored.event).length) + 64));
    return size;
  }
}

/** A byte allowance shared by several holders (the router's per-bus buffers share one). */
export class BytePool {
  private used = 0;

  constructor(readonly capacity: number) {}

  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get inUse(): number {
    return this.used;
  }
}
