/**
 * The server side of `npm run bench -- ingest`, run as its own process so that the load generator
 * does not share its event loop. `durable` is the real server; `ceiling` is the same HTTP stack,
 * parsing and validating every event, over a store that stores nothing.
 */
import { loadConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start.js';

const [mode, dataDir] = process.argv.slice(2);
const config = loadConfig({ port: '0', 'log-level': 'silent', 'data-dir': dataDir }, {});
const server = await startServer(config, { log: false });
if (mode === 'ceiling') {
  let sequence = 0;
  server.store.events.append = async (_bus, events) => events.map(() => ({ sequence: ++sequence, duplicate: false }));
}
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
