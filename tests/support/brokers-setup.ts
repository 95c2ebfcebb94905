import { brokerAddresses, checkReachable } from '../../scripts/lib/brokers.ts';

/**
 * Vitest global setup of the suites that start the real system: they need Redis and RabbitMQ, at
 * REDIS_HOST and RABBITMQ_URL when those are set, on this machine's standard ports otherwise. When
 * either does not answer, the run stops at once with one sentence saying what to start, rather than
 * with every suite timing out.
 */
export default async function brokersSetup(): Promise<void> {
  const rabbitmq = new URL(brokerAddresses.rabbitmq);
  const checks = await Promise.allSettled([
    checkReachable('Redis', brokerAddresses.redis),
    checkReachable('RabbitMQ', `${rabbitmq.hostname}:${rabbitmq.port || '5672'}`),
  ]);
  const missing = checks.flatMap((check) => (check.status === 'rejected' ? [(check.reason as Error).message] : []));
  if (missing.length > 0) {
    throw new Error(
      `The integration tests run the shop on a real Redis and RabbitMQ: ${missing.join('; ')}. ` +
        "Start them (your distribution's redis-server and rabbitmq-server packages, or their containers), or set REDIS_HOST and RABBITMQ_URL to where yours run.",
    );
  }
}
