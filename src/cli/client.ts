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
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot connect to ${options.server}: ${cause?.code ?? cause?.message ?? String(error)}`, EXIT.unreachable);
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
  if (response.status >= 400) {
    const err = json as { code?: string; message?: string; field?: string } | undefined;
    const where = err?.field ? ` (field ${err.field})` : '';
    throw new CliError(`${response.status} ${err?.code ?? ''}: ${err?.message ?? text}${where}`, EXIT.refused);
  }
  return { status: response.status, json };
}
