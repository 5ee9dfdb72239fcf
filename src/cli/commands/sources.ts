import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, formatOf, path, readDocument, required, single, unknownAction, type Values } from './common.js';

const USAGE =
  'sources list\n' +
  '       herald sources get <name>\n' +
  '       herald sources put [name] -f source.json|source.yaml|-\n' +
  '       herald sources delete <name>\n' +
  '       herald sources enable|disable <name>';

const ACTIONS = ['list', 'get', 'put', 'delete', 'enable', 'disable'];

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'Manage sources that read NATS, MQTT, AMQP, Redis, outboxes, webhooks or schedules onto a bus.',
  usage: USAGE,
  details:
    'put reads one source ({name?, type, bus, config, state?, description?}) as JSON or YAML; the name\n' +
    'on the command line, when given, wins over the one in the file. It is started (or restarted) at once.\n\n' +
    'Examples:\n' +
    '  herald sources list\n' +
    '  herald sources put orders-in -f orders-in.yaml\n' +
    '  herald sources disable orders-in',
  options: { ...CLIENT_OPTIONS, file: { type: 'string', short: 'f' } },
  async run([action = 'list', name], raw) {
    const values = raw as Values;
    const client = clientOf(values);
    const format = formatOf(values);
    if (!ACTIONS.includes(action)) unknownAction('sources', action, ACTIONS);
    const sourceName = () => required(name, 'the source name', USAGE);
    switch (action) {
      case 'list': {
        const { json } = await request(client, 'GET', '/v1/sources');
        const sources = (json as { sources: Array<Record<string, unknown> & { status: Record<string, unknown> }> }).sources;
        const rows = sources.map((s) => ({ ...s, running: s.status.state, lastEventAt: s.status.lastEventAt ?? '', lastError: s.status.lastError ?? '' }));
        return print(format, json, rows, ['name', 'type', 'bus', 'state', 'running', 'lastEventAt', 'lastError']);
      }
      case 'get': {
        const { json } = await request(client, 'GET', path('sources', sourceName()));
        return print(single(format), json);
      }
      case 'put': {
        if (typeof values.file !== 'string') throw new CliError(`herald sources put needs -f <file>\n\nUsage: herald ${USAGE}`, EXIT.usage);
        const spec = readDocument(values.file);
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError(`${values.file} must hold one source (a map)`, EXIT.usage);
        const target = name ?? (spec as { name?: unknown }).name;
        if (typeof target !== 'string' || target === '') throw new CliError('the source has no name: give it in the file or on the command line', EXIT.usage);
        const { status, json } = await request(client, 'PUT', path('sources', target), { json: { ...spec, name: target } });
        process.stderr.write(`${status === 201 ? 'created' : 'replaced'} source ${target}\n`);
        return print(single(format), json);
      }
      case 'delete':
        await request(client, 'DELETE', path('sources', sourceName()));
        process.stderr.write(`deleted source ${name}\n`);
        return;
      default: {
        const state = action === 'enable' ? 'enabled' : 'disabled';
        const { json } = await request(client, 'PATCH', path('sources', sourceName()), { json: { state } });
        process.stderr.write(`source ${name} is ${state}\n`);
        return print(single(format), json);
      }
    }
  },
};
