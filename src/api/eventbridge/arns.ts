/**
 * ARNs as EventBridge forms them (API reference, EventBus.Arn and Rule.Arn):
 *   arn:aws:events:{region}:{account}:event-bus/{bus}
 *   arn:aws:events:{region}:{account}:rule/{name}          (rules of the default bus)
 *   arn:aws:events:{region}:{account}:rule/{bus}/{name}    (rules of any other bus)
 * The account and region come from Herald's configuration. An ARN given by a client is read for its
 * resource part only: its account and region are not checked, since Herald has one of each.
 */
import { DEFAULT_BUS } from '../../store/index.js';
import { validation } from './errors.js';

export interface ArnContext {
  account: string;
  region: string;
}

const PREFIX = /^arn:aws[a-z-]*:events:([^:]*):([^:]*):(.+)$/;

export function busArn(ctx: ArnContext, bus: string): string {
  return `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${bus}`;
}

export function ruleArn(ctx: ArnContext, bus: string, rule: string): string {
  const path = bus === DEFAULT_BUS ? rule : `${bus}/${rule}`;
  return `arn:aws:events:${ctx.region}:${ctx.account}:rule/${path}`;
}

/** The bus an `EventBusName` names: a name or an event-bus ARN; absent means `default`. */
export function busNameOf(value: string | undefined, member = 'EventBusName'): string {
  if (value === undefined || value === '') return DEFAULT_BUS;
  if (!value.startsWith('arn:')) return value;
  const bus = parseBusArn(value);
  if (bus === undefined) throw validation(`${member} "${value}" is neither an event bus name nor an event bus ARN.`);
  return bus;
}

export function parseBusArn(arn: string): string | undefined {
  const resource = PREFIX.exec(arn)?.[3];
  if (resource === undefined || !resource.startsWith('event-bus/')) return undefined;
  const name = resource.slice('event-bus/'.length);
  return name === '' ? undefined : name;
}

export type ParsedArn = { kind: 'bus'; bus: string } | { kind: 'rule'; bus: string; rule: string };

/** A taggable resource ARN (TagResource and friends): a bus or a rule. */
export function parseResourceArn(arn: string): ParsedArn | undefined {
  const resource = PREFIX.exec(arn)?.[3];
  if (resource === undefined) return undefined;
  if (resource.startsWith('event-bus/')) {
    const bus = parseBusArn(arn);
    return bus === undefined ? undefined : { kind: 'bus', bus };
  }
  if (resource.startsWith('rule/')) {
    const parts = resource.slice('rule/'.length).split('/');
    if (parts.length === 1 && parts[0] !== '') return { kind: 'rule', bus: DEFAULT_BUS, rule: parts[0]! };
    if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { kind: 'rule', bus: parts[0]!, rule: parts[1]! };
  }
  return undefined;
}
