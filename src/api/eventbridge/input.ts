/**
 * Reading AWS JSON request members. Every operation lists the members it supports; any other member
 * is refused with a ValidationException naming it, never silently ignored (a Terraform or SDK user
 * must learn that a setting has no effect here).
 */
import { validation } from './errors.js';

export type Members = Record<string, unknown>;

export function isObject(value: unknown): value is Members {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks that `body` is an object holding only `allowed` members; `where` prefixes names (`Targets[0].`). */
export function onlyMembers(body: unknown, allowed: readonly string[], where = ''): Members {
  if (!isObject(body)) throw validation(`${where || 'The request body'} must be a JSON object.`);
  for (const [key, value] of Object.entries(body)) {
    // The SDKs never send null members; other clients may, and null means "not given".
    if (value === null) continue;
    if (!allowed.includes(key)) {
      throw validation(`${where}${key} is not supported by Herald's EventBridge API; supported here: ${allowed.join(', ')}.`);
    }
  }
  return body;
}

export function optionalString(body: Members, name: string, where = ''): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${where}${name} must be a string.`);
  return value;
}

export function requiredString(body: Members, name: string, where = ''): string {
  const value = optionalString(body, name, where);
  if (value === undefined || value === '') throw validation(`${where}${name} is required.`);
  return value;
}

export function optionalBoolean(body: Members, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validation(`${name} must be a boolean.`);
  return value;
}

export function optionalInteger(body: Members, name: string, min: number, max: number, where = ''): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validation(`${where}${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

export function stringList(body: Members, name: string, where = ''): string[] | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw validation(`${where}${name} must be a list of strings.`);
  return value as string[];
}

export function stringMap(body: Members, name: string, where = ''): Record<string, string> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw validation(`${where}${name} must be a map of strings to strings.`);
  }
  return value as Record<string, string>;
}

/** AWS `Tags`: `[{Key, Value}]` (API reference, Tag: Key 1–128, Value 0–256 characters). */
export function tagList(body: Members, name = 'Tags'): Record<string, string> | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validation(`${name} must be a list of {Key, Value}.`);
  const tags: Record<string, string> = {};
  value.forEach((tag, i) => {
    const t = onlyMembers(tag, ['Key', 'Value'], `${name}[${i}].`);
    const key = requiredString(t, 'Key', `${name}[${i}].`);
    const v = optionalString(t, 'Value', `${name}[${i}].`) ?? '';
    if (key.length > 128) throw validation(`${name}[${i}].Key must be at most 128 characters.`);
    if (v.length > 256) throw validation(`${name}[${i}].Value must be at most 256 characters.`);
    tags[key] = v;
  });
  return tags;
}

export function toTagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Pagination: `NextToken` is the last name returned, base64url-encoded (opaque to clients, stable
 * across calls because lists are ordered by name).
 */
export function page<T>(items: T[], nameOf: (item: T) => string, body: Members): { items: T[]; NextToken?: string } {
  const limit = optionalInteger(body, 'Limit', 1, 100) ?? 100;
  const token = optionalString(body, 'NextToken');
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    start = items.findIndex((item) => nameOf(item) > after);
    if (start < 0) start = items.length;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return more ? { items: slice, NextToken: Buffer.from(nameOf(slice.at(-1)!), 'utf8').toString('base64url') } : { items: slice };
}

/** AWS JSON 1.1 timestamps are epoch seconds. */
export function epochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
