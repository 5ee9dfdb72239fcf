/**
 * PutEvents (API reference): each entry maps to a CloudEvent (src/events/eventbridge-view.ts) or to its
 * own ErrorCode; valid entries are appended to their bus (entries may name different buses), and the
 * answer lists one result per entry, in order. Request-level limits are EventBridge's: 1–10 entries,
 * and "The total entry size must be less than 256KB" (user guide, "Calculating PutEvents event entry size").
 */
import { isHeraldError } from '../../errors/index.js';
import type { CloudEvent } from '../../events/types.js';
import { fromPutEventsEntry, putEventsEntrySize, PUT_EVENTS_ENTRY_MAX_BYTES } from '../../events/eventbridge-view.js';
import { busNameOf } from './arns.js';
import { AwsError, toAwsError, validation } from './errors.js';
import { isObject, onlyMembers, type Members } from './input.js';
import type { Operation } from './env.js';
import { UNKNOWN_BUS } from '../../observe/index.js';

export const MAX_PUT_EVENTS_ENTRIES = 10;

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

function sizeOf(entry: unknown): number {
  if (!isObject(entry)) return 0;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const resources = Array.isArray(entry.Resources) ? entry.Resources.filter((r): r is string => typeof r === 'string') : undefined;
  return putEventsEntrySize({ Source: text(entry.Source), DetailType: text(entry.DetailType), Detail: text(entry.Detail), Resources: resources, Time: entry.Time });
}

export const putEvents: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Entries']);
  const entries = body.Entries;
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
    throw validation(`Entries must be a list of 1 to ${MAX_PUT_EVENTS_ENTRIES} entries.`);
  }
  const total = entries.reduce((sum: number, e) => sum + sizeOf(e), 0);
  if (total >= PUT_EVENTS_ENTRY_MAX_BYTES) {
    throw validation(`Total size of the entries in the request is ${total} bytes; it must be less than ${PUT_EVENTS_ENTRY_MAX_BYTES} bytes.`);
  }
  if (!env.ctx.accepting()) throw new AwsError('ServiceUnavailableException', 'The server is shutting down and accepts no new events.');

  const results: EntryResult[] = new Array<EntryResult>(entries.length);
  const byBus = new Map<string, Array<{ index: number; event: CloudEvent }>>();
  const known = new Map<string, boolean>();
  for (const [index, entry] of entries.entries()) {
    if (isObject(entry)) {
      const extra = Object.keys(entry).find((k) => !ENTRY_MEMBERS.includes(k) && entry[k] !== null);
      if (extra !== undefined) {
        results[index] = { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${extra} is not supported by Herald's EventBridge API.` };
        continue;
      }
    }
    const mapped = fromPutEventsEntry(entry, { maxJsonDepth: env.ctx.config.maxJsonDepth });
    if (!mapped.ok) {
      results[index] = { ErrorCode: mapped.code, ErrorMessage: mapped.message };
      continue;
    }
    let bus: string;
    try {
      bus = busNameOf(mapped.eventBusName);
    } catch (error) {
      results[index] = { ErrorCode: 'InvalidArgument', ErrorMessage: toAwsError(error).message };
      continue;
    }
    let exists = known.get(bus);
    if (exists === undefined) {
      exists = (await env.ctx.store.buses.get(bus)) !== undefined;
      known.set(bus, exists);
    }
    if (!exists) {
      results[index] = { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
      continue;
    }
    const group = byBus.get(bus) ?? [];
    group.push({ index, event: mapped.event });
    byBus.set(bus, group);
  }

  // One append per bus: each is one durable commit, and nothing is acknowledged before it resolves.
  await Promise.all(
    [...byBus].map(async ([bus, group]) => {
      try {
        const appended = await env.ctx.store.events.append(bus, group.map((g) => g.event));
        for (const { index, event } of group) results[index] = { EventId: event.id };
        const duplicates = appended.filter((a) => a.duplicate).length;
        env.ctx.metrics?.received(bus, 'accepted', appended.length - duplicates);
        env.ctx.metrics?.received(bus, 'duplicate', duplicates);
      } catch (error) {
        const notFound = isHeraldError(error) && error.code === 'HERALD_BUS_NOT_FOUND';
        if (!notFound && !(isHeraldError(error) && error.status < 500)) env.log.error({ err: error }, 'PutEvents append failed');
        // A store fault fails that bus's entries only, with EventBridge's per-entry code for it.
        const code = notFound ? 'ResourceNotFoundException' : 'InternalFailure';
        env.ctx.metrics?.received(notFound ? UNKNOWN_BUS : bus, 'rejected', group.length);
        for (const { index } of group) results[index] = { ErrorCode: code, ErrorMessage: toAwsError(error).message };
      }
    }),
  );
  // Entries refused before their bus was known to exist (invalid, or an unknown bus).
  const refused = entries.length - [...byBus.values()].reduce((n, group) => n + group.length, 0);
  env.ctx.metrics?.received(UNKNOWN_BUS, 'rejected', refused);
  const failed = results.filter((r) => 'ErrorCode' in r).length;
  return { FailedEntryCount: failed, Entries: results } satisfies Members;
};

/** PutEventsRequestEntry members Herald supports (all of them). */
const ENTRY_MEMBERS = ['Source', 'DetailType', 'Detail', 'Resources', 'Time', 'EventBusName', 'TraceHeader'];
