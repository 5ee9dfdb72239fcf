import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, formatOf, path, readDocument, required, single, unknownAction, type Values } from './common.js';

const USAGE =
  'targets list <bus> <rule>\n' +
  '       herald targets put <bus> <rule> [target] -f target.json|target.yaml|-\n' +
  '       herald targets delete <bus> <rule> <target>';

const ACTIONS = ['list', 'put', 'delete'];

export const targetsCommand: Command = {
  name: 'targets',
  summary: "Manage one rule's targets: list, put (add or replace one), delete.",
  usage: USAGE,
  details:
    'put reads one target (a TargetSpec: id, type, config, transform, retry, …) as JSON or YAML;\n' +
    'the id on the command line, when given, wins over the one in the file.\n\n' +
    'Examples:\n' +
    '  herald targets put orders big-orders -f crm-hook.yaml\n' +
    '  herald targets delete orders big-orders crm-hook',
  options: { ...CLIENT_OPTIONS, file: { type: 'string', short: 'f' } },
  async run([action = 'list', bus, rule, target], raw) {
    const values = raw as Values;
    const client = clientOf(values);
    const format = formatOf(values);
    if (!ACTIONS.includes(action)) unknownAction('targets', action, ACTIONS);
    const busName = required(bus, 'the bus name', USAGE);
    const ruleName = required(rule, 'the rule name', USAGE);
    switch (action) {
      case 'list': {
        const { json } = await request(client, 'GET', path('buses', busName, 'rules', ruleName));
        const targets = (json as { targets: Array<Record<string, unknown>> }).targets;
        const rows = targets.map((t) => ({ ...t, transform: (t.transform as { kind?: string } | undefined)?.kind ?? 'event' }));
        return print(format, { targets }, rows, ['id', 'type', 'transform', 'config']);
      }
      case 'put': {
        if (typeof values.file !== 'string') throw new CliError(`herald targets put needs -f <file>\n\nUsage: herald ${USAGE}`, EXIT.usage);
        const spec = readDocument(values.file);
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError(`${values.file} must hold one target (a map)`, EXIT.usage);
        const id = target ?? (spec as { id?: unknown }).id;
        if (typeof id !== 'string' || id === '') throw new CliError('the target has no id: give it in the file or after the rule', EXIT.usage);
        const { json } = await request(client, 'PUT', path('buses', busName, 'rules', ruleName, 'targets', id), { json: { ...spec, id } });
        process.stderr.write(`put target ${id} on rule ${busName}/${ruleName}\n`);
        return print(single(format), json);
      }
      default: {
        const id = required(target, 'the target id', USAGE);
        await request(client, 'DELETE', path('buses', busName, 'rules', ruleName, 'targets', id));
        process.stderr.write(`deleted target ${id} of rule ${busName}/${ruleName}\n`);
      }
    }
  },
};
