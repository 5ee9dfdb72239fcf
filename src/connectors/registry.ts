/**
 * The one list of connectors (STYLE.md habit 5): adding a connector touches its folder and this
 * file — nothing registers itself on import. The `http` and `bus` targets are wired by the data
 * plane itself (the bus target needs the store); `findTarget` plugs into its `extraConnectors`.
 */
import { HeraldError } from '../errors/index.js';
import type { JsonSchema, SourceConnector, TargetConnector } from './types.js';
import { amqpTarget } from './targets/amqp/index.js';
import { mqttTarget } from './targets/mqtt/index.js';
import { mysqlTarget } from './targets/mysql/index.js';
import { natsTarget } from './targets/nats/index.js';
import { postgresTarget } from './targets/postgres/index.js';
import { redisTarget } from './targets/redis/index.js';
import { amqpSource } from './sources/amqp/index.js';
import { mqttSource } from './sources/mqtt/index.js';
import { natsSource } from './sources/nats/index.js';
import { outboxSource } from './sources/outbox/index.js';
import { redisSource } from './sources/redis/index.js';
import { scheduleSource } from './sources/schedule/index.js';
import { webhookSource } from './sources/webhook/index.js';

// Each connector is typed by its own config (Config is invariant: validate() returns it, create()
// takes it). Erasing it is sound because callers pass create()/start() only what validate() returned.
const target = <C>(c: TargetConnector<C>) => c as unknown as TargetConnector;
const source = <C>(c: SourceConnector<C> | Omit<SourceConnector<C>, 'start'>) => c as unknown as SourceConnector;

const TARGETS: readonly TargetConnector[] = [
  target(natsTarget), target(mqttTarget), target(amqpTarget), target(redisTarget), target(postgresTarget), target(mysqlTarget),
];
const SOURCES: readonly SourceConnector[] = [
  source(natsSource), source(mqttSource), source(amqpSource), source(redisSource), source(outboxSource), source(webhookSource), source(scheduleSource),
];

export interface ConnectorInfo {
  kind: 'target' | 'source';
  name: string;
  description: string;
  configSchema: JsonSchema;
}

/** The target connector named `name`, or undefined. */
export function findTarget(name: string): TargetConnector | undefined {
  return TARGETS.find((c) => c.name === name);
}

/** The source connector named `name`, or undefined. */
export function findSource(name: string): SourceConnector | undefined {
  return SOURCES.find((c) => c.name === name);
}

/** The target connector named `name`; HERALD_INVALID_REQUEST (field `type`) when there is none. */
export function getTarget(name: string): TargetConnector {
  const found = findTarget(name);
  if (!found) throw new HeraldError('HERALD_INVALID_REQUEST', `unknown target type ${JSON.stringify(name)}; known: ${TARGETS.map((c) => c.name).join(', ')}`, 'type');
  return found;
}

/** The source connector named `name`; HERALD_INVALID_REQUEST (field `type`) when there is none. */
export function getSource(name: string): SourceConnector {
  const found = findSource(name);
  if (!found) throw new HeraldError('HERALD_INVALID_REQUEST', `unknown source type ${JSON.stringify(name)}; known: ${SOURCES.map((c) => c.name).join(', ')}`, 'type');
  return found;
}

export function listConnectors(): ConnectorInfo[] {
  return [...TARGETS, ...SOURCES].map(({ kind, name, description, configSchema }) => ({ kind, name, description, configSchema }));
}
