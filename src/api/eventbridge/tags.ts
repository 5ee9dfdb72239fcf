/**
 * TagResource, UntagResource, ListTagsForResource (API reference) on bus and rule ARNs. Rule tags are
 * saved with the rule (RulesService.setTags); bus tags are kept in memory until bus records carry tags.
 */
import { parseResourceArn, type ParsedArn } from './arns.js';
import { AwsError } from './errors.js';
import { onlyMembers, requiredString, stringList, tagList, toTagList, type Members } from './input.js';
import { orNotFound, requireBus, requireRule, type Operation, type OperationEnv } from './env.js';

/** AWS quota: 50 tags per resource. */
const MAX_TAGS = 50;

function resourceOf(body: Members): ParsedArn {
  const arn = requiredString(body, 'ResourceARN');
  const parsed = parseResourceArn(arn);
  if (parsed === undefined) throw new AwsError('ResourceNotFoundException', `Resource ${arn} is not an event bus or rule ARN.`);
  return parsed;
}

async function tagsOf(env: OperationEnv, resource: ParsedArn): Promise<Record<string, string>> {
  if (resource.kind === 'rule') return { ...(await requireRule(env, resource.bus, resource.rule)).tags };
  await requireBus(env, resource.bus);
  return { ...env.busTags.get(resource.bus) };
}

async function saveTags(env: OperationEnv, resource: ParsedArn, tags: Record<string, string>): Promise<void> {
  if (Object.keys(tags).length > MAX_TAGS) throw new AwsError('LimitExceededException', `A resource has at most ${MAX_TAGS} tags.`);
  if (resource.kind === 'rule') {
    await orNotFound(resource.bus, resource.rule, () => env.ctx.rules.setTags(resource.bus, resource.rule, tags));
  } else {
    env.busTags.set(resource.bus, tags);
  }
}

export const tagResource: Operation = async (input, env) => {
  const body = onlyMembers(input, ['ResourceARN', 'Tags']);
  const resource = resourceOf(body);
  const tags = tagList(body) ?? {};
  await saveTags(env, resource, { ...(await tagsOf(env, resource)), ...tags });
  return {};
};

export const untagResource: Operation = async (input, env) => {
  const body = onlyMembers(input, ['ResourceARN', 'TagKeys']);
  const resource = resourceOf(body);
  const keys = stringList(body, 'TagKeys') ?? [];
  const tags = await tagsOf(env, resource);
  for (const key of keys) delete tags[key];
  await saveTags(env, resource, tags);
  return {};
};

export const listTagsForResource: Operation = async (input, env) => {
  const body = onlyMembers(input, ['ResourceARN']);
  return { Tags: toTagList(await tagsOf(env, resourceOf(body))) };
};
