import { connect } from 'node:net';
import type { Broker } from './system.ts';

/** Where the brokers are, from the environment, with the local defaults. */
export const brokerAddresses = {
  redis: process.env['REDIS_HOST'] ?? '127.0.0.1:6379',
  rabbitmq: process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672',
};

/**
 * Redis databases of their own for the tests and the benchmark, so that they never read or change
 * the shop's (database 0, what `npm start`, Compose and Kubernetes use). The systems the integration
 * tests start empty theirs first; the deployment checks, which run beside them, have another.
 */
export const redisDatabases = { tests: 1, benchmark: 2, deploymentChecks: 3 } as const;

/**
 * Empties one Redis database (SELECT, then FLUSHDB), so that a system starts as on a fresh broker:
 * no state, no streams, and no retained events for a new consumer group to read again.
 */
export function emptyRedisDatabase(hostPort: string, db: number, timeoutMs = 5_000): Promise<void> {
  const [host = '127.0.0.1', port = '6379'] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port), timeout: timeoutMs });
    let replies = '';
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`could not empty Redis database ${db} at ${hostPort}: ${reason}`));
    };
    socket.once('connect', () => socket.write(`SELECT ${db}\r\nFLUSHDB\r\n`));
    socket.on('data', (chunk: Buffer) => {
      replies += chunk.toString('latin1');
      if (replies.startsWith('-')) return fail(replies.trim());
      if (replies === '+OK\r\n+OK\r\n') {
        socket.end();
        resolve();
      } else if (replies.split('\r\n').length > 2) fail(replies.trim());
    });
    socket.once('timeout', () => fail('timed out'));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
}

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
