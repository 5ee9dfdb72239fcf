import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request, serverUrl } from '../client.js';
import { parseFormat, print } from '../output.js';
import { parseDuration } from '../../server/units.js';

const COLUMNS = ['name', 'description', 'retentionMs', 'dedupeWindowMs', 'createdAt'];

export const busesCommand: Command = {
  name: 'buses',
  summary: 'Manage buses: list, get, create, update, delete.',
  usage: 'buses list | get <bus> | create <bus> [--description d] [--retention 7d] [--dedupe-window 24h] | update <bus> [...] | delete <bus> [--force]',
  options: { ...CLIENT_OPTIONS, description: { type: 'string' }, retention: { type: 'string' }, 'dedupe-window': { type: 'string' }, force: { type: 'boolean' } },
  async run([action = 'list', name], values) {
    const client = { server: serverUrl(values.server as string | undefined) };
    const format = parseFormat(values.output as string | undefined);
    const settings = () => ({
      ...(values.description !== undefined ? { description: values.description } : {}),
      ...(values.retention !== undefined ? { retentionMs: duration(values.retention as string, '--retention') } : {}),
      ...(values['dedupe-window'] !== undefined ? { dedupeWindowMs: duration(values['dedupe-window'] as string, '--dedupe-window') } : {}),
    });
    const needName = () => {
      if (!name) throw new CliError(`herald buses ${action} needs a bus name`, EXIT.usage);
      return encodeURIComponent(name);
    };
    switch (action) {
      case 'list': {
        const { json } = await request(client, 'GET', '/v1/buses');
        const buses = (json as { buses: Array<Record<string, unknown>> }).buses;
        return print(format, json, buses, COLUMNS);
      }
      case 'get': {
        const { json } = await request(client, 'GET', `/v1/buses/${needName()}`);
        return print(format, json);
      }
      case 'create': {
        const { json } = await request(client, 'POST', '/v1/buses', { json: { name: decodeURIComponent(needName()), ...settings() } });
        return print(format, json);
      }
      case 'update': {
        const { json } = await request(client, 'PATCH', `/v1/buses/${needName()}`, { json: settings() });
        return print(format, json);
      }
      case 'delete':
        await request(client, 'DELETE', `/v1/buses/${needName()}${values.force ? '?force=true' : ''}`);
        process.stderr.write(`deleted bus ${name}\n`);
        return;
      default:
        throw new CliError(`unknown action "${action}": use list, get, create, update or delete`, EXIT.usage);
    }
  },
};

function duration(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new CliError(`${flag}: "${text}" is not a duration (e.g. 30s, 5m, 24h, 7d)`, EXIT.usage);
  return ms;
}
