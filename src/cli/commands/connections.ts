import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, formatOf, path, readDocument, required, single, unknownAction, type Values } from './common.js';

const USAGE =
  'connections list\n' +
  '       herald connections get <name>\n' +
  '       herald connections put [name] -f connection.json|connection.yaml|-\n' +
  '       herald connections delete <name>';

const ACTIONS = ['list', 'get', 'put', 'delete'];

export const connectionsCommand: Command = {
  name: 'connections',
  summary: 'Manage named credentials for targets and sources (values are never shown).',
  usage: USAGE,
  details:
    'put reads one connection ({name?, type?, description?, secrets: {key: value}}) as JSON or YAML;\n' +
    'use -f - to pipe it in so the secrets never sit in a file. Herald answers with the secret keys only.\n\n' +
    'Examples:\n' +
    '  herald connections put orders-db -f orders-db.yaml\n' +
    '  herald connections list',
  options: { ...CLIENT_OPTIONS, file: { type: 'string', short: 'f' } },
  async run([action = 'list', name], raw) {
    const values = raw as Values;
    const client = clientOf(values);
    const format = formatOf(values);
    if (!ACTIONS.includes(action)) unknownAction('connections', action, ACTIONS);
    const connectionName = () => required(name, 'the connection name', USAGE);
    switch (action) {
      case 'list': {
        const { json } = await request(client, 'GET', '/v1/connections');
        const rows = (json as { connections: Array<Record<string, unknown> & { keys: string[] }> }).connections.map((c) => ({ ...c, keys: c.keys.join(',') }));
        return print(format, json, rows, ['name', 'type', 'keys', 'description', 'updatedAt']);
      }
      case 'get': {
        const { json } = await request(client, 'GET', path('connections', connectionName()));
        return print(single(format), json);
      }
      case 'put': {
        if (typeof values.file !== 'string') throw new CliError(`herald connections put needs -f <file>\n\nUsage: herald ${USAGE}`, EXIT.usage);
        const spec = readDocument(values.file);
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError(`${values.file} must hold one connection (a map)`, EXIT.usage);
        const target = name ?? (spec as { name?: unknown }).name;
        if (typeof target !== 'string' || target === '') throw new CliError('the connection has no name: give it in the file or on the command line', EXIT.usage);
        const { name: _ignored, ...body } = spec as Record<string, unknown>;
        const { status, json } = await request(client, 'PUT', path('connections', target), { json: body });
        process.stderr.write(`${status === 201 ? 'created' : 'replaced'} connection ${target}\n`);
        return print(single(format), json);
      }
      default:
        await request(client, 'DELETE', path('connections', connectionName()));
        process.stderr.write(`deleted connection ${name}\n`);
        return;
    }
  },
};
