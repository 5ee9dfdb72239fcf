/**
 * Type casts (CESQL §3.7). Each returns the cast value; on failure it records a CastError on the
 * context and returns the target type's zero value, which the operator then computes with
 * ("the cast result is false", §3.7 — the TCK's `NOT 10` is `true` with a cast error).
 */
import type { CesqlError, CesqlType, CesqlValue, EvalContext } from './types.js';

const INTEGER_TEXT = /^[+-]?[0-9]+$/;

export function pushError(ctx: EvalContext, error: CesqlError): void {
  if (ctx.errors === null) ctx.errors = [error];
  else ctx.errors.push(error);
}

function castError(ctx: EvalContext, message: string, position: number): void {
  pushError(ctx, { kind: 'cast', message, position });
}

/** Integer -> String is base 10 without leading zeros; Boolean -> String is "true" / "false". */
export function toStringValue(value: CesqlValue): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value ? 'true' : 'false';
}

/** String -> Integer: a 32-bit base-10 integer with an optional sign, else 0 and a CastError. */
export function toIntegerValue(ctx: EvalContext, value: CesqlValue, position: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (INTEGER_TEXT.test(value)) {
    const n = Number(value);
    if (n >= -2147483648 && n <= 2147483647) return n === 0 ? 0 : n;
    castError(ctx, `cannot cast ${JSON.stringify(value)} to Integer: it overflows 32 bits`, position);
    return 0;
  }
  castError(ctx, `cannot cast ${JSON.stringify(value)} to Integer`, position);
  return 0;
}

/**
 * String -> Boolean is "true"/"false" in any case, else false and a CastError. Integer -> Boolean
 * (0 is false) is done by the explicit `BOOL()` only; an operator that needs a Boolean and gets an
 * Integer raises a CastError with `false` — the official TCK (not_operator "Invalid int cast")
 * requires this for `NOT 10`, and Herald applies it to every implicit cast alike.
 */
export function toBooleanValue(ctx: EvalContext, value: CesqlValue, position: number, explicit: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (explicit) return value !== 0;
    castError(ctx, `cannot implicitly cast Integer ${value} to Boolean (use BOOL())`, position);
    return false;
  }
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  castError(ctx, `cannot cast ${JSON.stringify(value)} to Boolean`, position);
  return false;
}

export type Caster = (ctx: EvalContext, value: CesqlValue) => CesqlValue;

/** The implicit cast to `target` (CESQL §3.7), or null when the static type already is the target. */
export function implicitCaster(from: CesqlType, target: Exclude<CesqlType, 'any'>, position: number): Caster | null {
  if (from === target) return null;
  switch (target) {
    case 'string':
      return (_ctx, v) => toStringValue(v);
    case 'integer':
      return (ctx, v) => toIntegerValue(ctx, v, position);
    case 'boolean':
      return (ctx, v) => toBooleanValue(ctx, v, position, false);
  }
}
