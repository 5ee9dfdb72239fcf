import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, count, formatOf, path, required, single, type Values } from './common.js';
import { renderTrace } from './trace-view.js';

const USAGE = 'trace <bus> <sequence>\n       herald trace <bus> --source <source> --id <id>';

export const traceCommand: Command = {
  name: 'trace',
  summary: 'The life of one event: stored, matched rules, every delivery attempt, dead letters.',
  usage: USAGE,
  details: 'Examples:\n  herald trace orders 42\n  herald trace orders --source /shop/web --id 7c1e…',
  options: { ...CLIENT_OPTIONS, source: { type: 'string' }, id: { type: 'string' } },
  async run([bus, sequence], raw) {
    const values = raw as Values;
    const client = clientOf(values);
    const format = formatOf(values);
    const busName = required(bus, 'the bus name', USAGE);
    let url: string;
    if (sequence !== undefined) {
      if (values.source !== undefined || values.id !== undefined) throw new CliError('give a sequence or --source and --id, not both', EXIT.usage);
      url = path('buses', busName, 'events', String(count(sequence, 'the sequence')), 'trace');
    } else {
      if (typeof values.source !== 'string' || typeof values.id !== 'string') {
        throw new CliError(`give the event's sequence, or both --source and --id\n\nUsage: herald ${USAGE}`, EXIT.usage);
      }
      url = `${path('buses', busName, 'trace')}?${new URLSearchParams({ source: values.source, id: values.id }).toString()}`;
    }
    const { json } = await request(client, 'GET', url);
    const timeline = format === 'table' ? renderTrace(json) : undefined;
    if (timeline !== undefined) return void process.stdout.write(timeline);
    return print(single(format), json);
  },
};
