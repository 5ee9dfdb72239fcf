import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './context.js';

const PAGE = 500;
const HEARTBEAT_MS = 15_000;

/**
 * Writes a bus's events after `after` as Server-Sent Events (`id` = sequence), then follows new
 * commits. New commits only wake the pump; the events themselves are always read from the store in
 * order, so nothing is skipped or repeated however commits and reads interleave.
 */
export function streamEvents(ctx: ApiContext, bus: string, after: number, request: IncomingMessage, response: ServerResponse): () => void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  response.write(': herald tail\n\n');
  let cursor = after;
  let pumping = false;
  let again = false;
  let closed = false;

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
          const page = await ctx.store.events.read(bus, cursor, PAGE);
          if (page.length === 0) break;
          let chunk = '';
          for (const stored of page) chunk += `id: ${stored.sequence}\ndata: ${JSON.stringify(stored)}\n\n`;
          cursor = page[page.length - 1].sequence;
          if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
        }
      } while (again);
    } catch {
      close();
    } finally {
      pumping = false;
    }
  };

  const unsubscribe = ctx.store.events.subscribe(bus, () => void pump());
  const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    response.end();
  };
  request.on('close', close);
  response.on('error', close);
  void pump();
  return close;
}
