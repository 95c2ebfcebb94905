import { brokerAddresses, checkReachable } from '../../scripts/lib/brokers.ts';
import { startContainerBrokers } from './container-brokers.ts';
import { dockerAvailability } from './docker.ts';

/**
 * Vitest global setup of the suites that start the real system: they need Redis and RabbitMQ, at
 * REDIS_HOST and RABBITMQ_URL when those are set, on this machine's standard ports otherwise. When
 * neither is set and the local brokers do not answer, but a Docker engine does, it starts both in
 * containers (testcontainers) for the run and points REDIS_HOST and RABBITMQ_URL at them (the test
 * workers start afterwards and read them). Otherwise the run stops at once with one sentence saying
 * what to start, rather than with every suite timing out.
 */
export default async function brokersSetup(): Promise<(() => Promise<void>) | undefined> {
  const missing = await unreachableBrokers();
  if (missing.length === 0) return undefined;
  const given = Boolean(process.env['REDIS_HOST'] || process.env['RABBITMQ_URL']);
  if (!given && (await dockerAvailability()).engine) {
    const brokers = await startContainerBrokers();
    process.env['REDIS_HOST'] = brokers.redisHost;
    process.env['RABBITMQ_URL'] = brokers.rabbitmqUrl;
    console.info(
      `${missing.join('; ')}: the tests use Redis at ${brokers.redisHost} and RabbitMQ at ${brokers.rabbitmqUrl}, in containers`,
    );
    return () => brokers.stop();
  }
  throw new Error(
    `The integration tests run the shop on a real Redis and RabbitMQ: ${missing.join('; ')}. ` +
      "Start them (your distribution's redis-server and rabbitmq-server packages, or their containers), start a Docker engine for the tests to start them in, or set REDIS_HOST and RABBITMQ_URL to where yours run.",
  );
}

/** What does not answer at the configured addresses, one sentence each. */
async function unreachableBrokers(): Promise<string[]> {
  const rabbitmq = new URL(brokerAddresses.rabbitmq);
  const checks = await Promise.allSettled([
    checkReachable('Redis', brokerAddresses.redis),
    checkReachable('RabbitMQ', `${rabbitmq.hostname}:${rabbitmq.port || '5672'}`),
  ]);
  return checks.flatMap((check) => (check.status === 'rejected' ? [(check.reason as Error).message] : []));
}
