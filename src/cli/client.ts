/**
 * The CLI's HTTP client. Exit codes (issue 5): 0 ok, 1 the server refused, 2 usage, 3 cannot connect.
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, unreachable: 3 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  server: string;
}

export function serverUrl(flag: string | undefined): string {
  return (flag ?? process.env.HERALD_URL ?? 'http://127.0.0.1:8740').replace(/\/+$/, '');
}

export async function request(
  options: ClientOptions,
  method: string,
  path: string,
  body?: { json: unknown } | { raw: string | Buffer; contentType: string },
): Promise<{ status: number; json: unknown }> {
  let response: Response;
  try {
    const headers: Record<string, string> = {};
    let payload: string | Buffer | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = body.contentType;
      payload = body.raw;
    }
    response = await fetch(`${options.server}${path}`, { method, headers, body: payload });
  } catch (error) {
    throw unreachable(options.server, error);
  }
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
  }
  if (response.status >= 400) throw refusal(response.status, text);
  return { status: response.status, json };
}

/** The one form of a server's refusal: `404 HERALD_BUS_NOT_FOUND: bus "x" does not exist (field bus)`, exit 1. */
export function refusal(status: number, text: string): CliError {
  let err: { code?: string; message?: string; field?: string } | undefined;
  try {
    err = JSON.parse(text) as typeof err;
  } catch {
    err = undefined;
  }
  const where = err?.field ? ` (field ${err.field})` : '';
  return new CliError(`${status} ${err?.code ?? ''}: ${err?.message ?? text}${where}`, EXIT.refused);
}

/** "cannot connect" in one form for every command (exit 3). */
export function unreachable(server: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return new CliError(`cannot connect to ${server}: ${cause?.code ?? cause?.message ?? String(error)}`, EXIT.unreachable);
}
