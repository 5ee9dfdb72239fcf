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
}

const MiB = 1024 * 1024;

export function splitMemoryBudget(total: number): MemoryShares {
  return {
    eventCache: Math.floor(total * 0.3),
    routerRecent: Math.floor(total * 0.15),
    routerPage: Math.floor(Math.min(total * 0.05, 16 * MiB)),
    streamPage: Math.floor(Math.min(Math.max(total / 256, 64 * 1024), 4 * MiB)),
  };
}

/**
 * The size an event is counted at: its JSON text, in UTF-16 code units (what V8 stores it in, at
 * worst twice that). Measured once per event object and remembered beside it.
 */
export class EventSizes {
  private readonly sizes = new WeakMap<StoredEvent, number>();

  of(stored: StoredEvent): number {
    let size = this.sizes.get(stored);
    if (size === undefined) this.sizes.set(stored, (size = JSON.stringify(stored.event).length + 64));
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
