import type { Db } from './open.js';
import type { SqliteBuses } from './buses.js';
import type { BusRecord } from '../types.js';

const CHUNK = 2000;

/**
 * Retention, in chunks of a few thousand rows, each its own short transaction,
 * yielding to the event loop between chunks so that ingest keeps flowing.
 */
export async function sweep(db: Db, buses: SqliteBuses, list: BusRecord[], now = Date.now()) {
  let eventsDeleted = 0;
  let dedupeDeleted = 0;
  // received_at never decreases along seq, so the expired events of a bus are a prefix of it: find
  // the last expired seq among the next CHUNK and delete up to it.
  const lastExpired = db.prepare(
    'SELECT MAX(seq) FROM (SELECT seq, received_at FROM events WHERE bus_id = ? ORDER BY seq LIMIT ?) WHERE received_at < ?',
  ).pluck();
  const deleteUpTo = db.prepare('DELETE FROM events WHERE bus_id = ? AND seq <= ?');
  // A dedupe row goes with its event — unless the (source, id) came again after the window and the
  // row now points at a newer event.
  const deleteDedupe = db.prepare(`DELETE FROM dedupe WHERE (bus_id, source, id) IN
      (SELECT bus_id, source, id FROM events WHERE bus_id = ? AND seq <= ?) AND seq <= ?`);
  // A delivery's record goes with its event; deliveries still under way stay until they end.
  const deleteAttempts = db.prepare(`DELETE FROM attempts WHERE delivery_id IN
      (SELECT id FROM deliveries WHERE bus_id = ? AND seq <= ? AND state IN ('delivered', 'dead', 'cancelled'))`);
  const deleteDeliveries = db.prepare(`DELETE FROM deliveries WHERE bus_id = ? AND seq <= ? AND state IN ('delivered', 'dead', 'cancelled')`);
  const deleteErrors = db.prepare('DELETE FROM evaluation_errors WHERE bus_id = ? AND seq <= ?');
  for (const record of list) {
    const bus = buses.cached(record.name);
    if (!bus) continue;
    for (;;) {
      const seq = lastExpired.get(bus.id, CHUNK, now - bus.retentionMs) as number | null;
      if (seq === null) break;
      db.transaction(() => {
        dedupeDeleted += deleteDedupe.run(bus.id, seq, seq).changes;
        deleteAttempts.run(bus.id, seq);
        deleteDeliveries.run(bus.id, seq);
        deleteErrors.run(bus.id, seq);
        eventsDeleted += deleteUpTo.run(bus.id, seq).changes;
      })();
      await yieldToEventLoop();
    }
  }
  return { eventsDeleted, dedupeDeleted };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
