/**
 * The sink a running source writes to: its bus's log. Each event is checked as the HTTP ingest checks
 * it (CloudEvents 1.0, the per-event size limit), so a source can put nothing on a bus that a producer
 * could not; the valid ones are appended in one call, which resolves only after the commit
 * (ARCHITECTURE.md invariant 1). Per-event refusals come back as `{error:{code,message}}` in the
 * event's slot (SourceSink in src/connectors/types.ts); whole-call failures (bus gone, store full or
 * closed) reject, so the source keeps the messages upstream and retries.
 */
import type { CloudEvent } from '../events/types.js';
import { validateEvent } from '../events/index.js';
import { isHeraldError } from '../errors/index.js';
import type { SourceSink } from '../connectors/types.js';
import type { EventLog } from '../store/index.js';

export interface SinkOptions {
  bus: string;
  /** Largest event in its structured JSON form, in bytes (`HERALD_MAX_EVENT_SIZE`). */
  maxEventBytes: number;
  /** Extension attributes added to every event (the source definition's `extensions`). */
  extensions?: Record<string, string>;
  /** Counts each published event's outcome (herald_source_events_total, issue 15). */
  counted?: (results: SinkResult[]) => void;
}

type SinkResult = Awaited<ReturnType<SourceSink['publish']>>[number];

export function createSink(events: EventLog, options: SinkOptions): SourceSink {
  return {
    async publish(batch: CloudEvent[]): Promise<SinkResult[]> {
      const results: SinkResult[] = new Array<SinkResult>(batch.length);
      const valid: CloudEvent[] = [];
      const slots: number[] = [];
      batch.forEach((candidate, index) => {
        try {
          const event = validateEvent(options.extensions ? { ...candidate, ...options.extensions } : candidate);
          if (Buffer.byteLength(JSON.stringify(event)) > options.maxEventBytes) {
            results[index] = { error: { code: 'HERALD_EVENT_TOO_LARGE', message: `event ${event.id} is larger than ${options.maxEventBytes} bytes` } };
            return;
          }
          valid.push(event);
          slots.push(index);
        } catch (error) {
          if (!isHeraldError(error)) throw error;
          results[index] = { error: { code: error.code, message: error.message } };
        }
      });
      if (valid.length > 0) {
        const appended = await events.append(options.bus, valid);
        appended.forEach((result, i) => {
          results[slots[i]] = { sequence: result.sequence, duplicate: result.duplicate };
        });
      }
      options.counted?.(results);
      return results;
    },
  };
}
