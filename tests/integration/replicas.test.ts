import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happyPath, sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

const scaled = ['order', 'payment', 'delivery'] as const;

/**
 * Two replicas of each service that decides, sharing each consumer group: the events of one order are
 * handled by either, often at the same moment, so per-process locks cannot keep them apart; only the
 * ETag of each write does. A lost update would drop a step from an order's history.
 */
describe.each<{ broker: Broker; basePort: number }>([
  { broker: 'redis', basePort: 27200 },
  { broker: 'rabbitmq', basePort: 27300 },
])('two replicas of order, payment and delivery on $broker', ({ broker, basePort }) => {
  let system: RunningSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await startSystem({ broker, basePort, replicas: { order: 2, payment: 2, delivery: 2 } });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('takes every order to one end with every step recorded once, both replicas taking part', async () => {
    const orders = await Promise.all(
      Array.from({ length: 24 }, (_, i) => shop.placeOrder(`replicas-${broker}-${i % 6}`, [{ sku: 'gummy-bears', quantity: 1 + (i % 3) }])),
    );
    const settled = await Promise.all(
      orders.map((order) =>
        shop.waitFor(
          order.orderId,
          (o) => o.status === 'completed' && happyPath.every((name) => o.history.some((e) => e.name === name)),
          90_000,
        ),
      ),
    );
    for (const order of settled) {
      expect(order.status, order.orderId).toBe('completed');
      expect(sagaViolations(order.history), order.orderId).toEqual([]);
      expect(order.history.map((entry) => entry.name).sort(), order.orderId).toEqual([...happyPath].sort());
    }
    for (const name of scaled) {
      for (const replica of [0, 1]) {
        const consumed = await readMetric(`${system.sidecarAppUrl(name, replica)}/metrics`, 'sweetgiggles_events_consumed_total');
        expect(consumed, `${name} replica ${replica}`).toBeGreaterThan(0);
      }
    }
  });
});
