/**
 * Reading a context attribute as a CESQL value (CESQL §3.2). Events are CloudEvents in JSON form
 * (formats-json-format.md §3): attributes and extensions are top-level members.
 */
import { pushError } from './casts.js';
import type { CesqlValue, EvalContext } from './types.js';

/** REQUIRED attributes (CloudEvents spec §3.1): `EXISTS` on them is always true (CESQL §3.4.4). */
export const REQUIRED_ATTRIBUTES: ReadonlySet<string> = new Set(['id', 'source', 'specversion', 'type']);

/** Members of the JSON form that are not context attributes: CESQL does not see the data (§1). */
const NOT_ATTRIBUTES: ReadonlySet<string> = new Set(['data', 'data_base64']);

/**
 * The attribute's CESQL value, or `undefined` when the event does not have it. Strings, booleans and
 * 32-bit integers keep their type; anything else (a fractional or larger number, an object from a
 * non-conforming producer) is represented as a String, as §3.2 requires. JSON `null` is absence
 * (formats-json-format.md §3.1).
 */
export function attributeValue(event: Record<string, unknown>, name: string): CesqlValue | undefined {
  return NOT_ATTRIBUTES.has(name) ? undefined : memberValue(event, name);
}

/** As attributeValue, for a name already known not to be `data` / `data_base64` (the hot path). */
function memberValue(event: Record<string, unknown>, name: string): CesqlValue | undefined {
  const v = event[name];
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? (v === 0 ? 0 : v) : String(v);
    case 'object':
      // Only own members count; inherited ones (e.g. `constructor`) are functions, handled below.
      return v === null ? undefined : JSON.stringify(v);
    default:
      return undefined;
  }
}

export function hasAttribute(event: Record<string, unknown>, name: string): boolean {
  return attributeValue(event, name) !== undefined;
}

/** An evaluator reading one attribute; a missing one is `false` with a MissingAttributeError (§3.2). */
export function attributeReader(name: string, position: number): (ctx: EvalContext) => CesqlValue {
  const hidden = NOT_ATTRIBUTES.has(name);
  return (ctx) => {
    const v = hidden ? undefined : memberValue(ctx.event, name);
    if (v !== undefined) return v;
    pushError(ctx, { kind: 'missingAttribute', message: `attribute "${name}" is not in the event`, position, attribute: name });
    return false;
  };
}
