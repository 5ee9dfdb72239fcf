/**
 * External services in tests: a test that needs one calls `requireService` first. When the service
 * is absent the test is skipped with a printed reason — unless HERALD_REQUIRE_SERVICES=1 (CI), where
 * an absent service is a failure.
 */
import { connect } from 'node:net';
import type { TestContext } from 'node:test';

export const SERVICES = {
  postgres: { port: 5432, what: 'PostgreSQL' },
  mariadb: { port: 3306, what: 'MariaDB' },
  redis: { port: 6379, what: 'Redis' },
  rabbitmq: { port: 5672, what: 'RabbitMQ' },
  mqtt: { port: 1883, what: 'Mosquitto MQTT' },
  nats: { port: 4222, what: 'NATS' },
} as const;
export type ServiceName = keyof typeof SERVICES;

export function reachable(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Returns true when the test may go on; false when it was skipped (service absent, not required). */
export async function requireService(t: TestContext, name: ServiceName): Promise<boolean> {
  const { port, what } = SERVICES[name];
  if (await reachable(port)) return true;
  const reason = `${what} is not reachable on 127.0.0.1:${port}`;
  if (process.env.HERALD_REQUIRE_SERVICES === '1') {
    throw new Error(`${reason}, and HERALD_REQUIRE_SERVICES=1 requires it`);
  }
  console.log(`# skipped: ${reason}`);
  t.skip(reason);
  return false;
}
