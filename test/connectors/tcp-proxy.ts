/**
 * A TCP proxy in the test process: 127.0.0.1:<ephemeral> → a real service. `drop()` kills every open
 * connection and refuses new ones (accepts and resets them at once), `allow()` lets traffic through
 * again — an outage without touching the shared server.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private dropping = false;
  port = 0;

  constructor(private readonly targetPort: number, private readonly targetHost = '127.0.0.1') {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    this.port = address.port;
    return this;
  }

  private accept(client: Socket): void {
    if (this.dropping) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect({ port: this.targetPort, host: this.targetHost });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  drop(): void {
    this.dropping = true;
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
  }

  allow(): void {
    this.dropping = false;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
