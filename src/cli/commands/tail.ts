import type { Command } from '../command.js';
import { CLIENT_OPTIONS } from '../command.js';
import { CliError, EXIT, refusal, serverUrl, unreachable } from '../client.js';

export const tailCommand: Command = {
  name: 'tail',
  summary: "Follow a bus's events live (one JSON line per event: sequence, receivedAt, event).",
  usage: 'tail <bus> [--after SEQ] [--count N]',
  details: '--after 0 replays the bus from the start; without it only new events are shown. --count stops after N events.',
  options: { server: CLIENT_OPTIONS.server, after: { type: 'string' }, count: { type: 'string' } },
  async run([bus], values) {
    if (!bus) throw new CliError('herald tail needs a bus name', EXIT.usage);
    const server = serverUrl(values.server as string | undefined);
    const limit = values.count === undefined ? Infinity : Number(values.count);
    if (!(limit > 0) || (limit !== Infinity && !Number.isInteger(limit))) throw new CliError(`--count must be a whole number above 0, not "${String(values.count)}"`, EXIT.usage);
    const query = values.after !== undefined ? `?after=${encodeURIComponent(values.after as string)}` : '';
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort());
    let response: Response;
    try {
      response = await fetch(`${server}/v1/buses/${encodeURIComponent(bus)}/events/stream${query}`, { signal: controller.signal });
    } catch (error) {
      throw unreachable(server, error);
    }
    // Errors read as every other command's (issue 10, item 7): `404 HERALD_BUS_NOT_FOUND: …`.
    if (!response.ok || !response.body) throw refusal(response.status, await response.text());
    let seen = 0;
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (!data) continue;
          process.stdout.write(`${data}\n`);
          if (++seen >= limit) {
            controller.abort();
            return;
          }
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  },
};
