/**
 * Errors are values with a stable code, an HTTP status, a message a user can act on and, where one
 * input field is at fault, that field. Components test `code`, never the message text.
 */
import { ERRORS, type ErrorCode } from './catalogue.js';

export class HeraldError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, field?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HeraldError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.field = field;
    this.details = details;
  }

  /** The body every HTTP error answers with: `{code, message, field?}` (ARCHITECTURE.md). */
  toJSON(): { code: ErrorCode; message: string; field?: string } & Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined ? { field: this.field } : {}),
      ...(this.details ?? {}),
    };
  }
}

/** The one wording of "no such bus", used wherever a bus is looked up by name. */
export function busNotFound(bus: string): HeraldError {
  return new HeraldError('HERALD_BUS_NOT_FOUND', `bus "${bus}" does not exist`, 'bus');
}

export function isHeraldError(value: unknown): value is HeraldError {
  return value instanceof HeraldError;
}
