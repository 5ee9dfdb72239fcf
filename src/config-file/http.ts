/**
 * The admin API call apply makes. Unlike the CLI's generic client it keeps the server's error
 * (status, code, field, every fault), so each can be reported at its place in the file.
 */
import { ConfigFileError } from './errors.js';

export interface ApiResponse {
  status: number;
  json: unknown;
}

export async function call(server: string, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  let response: Response;
  try {
    response = await fetch(`${server.replace(/\/+$/, '')}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ConfigFileError('HERALD_APPLY_UNREACHABLE', `cannot connect to ${server}: ${cause?.code ?? cause?.message ?? String(error)}`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  if (response.status >= 400) {
    const err = (json ?? {}) as { code?: string; message?: string; field?: string; errors?: Array<{ code: string; message: string; field?: string }> };
    throw new ConfigFileError('HERALD_APPLY_REFUSED', `${method} ${path}: ${response.status} ${err.code ?? ''}: ${err.message ?? text}`, [], {
      status: response.status,
      ...(err.code !== undefined ? { code: err.code } : {}),
      ...(err.field !== undefined ? { field: err.field } : {}),
      ...(Array.isArray(err.errors) ? { errors: err.errors } : {}),
    });
  }
  return { status: response.status, json };
}
