import { RabbitMQContainer, type StartedRabbitMQContainer } from '@testcontainers/rabbitmq';
import { RedisContainer, type StartedRedisContainer } from '@testcontainers/redis';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/lib/system.ts';

/** Redis and RabbitMQ in containers of their own, and where to reach them. */
export interface ContainerBrokers {
  /** host:port, as REDIS_HOST takes it. */
  redisHost: string;
  /** amqp://guest:guest@host:port, as RABBITMQ_URL takes it. */
  rabbitmqUrl: string;
  /** Stops and removes both containers. */
  stop(): Promise<void>;
}

/** The images docker-compose.yml runs for the brokers, so that every mode uses the same versions. */
export function composeBrokerImages(): { redis: string; rabbitmq: string } {
  const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
  return { redis: compose.services['redis']!.image, rabbitmq: compose.services['rabbitmq']!.image };
}

/** Publishes a container's ports on loopback only (testcontainers publishes on every interface). */
function onLoopback<T extends RedisContainer | RabbitMQContainer>(container: T): T {
  const bindings = (container as unknown as { hostConfig: { PortBindings?: Record<string, { HostIp?: string }[]> } }).hostConfig
    .PortBindings;
  for (const list of Object.values(bindings ?? {})) for (const binding of list) binding.HostIp = '127.0.0.1';
  return container;
}

/**
 * Starts Redis and RabbitMQ with testcontainers' modules on the local Docker engine, from the images
 * the compose file names (pulled, or the local stand-ins of scripts/deploy/local-images.sh). Ryuk,
 * testcontainers' reaper, is off (its image cannot be pulled everywhere): `stop()` removes them.
 */
export async function startContainerBrokers(): Promise<ContainerBrokers> {
  process.env['TESTCONTAINERS_RYUK_DISABLED'] = 'true';
  const images = composeBrokerImages();
  const started = await Promise.allSettled([
    onLoopback(new RedisContainer(images.redis).withStartupTimeout(120_000)).start(),
    onLoopback(new RabbitMQContainer(images.rabbitmq).withStartupTimeout(120_000)).start(),
  ]);
  const [redis, rabbitmq] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined)) as [
    StartedRedisContainer | undefined,
    StartedRabbitMQContainer | undefined,
  ];
  const stop = async () => {
    await Promise.all([redis?.stop(), rabbitmq?.stop()]);
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw new Error(`Could not start the brokers' containers: ${(failed.reason as Error).message}`, { cause: failed.reason });
  }
  return {
    redisHost: `127.0.0.1:${redis!.getPort()}`,
    rabbitmqUrl: `amqp://guest:guest@127.0.0.1:${rabbitmq!.getMappedPort(5672)}`,
    stop,
  };
}
