import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContainerBrokers, type ContainerBrokers } from '../support/container-brokers.ts';
import { dockerAvailability } from '../support/docker.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem } from '../support/system.ts';

/**
 * The integration setup a laptop with Docker and no local brokers gets (tests/support/brokers-setup.ts):
 * Redis and RabbitMQ started by testcontainers, and the real services with real sidecars on them.
 * Here it runs whatever the machine has, so that CI, whose machine has its own brokers, runs it too.
 */
const docker = await dockerAvailability();
if (process.env['CI'] === 'true' && !docker.engine) {
  throw new Error(
    'The testcontainers suite runs in CI and needs a Docker engine: run scripts/deploy/docker-engine.sh, as setup does with CI=true.',
  );
}

describe.skipIf(!docker.engine)('the shop on Redis and RabbitMQ started by testcontainers', () => {
  let brokers: ContainerBrokers;

  beforeAll(async () => {
    brokers = await startContainerBrokers();
  }, 180_000);

  afterAll(async () => {
    await brokers?.stop();
  });

  it.each([
    { broker: 'redis', basePort: 27900 },
    { broker: 'rabbitmq', basePort: 27950 },
  ] as const)('completes orders with pub/sub on $broker, with both brokers in containers', async ({ broker, basePort }) => {
    const system = await startSystem({ broker, basePort, redisHost: brokers.redisHost, rabbitmqUrl: brokers.rabbitmqUrl });
    try {
      const shop = new ShopClient(system.shopUrl);
      const placed = await Promise.all(
        [1, 2, 3].map((n) =>
          shop.placeOrder(`containers-${broker}`, [{ sku: 'gummy-bears', quantity: n }], `${broker}-${n}-${Date.now()}`),
        ),
      );
      const ended = await Promise.all(placed.map((order) => shop.waitForEnd(order.orderId, 60_000)));
      expect(ended.map((order) => order.status)).toEqual(['completed', 'completed', 'completed']);
    } finally {
      await system.stop();
    }
  });
});
