/** CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses (EventBridge API reference). */
import { HeraldError } from '../../errors/index.js';
import { checkName, DEFAULT_BUS, type BusRecord } from '../../store/index.js';
import { busArn, busNameOf } from './arns.js';
import { AwsError, validation } from './errors.js';
import { epochSeconds, onlyMembers, optionalString, page, requiredString, tagList, type Members } from './input.js';
import { requireBus, type Operation, type OperationEnv } from './env.js';

/** EventBus.Description: "Maximum length of 512." */
const MAX_DESCRIPTION = 512;

function describe(env: OperationEnv, bus: BusRecord): Members {
  const created = epochSeconds(bus.createdAt);
  return {
    Name: bus.name,
    Arn: busArn(env.arn, bus.name),
    ...(bus.description === '' ? {} : { Description: bus.description }),
    CreationTime: created,
    // Herald does not record bus updates yet; the creation time is the last change it knows of.
    LastModifiedTime: created,
  };
}

export const createEventBus: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Name', 'Description', 'Tags']);
  const name = requiredString(body, 'Name');
  if (name.startsWith('arn:')) throw validation('Name must be an event bus name, not an ARN.');
  const description = optionalString(body, 'Description');
  if (description !== undefined && description.length > MAX_DESCRIPTION) {
    throw validation(`Description must be at most ${MAX_DESCRIPTION} characters.`);
  }
  const tags = tagList(body);
  checkName(name);
  try {
    await env.ctx.store.buses.create(name, description === undefined ? {} : { description });
  } catch (error) {
    if (error instanceof HeraldError && error.code === 'HERALD_BUS_EXISTS') {
      throw new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    throw error;
  }
  if (tags !== undefined) env.busTags.set(name, tags);
  return { EventBusArn: busArn(env.arn, name), ...(description === undefined ? {} : { Description: description }) };
};

/**
 * AWS: "All rules associated with this event bus need to be deleted. You can't delete your account's
 * default event bus." Deleting a bus that does not exist succeeds, as on AWS.
 */
export const deleteEventBus: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Name']);
  const name = busNameOf(requiredString(body, 'Name'), 'Name');
  if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
  if ((await env.ctx.store.buses.get(name)) === undefined) return {};
  const rules = await env.ctx.rules.count(name);
  if (rules > 0) throw validation(`Event bus ${name} still has ${rules} rule(s); delete them first.`);
  await env.ctx.store.buses.delete(name);
  env.busTags.delete(name);
  return {};
};

export const describeEventBus: Operation = async (input, env) => {
  const body = onlyMembers(input, ['Name']);
  const bus = await requireBus(env, busNameOf(optionalString(body, 'Name'), 'Name'));
  return describe(env, bus);
};

export const listEventBuses: Operation = async (input, env) => {
  const body = onlyMembers(input, ['NamePrefix', 'NextToken', 'Limit']);
  const prefix = optionalString(body, 'NamePrefix') ?? '';
  const buses = (await env.ctx.store.buses.list()).filter((b) => b.name.startsWith(prefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const { items, NextToken } = page(buses, (b) => b.name, body);
  return { EventBuses: items.map((b) => describe(env, b)), ...(NextToken === undefined ? {} : { NextToken }) };
};
