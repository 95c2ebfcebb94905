import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderFlow } from '../../scripts/lib/order-flow.ts';
import { PrivateRabbitMQ, PrivateRedis } from '../../scripts/lib/private-broker.ts';
import { sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';

/** Orders per second while the broker goes away and comes back, as in the report that started this. */
const rate = 3;
/** How long the broker stays away. */
const downMs = 8_000;
/** Every accepted order must end within this time of the broker's return. */
const recoveryBoundMs = 40_000;
/** Every step here is instant, so an order unchanged for 3 s has stalled. */
const quickRedrive = { STALL_AFTER_MS: '3000' };

/** One order through the whole saga, so that what follows is measured on a system in its stride. */
async function warmUp(shop: ShopClient): Promise<void> {
  const order = await shop.placeOrder('warm-up', [{ sku: 'gummy-bears', quantity: 1 }]);
  expect((await shop.waitForEnd(order.orderId, 30_000)).status).toBe('completed');
}

/**
 * The broker goes away under a steady flow of orders and comes back. Each broker here is the test's
 * own (private ports, data in a temporary directory), so restarting it disturbs nobody else.
 */
async function flowAcross(shop: ShopClient, name: string, disturb: () => Promise<void>): Promise<void> {
  const flow = new OrderFlow(shop);
  flow.start(rate, name);
  await delay(3_000);
  const gone = Date.now();
  await disturb();
  const back = Date.now();
  await delay(3_000);
  await flow.stop();

  const { ended, open } = await flow.waitForAllSettled(recoveryBoundMs);
  const lastEndedAt = Math.max(...flow.accepted.map((order) => order.settledAt ?? 0));
  const recoveredS = ((Math.max(lastEndedAt, back) - back) / 1000).toFixed(1);
  console.log(
    `[broker-restart] ${name}: away for ${((back - gone) / 1000).toFixed(1)} s; ` +
      `${flow.accepted.length} orders accepted, ${flow.refused.length} refused; ` +
      `${open.length ? `${open.length} still open` : `every one settled ${recoveredS} s after it came back`}`,
  );
  expect(flow.accepted.length).toBeGreaterThan(10);
  expect(open, 'orders that never settled').toEqual([]);
  for (const order of ended) expect(sagaViolations(order.history), order.orderId).toEqual([]);
}

describe('a RabbitMQ restart under a steady flow of orders', () => {
  const basePort = 26200;
  let rabbit: PrivateRabbitMQ | undefined;
  let redis: PrivateRedis | undefined;
  let system: RunningSystem | undefined;

  beforeAll(async () => {
    [rabbit, redis] = await Promise.all([PrivateRabbitMQ.start(basePort + 60), PrivateRedis.start(basePort + 70)]);
    system = await startSystem({ broker: 'rabbitmq', basePort, rabbitmqUrl: rabbit.address, redisHost: redis.address, env: quickRedrive });
    await warmUp(new ShopClient(system.shopUrl));
  });

  afterAll(async () => {
    await system?.stop();
    await Promise.all([rabbit?.stop(), redis?.stop()]);
  });

  it(`ends every accepted order exactly once within ${recoveryBoundMs / 1000} s of the broker's return`, async () => {
    await flowAcross(new ShopClient(system!.shopUrl), 'rabbitmq-restart', () => rabbit!.restart(downMs));
  });
});

describe('Redis going away under a steady flow of orders', () => {
  const basePort = 26300;
  let redis: PrivateRedis | undefined;
  let system: RunningSystem | undefined;

  beforeAll(async () => {
    redis = await PrivateRedis.start(basePort + 60);
    system = await startSystem({ broker: 'redis', basePort, redisHost: redis.address, env: quickRedrive });
    await warmUp(new ShopClient(system.shopUrl));
  });

  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
  });

  it(`ends every accepted order exactly once when every client connection is killed`, async () => {
    await flowAcross(new ShopClient(system!.shopUrl), 'redis-client-kill', () => redis!.cutConnections());
  });

  it(`ends every accepted order exactly once within ${recoveryBoundMs / 1000} s of a Redis restart`, async () => {
    await flowAcross(new ShopClient(system!.shopUrl), 'redis-restart', () => redis!.restart(downMs));
  });
});
