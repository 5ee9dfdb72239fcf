/**
 * Help text of flags that several commands share, for `--help` (issue 10, item 7: "every option in
 * --help has a description and a default"). A command's own `description`/`default` wins; then
 * `command.flag`, then the flag alone; `herald start`'s flags come from the server settings.
 */
import { SETTINGS } from '../server/config.js';

export interface FlagHelp {
  description: string;
  default?: string;
}

const SHARED: Record<string, FlagHelp> = {
  server: { description: 'the Herald server to talk to', default: '$HERALD_URL, else http://127.0.0.1:8740' },
  output: { description: 'output format: table, json or yaml (table shows durations and sizes in units; json and yaml keep numbers)', default: 'table' },
  file: { description: 'read the definition from this JSON or YAML file (- for stdin)' },
  'dlq.rule': { description: 'select the dead letters of this rule' },
  'dlq.target': { description: 'select the dead letters of this target' },
  'dlq.limit': { description: 'the most dead letters to list', default: "the server's page size" },
  'dlq.after': { description: 'list dead letters after this id (paging)', default: '0' },
  'dlq.id': { description: 'a dead letter id (repeat for several)' },
  'dlq.to': { description: 'redrive to another rule/target, as rule/target', default: 'the rule/target each came from' },
  'dlq.all': { description: 'act on every dead letter of the bus (redrive, purge)', default: 'false' },
  'trace.source': { description: 'look the event up by its CloudEvents source (with --id)' },
  'trace.id': { description: 'look the event up by its CloudEvents id (with --source)' },
  'put.source': { description: 'the CloudEvents source of the event (required with flags)' },
  'put.type': { description: 'the CloudEvents type of the event (required with flags)' },
  'put.id': { description: 'the CloudEvents id', default: 'a new UUID' },
  'put.subject': { description: 'the CloudEvents subject' },
  'put.data': { description: 'the event data: JSON unless --content-type names another type' },
  'put.content-type': { description: 'datacontenttype of --data (a non-JSON type sends --data as text)', default: 'application/json' },
  'put.ext': { description: 'an extension attribute, name=value (repeatable)' },
  'tail.after': { description: 'replay from after this sequence (0: from the start)', default: 'only new events' },
  'tail.count': { description: 'stop after this many events', default: 'follow until interrupted' },
  'buses.description': { description: 'the bus description (create, update)' },
  'buses.retention': { description: 'how long events are kept, e.g. 7d (create, update)', default: "the server's --retention" },
  'buses.dedupe-window': { description: 'how long (source, id) is remembered, e.g. 24h (create, update)', default: "the server's --dedupe-window" },
  'buses.force': { description: 'delete a bus that still has rules (and its events)', default: 'false' },
  'pattern.pattern': { description: 'an EventBridge event pattern (JSON, or @file)' },
  'pattern.cesql': { description: 'a CloudEvents SQL expression' },
  'pattern.subscriptions': { description: 'CloudEvents Subscriptions filters (JSON, or @file)' },
  'pattern.event': { description: 'the event to test (JSON, or @file)' },
  'transform.transform': { description: 'the transform (JSON, or @file)' },
  'transform.event': { description: 'the event to transform (JSON, or @file)' },
  'transform.view': { description: 'the view the rule sees: cloudevent or eventbridge', default: 'cloudevent' },
};

export function flagHelp(command: string, flag: string): FlagHelp | undefined {
  if (command === 'start') {
    const setting = Object.values(SETTINGS).find((s) => s.flag === flag);
    if (setting) return { description: `${setting.help} ($${setting.env})`, ...(setting.default !== undefined ? { default: String(setting.default) } : {}) };
  }
  return SHARED[`${command}.${flag}`] ?? SHARED[flag];
}
