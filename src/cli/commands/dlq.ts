import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, count, formatOf, path, required, single, unknownAction, type Values } from './common.js';

const USAGE =
  'dlq list <bus> [--rule r] [--target t] [--after ID] [--limit N]\n' +
  '       herald dlq get <bus> <id>\n' +
  '       herald dlq redrive <bus> (--id ID... | --rule r [--target t] | --all) [--to rule/target]\n' +
  '       herald dlq purge <bus> (--id ID... | --rule r [--target t] | --all)';

const ACTIONS = ['list', 'get', 'redrive', 'purge'];

export const dlqCommand: Command = {
  name: 'dlq',
  summary: "Dead letters: list, inspect, redrive (deliver again) or purge a bus's failed deliveries.",
  usage: USAGE,
  details:
    'redrive sends the selected dead letters to their target again (or, with --to rule/target, to\n' +
    'another one). purge deletes them for good. Both act on the dead letters selected by --id\n' +
    '(repeatable), --rule and --target; acting on every dead letter of the bus needs --all.\n\n' +
    'Examples:\n' +
    '  herald dlq list orders --rule big-orders\n' +
    '  herald dlq redrive orders --id 17 --id 18\n' +
    '  herald dlq purge orders --rule big-orders --target crm-hook',
  options: {
    ...CLIENT_OPTIONS,
    rule: { type: 'string' },
    target: { type: 'string' },
    after: { type: 'string' },
    limit: { type: 'string' },
    id: { type: 'string', multiple: true },
    to: { type: 'string' },
    all: { type: 'boolean' },
  },
  async run([action = 'list', bus, id], raw) {
    const values = raw as Values;
    const client = clientOf(values);
    const format = formatOf(values);
    if (!ACTIONS.includes(action)) unknownAction('dlq', action, ACTIONS);
    const busName = required(bus, 'the bus name', USAGE);
    switch (action) {
      case 'list': {
        const query = new URLSearchParams();
        for (const key of ['rule', 'target'] as const) if (typeof values[key] === 'string') query.set(key, values[key]);
        const after = count(values.after as string | undefined, '--after');
        const limit = count(values.limit as string | undefined, '--limit');
        if (after !== undefined) query.set('after', String(after));
        if (limit !== undefined) query.set('limit', String(limit));
        const suffix = query.size > 0 ? `?${query.toString()}` : '';
        const { json } = await request(client, 'GET', `${path('buses', busName, 'dlq')}${suffix}`);
        const letters = (json as { deadLetters: Array<Record<string, unknown>> }).deadLetters;
        const rows = letters.map((d) => ({ ...d, lastError: errorText(d.lastError) }));
        return print(format, json, rows, ['id', 'rule', 'target', 'sequence', 'attempts', 'reason', 'lastError']);
      }
      case 'get': {
        const letter = count(required(id, 'the dead letter id', USAGE), 'the id');
        const { json } = await request(client, 'GET', path('buses', busName, 'dlq', String(letter)));
        return print(single(format), json);
      }
      case 'redrive': {
        const body = selector(values, 'redrive');
        if (typeof values.to === 'string') {
          const [rule, target, ...rest] = values.to.split('/');
          if (!rule || !target || rest.length > 0) throw new CliError(`--to must be rule/target, not "${values.to}"`, EXIT.usage);
          body.to = { rule, target };
        }
        const { json } = await request(client, 'POST', path('buses', busName, 'dlq', 'redrive'), { json: body });
        if (format === 'table') return void process.stdout.write(`redriven: ${(json as { redriven: number }).redriven}\n`);
        return print(format, json);
      }
      default: {
        const body = selector(values, 'purge');
        const { json } = await request(client, 'POST', path('buses', busName, 'dlq', 'purge'), { json: body });
        if (format === 'table') return void process.stdout.write(`purged: ${(json as { purged: number }).purged}\n`);
        return print(format, json);
      }
    }
  },
};

/** The dead letters to act on; every one of the bus only when --all says so (the server asks the same). */
function selector(values: Values, action: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const ids = (values.id as string[] | undefined) ?? [];
  if (ids.length > 0) body.ids = ids.map((i) => count(i, '--id'));
  if (typeof values.rule === 'string') body.rule = values.rule;
  if (typeof values.target === 'string') body.target = values.target;
  if (values.all === true) {
    if (Object.keys(body).length > 0) throw new CliError('--all selects every dead letter: give it without --id, --rule or --target', EXIT.usage);
    body.all = true;
  }
  if (Object.keys(body).length === 0) throw new CliError(`herald dlq ${action}: select dead letters with --id, --rule or --target, or pass --all`, EXIT.usage);
  return body;
}

function errorText(error: unknown): string {
  if (error === undefined || error === null) return '';
  if (typeof error === 'string') return error;
  const e = error as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(': ') || JSON.stringify(error);
}
