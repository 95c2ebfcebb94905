import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceNames } from '../../scripts/lib/system.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

/**
 * Two systems on the same Redis and RabbitMQ, each in its own partition (scripts/lib/brokers.ts), as
 * a test run beside a running shop is: same app ids, so without the partitions they would share
 * consumer groups and queues and take each other's events. The benchmark's partition stands in for the
 * shop's, so that this test never touches a shop that may be running.
 */
describe.each<{ broker: Broker; basePort: number }>([
  { broker: 'redis', basePort: 27000 },
  { broker: 'rabbitmq', basePort: 27100 },
])('two systems side by side on $broker', ({ broker, basePort }) => {
  let neighbour: RunningSystem;
  let system: RunningSystem;
  let early: Promise<unknown>[];

  beforeAll(async () => {
    neighbour = await startSystem({ broker, basePort, partition: 'benchmark' });
    // Orders still in flight on the neighbour while the test system starts and empties its own database.
    const shop = new ShopClient(neighbour.shopUrl);
    const placed = await Promise.all(
      [1, 2, 3].map((i) => shop.placeOrder(`neighbour-${broker}-${i}`, [{ sku: 'candy-canes', quantity: i }])),
    );
    early = placed.map((order) => shop.waitForEnd(order.orderId, 60_000));
    system = await startSystem({ broker, basePort: basePort + 50 });
  });

  afterAll(async () => {
    await system?.stop();
    await neighbour?.stop();
  });

  const consumed = async (of: RunningSystem) =>
    Promise.all(serviceNames.map((name) => readMetric(`${of.sidecarAppUrl(name)}/metrics`, 'sweetgiggles_events_consumed_total')));

  /**
   * The counts once they stop moving: the last events of a system's own earlier orders may still be
   * on their way. A count may rightly stand still for seconds before it moves again: a delivery the
   * app answered RETRY waits up to 5 s between attempts (the Resiliency policy's maxInterval), and the
   * notifier holds an event up to 5 s for its cause. So the counts have settled only once they have
   * not moved for longer than either.
   */
  async function settledCounts(of: RunningSystem): Promise<number[]> {
    const stillForMs = 6_000;
    let counts = await consumed(of);
    let since = Date.now();
    const deadline = since + 60_000;
    while (Date.now() < deadline) {
      await delay(1_000);
      const again = await consumed(of);
      if (!again.every((count, j) => count === counts[j])) {
        counts = again;
        since = Date.now();
      } else if (Date.now() - since >= stillForMs) return again;
    }
    throw new Error('the event counts did not settle within 60 s');
  }

  /** Places orders on one system and checks that they complete there and that the other consumes none of their events. */
  async function ordersStayOn(busy: RunningSystem, idle: RunningSystem, who: string): Promise<void> {
    const idleBefore = await settledCounts(idle);
    const busyBefore = await consumed(busy);
    const shop = new ShopClient(busy.shopUrl);
    const orders = await Promise.all([1, 2, 3, 4].map((i) => shop.placeOrder(`${who}-${i}`, [{ sku: 'gummy-bears', quantity: i }])));
    const ended = await Promise.all(orders.map((order) => shop.waitForEnd(order.orderId, 60_000)));
    expect(ended.map((order) => order.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    // Let the last events reach every subscriber (the notifier's two subscriptions among them).
    await delay(1_500);
    expect(await consumed(idle)).toEqual(idleBefore);
    const busyAfter = await consumed(busy);
    for (const [i, name] of serviceNames.entries()) expect(busyAfter[i]!, name).toBeGreaterThan(busyBefore[i]!);
    // And nobody on the other system can read those orders.
    const stranger = new ShopClient(idle.shopUrl);
    stranger.remember(orders[0]!);
    await expect(stranger.getOrder(orders[0]!.orderId)).rejects.toThrow(/404/);
  }

  it("finishes the neighbour's orders that were in flight while the test system started", async () => {
    const ended = (await Promise.all(early)) as { status: string }[];
    expect(ended.map((order) => order.status)).toEqual(['completed', 'completed', 'completed']);
  });

  it("keeps the test system's orders and events to itself", async () => {
    await ordersStayOn(system, neighbour, `tests-${broker}`);
  });

  it("keeps the neighbour's orders and events to itself", async () => {
    await ordersStayOn(neighbour, system, `neighbour-${broker}`);
  });
});
