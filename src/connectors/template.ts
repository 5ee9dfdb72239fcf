/**
 * Templates for topics, subjects, routing keys and stream keys: literal text with `{path}`
 * placeholders, where `path` is a dotted path into the CloudEvent's JSON form (`{type}`,
 * `{data.customer.id}`, `{data.items.0.sku}`). `{{` and `}}` stand for literal braces.
 *
 * Targets also offer `{idempotencyKey}` and `{deliveryId}` (camel case cannot clash with a CloudEvent
 * attribute: those are lower case, CloudEvents spec §3.1.1).
 *
 * A placeholder whose path is missing, null, an object or an array cannot name a destination, so
 * rendering fails with a PermanentError (the message goes to the dead-letter queue): retrying the same
 * event can never produce a different answer. A syntax error is caught earlier, when the config is
 * validated (HERALD_INVALID_REQUEST naming the field).
 */
import { PermanentError } from '../delivery/errors.js';
import { invalidConfig } from './config.js';
import type { OutboundMessage } from './types.js';

type Part = { literal: string } | { path: string[]; raw: string };

export interface Template {
  readonly source: string;
  /** True when the template has no placeholders (the rendered value is always `source`). */
  readonly constant: boolean;
  render(root: unknown): string;
}

const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/** Follows a dotted path (array indexes as numbers); `undefined` when any step is missing. */
export function getPath(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** Parses `text`; throws HERALD_INVALID_REQUEST naming `field` on a syntax error. */
export function compileTemplate(text: string, field: string): Template {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      literal += c;
      i++;
    } else if (c === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) invalidConfig(field, `unclosed "{" at ${i} in template ${JSON.stringify(text)}`);
      const raw = text.slice(i + 1, end).trim();
      if (!PATH.test(raw)) invalidConfig(field, `bad placeholder {${raw}} in template ${JSON.stringify(text)}: use a dotted path like {data.customer.id}`);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ path: raw.split('.'), raw });
      i = end;
    } else if (c === '}') {
      invalidConfig(field, `unmatched "}" at ${i} in template ${JSON.stringify(text)} (write "}}" for a literal brace)`);
    } else {
      literal += c;
    }
  }
  if (literal) parts.push({ literal });
  const constant = parts.every((p) => 'literal' in p);
  return {
    source: text,
    constant,
    render(root: unknown): string {
      let out = '';
      for (const part of parts) {
        if ('literal' in part) {
          out += part.literal;
          continue;
        }
        const value = getPath(root, part.path);
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out += String(value);
        else {
          const what = value === undefined ? 'is missing' : `is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object'}`;
          throw new PermanentError(`template ${JSON.stringify(text)}: {${part.raw}} ${what} in the event`, 'HERALD_TARGET_REJECTED');
        }
      }
      return out;
    },
  };
}

/** What a target renders its templates against: the event plus the delivery's identity. */
export function messageRoot(message: OutboundMessage): Record<string, unknown> {
  return { ...message.event, idempotencyKey: message.idempotencyKey, deliveryId: message.deliveryId };
}
