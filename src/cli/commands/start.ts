import { loadConfig, settingsHelp, SETTINGS } from '../../server/config.js';
import { startServer } from '../../server/start.js';
import type { Command } from '../command.js';
import { CliError, EXIT } from '../client.js';
import { isHeraldError } from '../../errors/index.js';
import { applyConfigFile } from '../../config-file/index.js';

/** Why a start is refused before anything runs (docs/errors.md). */
const START_REFUSALS = new Set<string>(['HERALD_DATA_DIR_LOCKED', 'HERALD_PORT_IN_USE', 'HERALD_STORE_TOO_NEW']);

const options = Object.fromEntries(Object.values(SETTINGS).map((s) => [s.flag, { type: 'string' as const }]));

export const startCommand: Command = {
  name: 'start',
  summary: 'Run Herald: every role in one process, on the embedded store.',
  usage: 'start [options]',
  details: `Every option can also be set by its environment variable (the flag wins):\n${settingsHelp()}`,
  options,
  async run(_positionals, values) {
    let config;
    try {
      config = loadConfig(values as Record<string, string | undefined>);
    } catch (error) {
      if (isHeraldError(error)) throw new CliError(error.message, EXIT.usage);
      throw error;
    }
    let server;
    try {
      server = await startServer(config);
    } catch (error) {
      // Expected refusals get one line naming the code, no stack trace, a non-zero exit.
      if (isHeraldError(error) && START_REFUSALS.has(error.code)) throw new CliError(`${error.message} (${error.code})`, EXIT.refused);
      // A setting the store refuses (`--store postgres://…` before that engine exists) is a usage
      // error like any other bad setting.
      if (isHeraldError(error) && error.code === 'HERALD_INVALID_REQUEST' && error.field === 'store') throw new CliError(`${error.message} (${error.code})`, EXIT.usage);
      throw error;
    }
    server.app.log.info({ url: server.url, dataDir: config.dataDir }, `Herald is listening on ${server.url}`);
    if (config.configFile) {
      try {
        const result = await applyConfigFile(config.configFile, { server: server.url, onProgress: (line) => server.app.log.info(line) });
        server.app.log.info({ file: config.configFile, changes: result.applied }, 'configuration file applied');
      } catch (error) {
        await server.stop();
        throw new CliError(`--config ${config.configFile}: ${(error as Error).message}`, EXIT.usage);
      }
    }
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        server.app.log.info({ signal }, 'shutting down: no new events; finishing in-flight commits');
        server.stop().then(resolve, (error: unknown) => {
          server.app.log.error({ err: error }, 'shutdown failed');
          resolve();
        });
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
  },
};
