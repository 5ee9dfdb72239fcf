import type { IncomingMessage, ServerResponse } from 'node:http';
import { splitMemoryBudget } from '../bus/memory-budget.js';
import type { ApiContext } from './context.js';

const PAGE = 500;
const HEARTBEAT_MS = 15_000;

/**
 * Writes a bus's events after `after` as Server-Sent Events (`id` = sequence), then follows new
 * commits. New commits only wake the pump; the events themselves are always read from the store in
 * order, so nothing is skipped or repeated however commits and reads interleave.
 *
 * Memory per client is bounded (issue 11, item 3): pages are read with the stream's share of the
 * memory budget, events are written one at a time, and when the socket's buffer is full the pump
 * waits for it to drain before it reads on — a client that stops reading holds one page, never the
 * backlog; it can leave and resume with `Last-Event-ID`. A deleted bus ends its streams.
 */
export function streamEvents(ctx: ApiContext, bus: string, after: number, request: IncomingMessage, response: ServerResponse): () => void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.write(': herald tail\n\n');
  const pageBytes = splitMemoryBudget(ctx.config.memoryBudget).streamPage;
  let cursor = after;
  let pumping = false;
  let again = false;
  let closed = false;
  let wakeDrain: (() => void) | undefined;

  const drained = () =>
    new Promise<void>((resolve) => {
      wakeDrain = resolve;
      response.once('drain', resolve);
    });

  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (;;) {
          if (closed) return;
          const page = await ctx.store.events.read(bus, cursor, PAGE, pageBytes);
          if (page.length === 0) break;
          for (const stored of page) {
            if (closed) return;
            const ok = response.write(`id: ${stored.sequence}\ndata: ${JSON.stringify(stored)}\n\n`);
            cursor = stored.sequence;
            if (!ok) await drained();
          }
        }
      } while (again);
    } catch {
      close();
    } finally {
      pumping = false;
    }
  };

  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    wakeDrain?.();
    response.end();
  };
  const unsubscribe = ctx.store.events.subscribe(bus, () => void pump(), close);
  request.on('close', close);
  response.on('error', close);
  void pump();
  return close;
}
