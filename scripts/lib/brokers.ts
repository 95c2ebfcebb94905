import { connect } from 'node:net';
import type { Broker } from './system.ts';

/** Where the brokers are, from the environment, with the local defaults. */
export const brokerAddresses = {
  redis: process.env['REDIS_HOST'] ?? '127.0.0.1:6379',
  rabbitmq: process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672',
};

/** Reads PUBSUB (redis, the default, or rabbitmq). */
export function brokerFromEnv(value = process.env['PUBSUB']): Broker {
  if (value === undefined || value === '' || value === 'redis') return 'redis';
  if (value === 'rabbitmq') return 'rabbitmq';
  throw new Error(`PUBSUB must be "redis" or "rabbitmq", not ${JSON.stringify(value)}`);
}

/** Resolves when host:port accepts a TCP connection within `timeoutMs`, rejects with a readable error otherwise. */
export function checkReachable(what: string, hostPort: string, timeoutMs = 2_000): Promise<void> {
  const [host = '127.0.0.1', port = '0'] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port), timeout: timeoutMs });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`${what} is not reachable at ${hostPort} (${reason})`));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail('timed out'));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
}

/** Checks that Redis (always: it holds the state) and the chosen broker accept connections. */
export async function checkBrokers(broker: Broker): Promise<void> {
  await checkReachable('Redis', brokerAddresses.redis);
  if (broker === 'rabbitmq') await checkReachable('RabbitMQ', new URL(brokerAddresses.rabbitmq).host || '127.0.0.1:5672');
}
