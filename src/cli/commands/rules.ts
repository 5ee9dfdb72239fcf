import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, formatOf, path, readDocument, required, single, unknownAction, type Values } from './common.js';

const USAGE =
  'rules list <bus>\n' +
  '       herald rules get <bus> <rule>\n' +
  '       herald rules put <bus> [rule] -f rule.json|rule.yaml|-\n' +
  '       herald rules delete <bus> <rule>\n' +
  '       herald rules enable|disable <bus> <rule>';

const ACTIONS = ['list', 'get', 'put', 'delete', 'enable', 'disable'];

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'Manage the rules of a bus: list, get, put (create or replace), delete, enable, disable.',
  usage: USAGE,
  details:
    'put reads one rule (a RuleSpec: name, filter, targets, …) as JSON or YAML; the name on the\n' +
    'command line, when given, wins over the one in the file. It creates the rule or replaces it whole.\n\n' +
    'Examples:\n' +
    '  herald rules list orders\n' +
    '  herald rules put orders -f big-orders.yaml\n' +
    '  herald rules disable orders big-orders',
  options: { ...CLIENT_OPTIONS, file: { type: 'string', short: 'f' } },
  async run([action = 'list', bus, rule], raw) {
    const values = raw as Values;
    const client = clientOf(values);
    const format = formatOf(values);
    if (!ACTIONS.includes(action)) unknownAction('rules', action, ACTIONS);
    const busName = required(bus, 'the bus name', USAGE);
    const ruleName = () => required(rule, 'the rule name', USAGE);
    switch (action) {
      case 'list': {
        const { json } = await request(client, 'GET', path('buses', busName, 'rules'));
        const rules = (json as { rules: Array<Record<string, unknown>> }).rules;
        const rows = rules.map((r) => ({ ...r, filter: filterKind(r.filter), targets: (r.targets as Array<{ id: string }>).map((t) => t.id).join(',') }));
        return print(format, json, rows, ['name', 'state', 'view', 'filter', 'targets', 'description']);
      }
      case 'get': {
        const { json } = await request(client, 'GET', path('buses', busName, 'rules', ruleName()));
        return print(single(format), json);
      }
      case 'put': {
        if (typeof values.file !== 'string') throw new CliError(`herald rules put needs -f <file>\n\nUsage: herald ${USAGE}`, EXIT.usage);
        const spec = readDocument(values.file);
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new CliError(`${values.file} must hold one rule (a map)`, EXIT.usage);
        const name = rule ?? (spec as { name?: unknown }).name;
        if (typeof name !== 'string' || name === '') throw new CliError('the rule has no name: give it in the file or after the bus', EXIT.usage);
        const { status, json } = await request(client, 'PUT', path('buses', busName, 'rules', name), { json: { ...spec, name } });
        process.stderr.write(`${status === 201 ? 'created' : 'replaced'} rule ${busName}/${name}\n`);
        return print(single(format), json);
      }
      case 'delete':
        await request(client, 'DELETE', path('buses', busName, 'rules', ruleName()));
        process.stderr.write(`deleted rule ${busName}/${rule}\n`);
        return;
      default: {
        const state = action === 'enable' ? 'enabled' : 'disabled';
        const { json } = await request(client, 'PATCH', path('buses', busName, 'rules', ruleName()), { json: { state } });
        process.stderr.write(`rule ${busName}/${rule} is ${state}\n`);
        return print(single(format), json);
      }
    }
  },
};

function filterKind(filter: unknown): string {
  const kind = Object.keys((filter ?? {}) as object)[0] ?? '';
  const value = (filter as Record<string, unknown> | undefined)?.[kind];
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `${kind}: ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
