import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request, serverUrl } from '../client.js';

const BATCH = 500;

export const putCommand: Command = {
  name: 'put',
  summary: 'Publish events to a bus: one from flags, or many from stdin (one JSON CloudEvent per line).',
  usage: 'put <bus> --source <uri> --type <type> [--data <json>] [--content-type t] [--subject s] [--id id] [--ext name=value]...\n       herald put <bus> < events.ndjson',
  details:
    'From stdin, each line is a structured CloudEvent; a missing id gets a UUID and a missing specversion "1.0".\n' +
    'They are sent in batches of 500, with a progress line on stderr. Exit code 1 when any event was refused.\n' +
    '--data is JSON (exit 2 when it is not) unless --content-type names another type.\n\n' +
    'Examples:\n' +
    '  herald put orders --source /shop --type order.created --data \'{"total": 5}\'\n' +
    '  herald put orders --source /shop --type note --content-type text/plain --data \'hello\'',
  options: {
    ...CLIENT_OPTIONS,
    source: { type: 'string' },
    type: { type: 'string' },
    id: { type: 'string' },
    subject: { type: 'string' },
    data: { type: 'string' },
    'content-type': { type: 'string' },
    ext: { type: 'string', multiple: true },
  },
  async run([bus], values) {
    if (!bus) throw new CliError('herald put needs a bus name', EXIT.usage);
    const client = { server: serverUrl(values.server as string | undefined) };
    const path = `/v1/buses/${encodeURIComponent(bus)}/events`;
    if (values.type !== undefined || values.source !== undefined) {
      const event = eventFromFlags(values);
      const { json } = await request(client, 'POST', path, { raw: JSON.stringify(event), contentType: 'application/cloudevents+json' });
      process.stdout.write(`${JSON.stringify(json)}\n`);
      return;
    }
    if (process.stdin.isTTY) throw new CliError('give --source and --type, or pipe events (one JSON per line) on stdin', EXIT.usage);
    return putFromStdin(client, path);
  },
};

function eventFromFlags(values: Record<string, unknown>): Record<string, unknown> {
  if (typeof values.source !== 'string' || typeof values.type !== 'string') {
    throw new CliError('herald put needs both --source and --type', EXIT.usage);
  }
  const event: Record<string, unknown> = { specversion: '1.0', id: (values.id as string | undefined) ?? randomUUID(), source: values.source, type: values.type };
  if (values.subject !== undefined) event.subject = values.subject;
  const contentType = (values['content-type'] as string | undefined) ?? 'application/json';
  if (values.data !== undefined) {
    // JSON unless another type is named: `--data '{total: 5}'` is a mistake to report, not text to
    // send (issue 10, item 7).
    if (isJson(contentType)) {
      try {
        event.data = JSON.parse(values.data as string);
      } catch (error) {
        throw new CliError(`--data is not JSON (${(error as Error).message}); quote keys and strings, or give --content-type text/plain to send text`, EXIT.usage);
      }
    } else event.data = values.data;
    event.datacontenttype = contentType;
  } else if (values['content-type'] !== undefined) event.datacontenttype = contentType;
  for (const pair of (values.ext as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new CliError(`--ext "${pair}" must be name=value`, EXIT.usage);
    event[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return event;
}

/** `application/json`, `text/json`, and `…+json` types (CloudEvents JSON format, section 3.1). */
function isJson(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

async function putFromStdin(client: { server: string }, path: string): Promise<number> {
  let sent = 0;
  let failed = 0;
  let batch: unknown[] = [];
  const started = Date.now();
  const progress = () => {
    const rate = Math.round(sent / Math.max(0.001, (Date.now() - started) / 1000));
    process.stderr.write(`\rsent ${sent} events (${rate}/s), ${failed} refused`);
  };
  const ticker = setInterval(progress, 500);
  const flush = async () => {
    if (batch.length === 0) return;
    const body = JSON.stringify(batch);
    batch = [];
    const { json } = await request(client, 'POST', path, { raw: body, contentType: 'application/cloudevents-batch+json' });
    const result = json as { accepted: number; failed: number; results: Array<{ index?: number; code?: string; message?: string }> };
    sent += result.accepted;
    failed += result.failed;
    for (const entry of result.results) if (entry.code) process.stderr.write(`\nentry ${sent + (entry.index ?? 0)}: ${entry.code} ${entry.message}\n`);
  };
  try {
    let line = 0;
    for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new CliError(`stdin line ${line}: not JSON: ${(error as Error).message}`, EXIT.usage);
      }
      event.id ??= randomUUID();
      event.specversion ??= '1.0';
      batch.push(event);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  } finally {
    clearInterval(ticker);
    progress();
    process.stderr.write('\n');
  }
  return failed > 0 ? EXIT.refused : EXIT.ok;
}
