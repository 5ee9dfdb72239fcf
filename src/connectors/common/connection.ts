/**
 * Targets and sources name their server either by `url` or by `connection`, a named credential
 * (`/v1/connections`) whose `url` field holds it — so secrets never sit in a rule's config.
 */
import { HeraldError } from '../../errors/index.js';
import type { TargetContext } from '../types.js';

export async function resolveUrl(config: { url?: string; connection?: string }, ctx: TargetContext): Promise<string> {
  if (config.connection !== undefined) {
    const fields = await ctx.connection(config.connection);
    if (typeof fields.url !== 'string' || fields.url === '') {
      throw new HeraldError('HERALD_INVALID_REQUEST', `connection ${config.connection} has no url field`, 'config.connection');
    }
    return fields.url;
  }
  if (config.url === undefined) throw new HeraldError('HERALD_INVALID_REQUEST', 'config.url or config.connection is required', 'config.url');
  return config.url;
}

/** `host:port` of a URL with its credentials removed, for event `source` URIs and logs. */
export function hostPort(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || defaultPort}`;
  } catch {
    return url.replace(/^[a-z]+:\/\//i, '').replace(/^[^@]*@/, '');
  }
}

/** The schema fragment every networked connector shares. */
export const URL_PROPERTIES = {
  url: { type: 'string', minLength: 1, format: 'uri', description: 'Server URL (`scheme://host:port…`). Either this or `connection`.' },
  connection: { type: 'string', minLength: 1, description: 'Name of a stored connection whose `url` field holds the server URL (with credentials).' },
} as const;
