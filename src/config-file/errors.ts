/**
 * Errors of reading and applying a herald.yaml, each with a stable code. A file error lists every
 * issue found, each pointing at the file, line, column and field
 * (`herald.yaml:14:9 buses[0].rules[2].targets[0].config.url: required`).
 */
import type { Position, Segment } from './types.js';

export const CONFIG_FILE_ERRORS = {
  /** The file cannot be read. */
  HERALD_CONFIG_FILE_UNREADABLE: 'HERALD_CONFIG_FILE_UNREADABLE',
  /** The file is not valid YAML or breaks the herald.yaml schema. */
  HERALD_CONFIG_FILE_INVALID: 'HERALD_CONFIG_FILE_INVALID',
  /** The server refused a change (or a read) of the plan. */
  HERALD_APPLY_REFUSED: 'HERALD_APPLY_REFUSED',
  /** Nothing answers at the server URL. */
  HERALD_APPLY_UNREACHABLE: 'HERALD_APPLY_UNREACHABLE',
} as const;
export type ConfigFileErrorCode = keyof typeof CONFIG_FILE_ERRORS;

export interface Issue {
  file: string;
  line: number;
  col: number;
  /** The field, e.g. `buses[0].rules[2].targets[0].config.url`. */
  path: string;
  message: string;
}

/** A server error body: the first fault, and all of them in `errors` (POST /v1/apply). */
export interface ServerRefusal {
  status: number;
  code?: string;
  field?: string;
  errors?: Array<{ code: string; message: string; field?: string }>;
}

export class ConfigFileError extends Error {
  constructor(
    readonly code: ConfigFileErrorCode,
    message: string,
    readonly issues: Issue[] = [],
    /** For HERALD_APPLY_REFUSED: the server's HTTP status and error body (with every fault, when it lists them). */
    readonly server?: ServerRefusal,
  ) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

export function isConfigFileError(value: unknown): value is ConfigFileError {
  return value instanceof ConfigFileError;
}

/** `buses[0].rules[2].name` */
export function formatPath(path: Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(file)' : out;
}

export function formatIssue(issue: Issue): string {
  return `${issue.file}:${issue.line}:${issue.col} ${issue.path}: ${issue.message}`;
}

export function issueAt(file: string, position: Position, path: Segment[], message: string): Issue {
  return { file, line: position.line, col: position.col, path: formatPath(path), message };
}
