import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, formatOf, jsonArg, type Values } from './common.js';

const USAGE = "transform test --transform '<json>' --event '<json>' [--view cloudevent|eventbridge]";

export const transformCommand: Command = {
  name: 'transform',
  summary: 'Show the body a target would receive: a transform applied to an event.',
  usage: USAGE,
  details:
    'Transform kinds: event, path, constant, template (docs/transforms.md). A JSON argument may be\n' +
    '@file (JSON or YAML). In table output the body itself is printed (JSON, or the text).\n\n' +
    'Example:\n' +
    `  herald transform test --transform '{"kind":"path","path":"$.data"}' --event @event.json`,
  options: { ...CLIENT_OPTIONS, transform: { type: 'string' }, event: { type: 'string' }, view: { type: 'string' } },
  async run([action], raw) {
    const values = raw as Values;
    if (action !== 'test') throw new CliError(`Usage: herald ${USAGE}`, EXIT.usage);
    const transform = jsonArg(values.transform as string | undefined, '--transform');
    const event = jsonArg(values.event as string | undefined, '--event');
    const view = values.view as string | undefined;
    if (view !== undefined && view !== 'cloudevent' && view !== 'eventbridge') throw new CliError('--view must be cloudevent or eventbridge', EXIT.usage);
    const format = formatOf(values);
    const body = { transform, event, ...(view !== undefined ? { view } : {}) };
    const { json } = await request(clientOf(values), 'POST', '/v1/transforms/test', { json: body });
    if (format !== 'table') return print(format, json);
    const result = json as { body: unknown; contentType: string };
    process.stdout.write(typeof result.body === 'string' && result.contentType !== 'application/json' ? `${result.body}\n` : `${JSON.stringify(result.body, null, 2)}\n`);
  },
};
