import { connect as amqpConnect } from 'amqplib';
import { connect } from 'node:net';
import { topics } from '@sweetgiggles/contracts';
import { floorAppId, floorTopic } from './floor.ts';
import { serviceNames } from './ports.ts';
import type { Broker } from './system.ts';

/** Where the brokers are, from the environment, with the local defaults. */
export const brokerAddresses = {
  redis: process.env['REDIS_HOST'] ?? '127.0.0.1:6379',
  rabbitmq: process.env['RABBITMQ_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672',
};

/** A system's own part of the shared brokers: a Redis database and a RabbitMQ virtual host. */
export interface Partition {
  redisDb: number;
  rabbitmqVhost: string;
}

/**
 * Each kind of system keeps to its own part of the shared brokers. The shop (`npm start`, Compose,
 * Kubernetes) uses the defaults; the tests and the benchmark their own, so that either runs while the
 * shop serves orders and neither sees the other's state or events (each app id is one consumer group
 * or queue, which two systems in one partition would share). The integration systems empty their
 * Redis database before they start; the deployment checks, which run beside them, have another.
 * `scripts/setup.sh` creates the virtual hosts where it may administer RabbitMQ.
 */
export const partitions = {
  shop: { redisDb: 0, rabbitmqVhost: '/' },
  tests: { redisDb: 1, rabbitmqVhost: 'sweetgiggles-tests' },
  benchmark: { redisDb: 2, rabbitmqVhost: 'sweetgiggles-benchmark' },
  deploymentChecks: { redisDb: 3, rabbitmqVhost: 'sweetgiggles-tests' },
} as const satisfies Record<string, Partition>;

export type PartitionName = keyof typeof partitions;

/** The RabbitMQ URL of `vhost` on the broker of `base`. */
export function rabbitmqUrlIn(vhost: string, base = brokerAddresses.rabbitmq): string {
  const url = new URL(base);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return url.toString();
}

/** Where a system of this kind finds its brokers. */
export interface PartitionAddresses {
  redisHost: string;
  redisDb: number;
  rabbitmqUrl: string;
}

/**
 * The addresses of a partition. When RabbitMQ refuses its virtual host (nobody created it: setup had
 * no right to), the system uses the default one and this says so: it then shares the shop's queues,
 * and must not run beside it on RabbitMQ. The virtual host is tried once per process.
 */
export async function partitionAddresses(name: PartitionName): Promise<PartitionAddresses> {
  let rabbitmqUrl = rabbitmqUrls.get(name);
  if (!rabbitmqUrl) {
    rabbitmqUrl = rabbitmqUrlOf(name);
    rabbitmqUrls.set(name, rabbitmqUrl);
  }
  return { redisHost: brokerAddresses.redis, redisDb: partitions[name].redisDb, rabbitmqUrl: await rabbitmqUrl };
}

const rabbitmqUrls = new Map<PartitionName, Promise<string>>();

async function rabbitmqUrlOf(name: PartitionName): Promise<string> {
  const { rabbitmqVhost } = partitions[name];
  const own = rabbitmqUrlIn(rabbitmqVhost);
  if (rabbitmqVhost === '/' || (await opensVhost(own))) return own;
  console.warn(`RabbitMQ has no virtual host ${rabbitmqVhost} (npm run setup creates it when it may): the ${name} use the shop's`);
  return brokerAddresses.rabbitmq;
}

async function opensVhost(url: string): Promise<boolean> {
  try {
    const connection = await amqpConnect(url, { timeout: 3_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

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

/**
 * The durable queues a system's subscriptions read: Dapr's RabbitMQ component names each
 * `<app id>-<topic>`, and its dead-letter queue `dlq-<app id>-<topic>`. Every service's app id with
 * every topic, and the benchmark's floor; most of these never exist. A notifier
 * replica's broadcast queue has a name of its own, which no later system reads (the broker's policy
 * deletes it after its replica has gone).
 */
export function durableQueueNames(): string[] {
  const queues = [...serviceNames.flatMap((app) => Object.values(topics).map((topic) => `${app}-${topic}`)), `${floorAppId}-${floorTopic}`];
  return [...queues, ...queues.map((queue) => `dlq-${queue}`)];
}

/**
 * Empties the durable queues of one RabbitMQ virtual host (see `durableQueueNames`), so that a
 * system starts as on a fresh broker, as `emptyRedisDatabase` does for Redis: events an earlier
 * system left unconsumed (a benchmark that fell behind, a test stopped in the middle of a saga) would
 * otherwise reach the new one, about orders its emptied state has never heard of. A queue that does
 * not exist is left alone.
 */
export async function emptyRabbitmqQueues(url: string, queues = durableQueueNames()): Promise<void> {
  const connection = await amqpConnect(url, { timeout: 5_000 });
  try {
    for (const queue of queues) {
      // A queue that does not exist closes the channel it was asked on (404): one channel per queue.
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      try {
        await channel.purgeQueue(queue);
        await channel.close();
      } catch {
        // Not there: nothing to empty.
      }
    }
  } finally {
    await connection.close();
  }
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
