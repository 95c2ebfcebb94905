import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveOrderId } from '../../services/order/src/order-service.ts';
import { NotificationClient } from '../../scripts/lib/notification-client.ts';
import { fetchChecked } from '../support/api-contract.ts';
import { Faults } from '../support/faults.ts';
import { happyPath, sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

const brokers: { broker: Broker; basePort: number }[] = [
  { broker: 'redis', basePort: 26000 },
  { broker: 'rabbitmq', basePort: 26100 },
];

/**
 * A process killed between its write and its publish, and a redelivered event: whatever happens,
 * every order ends exactly once and every customer sees each event once.
 */
describe.each(brokers)('crashes and redeliveries on $broker', ({ broker, basePort }) => {
  let faults: Faults;
  let system: RunningSystem;
  let shop: ShopClient;
  const customer = () => `crash-${broker}-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    faults = new Faults(basePort);
    system = await startSystem({ broker, basePort, env: { SWEETGIGGLES_FAULTS_DIR: faults.dir } });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('finishes a step whose service died after writing its state and before publishing', async () => {
    const who = customer();
    const socket = await NotificationClient.open(system.shopUrl, { customerId: who });
    const crashed = faults.crashAt('after-commit:WorkerSearchCompleted');
    const order = await shop.placeOrder(who, [{ sku: 'gummy-bears', quantity: 1 }]);
    await crashed;
    await delay(500);
    await system.revive('delivery');
    const ended = await shop.waitForEnd(order.orderId, 150_000);
    expect(ended.status).toBe('completed');
    expect(ended.history.map((entry) => entry.name)).toEqual(happyPath);
    await socket.waitForEnd(order.orderId, 30_000);
    expect(socket.events.map((event) => event.name).sort()).toEqual([...happyPath].sort());
    socket.close();
  });

  it('finishes an order whose service died after publishing OrderCreated and before recording the order', async () => {
    const who = customer();
    const key = randomUUID();
    const crashed = faults.crashAt('after-publish:OrderCreated');
    const answer = await shop.post(
      '/api/orders',
      { customerId: who, items: [{ sku: 'candy-canes', quantity: 2 }] },
      { 'idempotency-key': key },
    );
    await crashed;
    expect(answer.status).toBeGreaterThanOrEqual(500);
    await delay(500);
    await system.revive('order');
    // Nobody retries the request: the service finds the order from its own event and finishes it.
    const orderId = deriveOrderId(who, key);
    shop.remember({ orderId, customerId: who });
    const deadline = Date.now() + 60_000;
    const read = () => fetchChecked(`${system.shopUrl}/api/orders/${orderId}`, { headers: shop.ownerHeaders(orderId) });
    while ((await read()).status === 404 && Date.now() < deadline) await delay(250);
    // Steps that reached the order service before its record existed come back after the retry
    // policy's back-off: the history fills in, possibly after the order has completed.
    const ended = await shop.waitFor(orderId, (o) => o.status !== 'created' && o.history.length >= happyPath.length, 150_000);
    expect(ended.status).toBe('completed');
    expect(ended.history.map((entry) => entry.name)).toEqual(happyPath);
    expect(sagaViolations(ended.history)).toEqual([]);
    // The customer's retry now finds the very same order.
    const retried = await shop.post(
      '/api/orders',
      { customerId: who, items: [{ sku: 'candy-canes', quantity: 2 }] },
      { 'idempotency-key': key },
    );
    expect(retried.status).toBe(200);
    expect(retried.body.orderId).toBe(orderId);
  });

  it('republishes, with the same ids, what a redelivered event caused, and shows the customer each event once', async () => {
    const who = customer();
    const socket = await NotificationClient.open(system.shopUrl, { customerId: who });
    const order = await shop.placeOrder(who, [{ sku: 'jelly-beans', quantity: 1 }]);
    const completed = await shop.waitForEnd(order.orderId, 120_000);
    expect(completed.status).toBe('completed');
    await socket.waitForEnd(order.orderId, 30_000);
    const accepted = socket.events.find((event) => event.name === 'PaymentAccepted');
    expect(accepted).toBeDefined();

    const consumedBefore = await readMetric(`${system.appUrl('delivery')}/metrics`, 'sweetgiggles_events_consumed_total', {
      event: 'WorkerSearchStarted',
    });
    // PaymentAccepted again, exactly as the broker would redeliver it: same CloudEvent id, same data.
    const query = new URLSearchParams({
      'metadata.cloudevent.id': `${order.orderId}.PaymentAccepted`,
      'metadata.cloudevent.type': 'PaymentAccepted',
    });
    const replay = await fetch(`${system.sidecarUrl('payment')}/v1.0/publish/pubsub/payments?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...system.sidecarHeaders('payment') },
      body: JSON.stringify(accepted!.data),
    });
    expect(replay.status).toBe(204);

    // The delivery service republishes the step it took then, which is consumed again...
    const deadline = Date.now() + 30_000;
    let consumed = consumedBefore;
    while (consumed === consumedBefore && Date.now() < deadline) {
      await delay(250);
      consumed = await readMetric(`${system.appUrl('delivery')}/metrics`, 'sweetgiggles_events_consumed_total', {
        event: 'WorkerSearchStarted',
      });
    }
    expect(consumed).toBeGreaterThan(consumedBefore);
    await delay(2_000);
    // ...and changes nothing: the order is as it was, and the customer saw every event once.
    expect(await shop.getOrder(order.orderId)).toEqual(completed);
    expect(socket.events.map((event) => event.name).sort()).toEqual([...happyPath].sort());
    const fresh = await NotificationClient.open(system.shopUrl, { customerId: who, lastEventId: '0' });
    await fresh.waitFor((messages) => messages.filter((m) => m.type === 'event').length >= happyPath.length, 10_000);
    await delay(500);
    expect(fresh.events.map((event) => event.name).sort()).toEqual([...happyPath].sort());
    fresh.close();
    socket.close();
  });
});
