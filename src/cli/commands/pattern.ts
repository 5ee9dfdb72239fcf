import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, request } from '../client.js';
import { print } from '../output.js';
import { clientOf, formatOf, jsonArg, type Values } from './common.js';

const USAGE = "pattern test (--pattern '<json>' | --cesql '<expression>' | --subscriptions '<json>') --event '<json>'";

export const patternCommand: Command = {
  name: 'pattern',
  summary: 'Test a filter (event pattern, CloudEvents SQL or Subscriptions filters) on an event.',
  usage: USAGE,
  details:
    'The server matches the event exactly as given (a CloudEvent for cloudevent-view rules, an\n' +
    'EventBridge envelope for eventbridge-view rules) and explains why it matched or not.\n' +
    'A JSON argument may be @file (JSON or YAML). The exit code is 0 whether or not it matched.\n\n' +
    'Examples:\n' +
    `  herald pattern test --pattern '{"type":["order.placed"]}' --event '{"specversion":"1.0","id":"1","source":"/s","type":"order.placed"}'\n` +
    "  herald pattern test --cesql \"type LIKE 'order.%'\" --event @event.json",
  options: { ...CLIENT_OPTIONS, pattern: { type: 'string' }, cesql: { type: 'string' }, subscriptions: { type: 'string' }, event: { type: 'string' } },
  async run([action], raw) {
    const values = raw as Values;
    if (action !== 'test') throw new CliError(`Usage: herald ${USAGE}`, EXIT.usage);
    const given = (['pattern', 'cesql', 'subscriptions'] as const).filter((k) => values[k] !== undefined);
    if (given.length !== 1) throw new CliError(`give exactly one of --pattern, --cesql, --subscriptions\n\nUsage: herald ${USAGE}`, EXIT.usage);
    const filter =
      given[0] === 'cesql' ? { cesql: values.cesql as string } : { [given[0]]: jsonArg(values[given[0]] as string, `--${given[0]}`) };
    const event = jsonArg(values.event as string | undefined, '--event');
    const format = formatOf(values);
    const { json } = await request(clientOf(values), 'POST', '/v1/filters/test', { json: { filter, event } });
    if (format !== 'table') return print(format, json);
    const result = json as { matched: boolean; explanation?: { reasons?: Array<{ field: string; reason: string }> } };
    process.stdout.write(result.matched ? 'matched\n' : 'not matched\n');
    const reasons = result.explanation?.reasons;
    if (Array.isArray(reasons)) for (const r of reasons) process.stdout.write(`  ${r.field}: ${r.reason}\n`);
    else if (result.explanation !== undefined) print('yaml', result.explanation);
  },
};
