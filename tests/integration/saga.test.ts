import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

const brokers: { broker: Broker; basePort: number }[] = [
  { broker: 'redis', basePort: 23100 },
  { broker: 'rabbitmq', basePort: 23200 },
];

describe.each(brokers)('the order saga on $broker', ({ broker, basePort }) => {
  let system: RunningSystem;
  let shop: ShopClient;
  const customer = () => `it-${broker}-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    system = await startSystem({
      broker,
      basePort,
      // Drivers turn jobs down and drives fail often enough that every branch shows up; the search
      // for a driver takes long enough for a customer to cancel in it (a cancel that reaches the
      // delivery service during the pick-up comes too late), pick-up and drive long enough to crash in.
      env: {
        WORKER_DECLINE_PROBABILITY: '0.3',
        DELIVERY_ABORT_PROBABILITY: '0.3',
        WORKER_SEARCH_DELAY_MS: '2000',
        PICKUP_DELAY_MS: '1500',
        DRIVE_DELAY_MS: '1000',
      },
    });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('takes many orders each to exactly one terminal state through a history the saga allows', async () => {
    const orders = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        shop.placeOrder(customer(), [
          { sku: 'gummy-bears', quantity: 1 + (i % 3) },
          { sku: 'candy-canes', quantity: 2 },
        ]),
      ),
    );
    const ended = await Promise.all(orders.map((order) => shop.waitForEnd(order.orderId, 150_000)));
    for (const order of ended) {
      expect(order.status, `order ${order.orderId}: ${JSON.stringify(order.history)}`).toBe('completed');
      expect(sagaViolations(order.history), order.orderId).toEqual([]);
    }
    const all = ended.flatMap((order) => order.history.map((entry) => entry.name));
    expect(all).toContain('WorkerDeclinedJob');
    expect(all).toContain('DeliveryAborted');
  });

  it('cancels an order whose payment is declined, without a refund or a delivery', async () => {
    const order = await shop.placeOrder(customer(), [{ sku: 'chocolate-truffles', quantity: 99 }]);
    const ended = await shop.waitForEnd(order.orderId);
    expect(ended.status).toBe('cancelled');
    expect(ended.history.map((entry) => entry.name)).toEqual(['OrderCreated', 'PaymentDeclined', 'OrderCancelled']);
    expect(sagaViolations(ended.history)).toEqual([]);
  });

  it('refunds a paid order the customer cancels before the delivery starts', async () => {
    const order = await shop.placeOrder(customer(), [{ sku: 'toffee-crunch', quantity: 1 }]);
    const paid = await shop.waitFor(order.orderId, (o) => o.status !== 'created');
    expect(paid.status).toBe('paid');
    const cancelling = await shop.cancel(order.orderId);
    expect(cancelling.status).toBe(202);
    expect(cancelling.body.status).toBe('cancelling');
    expect((await shop.waitForEnd(order.orderId)).status).toBe('cancelled');
    const refunded = await shop.waitFor(order.orderId, (o) => o.history.some((entry) => entry.name === 'PaymentRefunded'));
    const names = refunded.history.map((entry) => entry.name);
    expect(names).toContain('PaymentRefunded');
    expect(names).not.toContain('DeliveryStarted');
    expect(sagaViolations(refunded.history)).toEqual([]);
    // Give a delivery that should have stopped the time to (wrongly) go on. A step the delivery
    // service took before it learnt of the cancellation may still join the history (steps are
    // recorded when they happened before the end), but the candy never leaves.
    await delay(4_000);
    const later = await shop.getOrder(order.orderId);
    expect(later.status).toBe('cancelled');
    const namesLater = later.history.map((entry) => entry.name);
    for (const never of ['DeliveryStarted', 'DeliveryCompleted', 'OrderCompleted']) expect(namesLater).not.toContain(never);
    expect(namesLater.filter((name) => name === 'PaymentRefunded')).toHaveLength(1);
    expect(sagaViolations(later.history)).toEqual([]);
  });

  it('refuses to cancel an order once it is delivered', async () => {
    const order = await shop.placeOrder(customer(), [{ sku: 'rock-candy', quantity: 1 }]);
    await shop.waitFor(order.orderId, (o) => o.status === 'delivering' || o.status === 'completed', 90_000);
    const refused = await shop.cancel(order.orderId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('not_cancellable');
  });

  it('changes nothing when the broker delivers the same event again', async () => {
    const order = await shop.placeOrder(customer(), [{ sku: 'jelly-beans', quantity: 1 }]);
    const completed = await shop.waitForEnd(order.orderId, 120_000);
    expect(completed.status).toBe('completed');
    const accepted = completed.history.find((entry) => entry.name === 'PaymentAccepted');
    expect(accepted).toBeDefined();
    // Replay PaymentAccepted for this order as a redelivery would: the order must not change and the
    // delivery service must not send a second driver.
    const replay = await fetch(`${system.sidecarUrl('payment')}/v1.0/publish/pubsub/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...system.sidecarHeaders('payment') },
      body: JSON.stringify({
        specversion: '1.0',
        id: randomUUID(),
        source: 'payment',
        type: 'PaymentAccepted',
        datacontenttype: 'application/json',
        data: {
          orderId: order.orderId,
          customerId: order.customerId,
          occurredAt: accepted!.time,
          paymentId: randomUUID(),
          amountCents: order.totalCents,
        },
      }),
    });
    expect(replay.status).toBe(204);
    await delay(4_000);
    expect(await shop.getOrder(order.orderId)).toEqual(completed);
  });

  it('sends an invalid event to the dead-letter topic and keeps working', async () => {
    const deadLettersBefore = await readMetric(`${system.appUrl('order')}/metrics`, 'sweetgiggles_dead_letters_total');
    const poison = await fetch(`${system.sidecarUrl('order')}/v1.0/publish/pubsub/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...system.sidecarHeaders('order') },
      body: JSON.stringify({
        specversion: '1.0',
        id: randomUUID(),
        source: 'test',
        type: 'OrderCreated',
        data: { orderId: 42, items: 'none' },
      }),
    });
    expect(poison.status).toBe(204);
    const deadline = Date.now() + 30_000;
    let deadLetters = deadLettersBefore;
    while (deadLetters === deadLettersBefore && Date.now() < deadline) {
      await delay(250);
      deadLetters = await readMetric(`${system.appUrl('order')}/metrics`, 'sweetgiggles_dead_letters_total');
    }
    expect(deadLetters).toBeGreaterThan(deadLettersBefore);
    expect(
      await readMetric(`${system.appUrl('payment')}/metrics`, 'sweetgiggles_events_consumed_total', { outcome: 'dropped' }),
    ).toBeGreaterThan(0);

    const order = await shop.placeOrder(customer(), [{ sku: 'gumdrops', quantity: 3 }]);
    expect((await shop.waitForEnd(order.orderId, 120_000)).status).toBe('completed');
  });

  it('creates one order for requests retried with the same Idempotency-Key', async () => {
    const who = customer();
    const key = randomUUID();
    const items = [{ sku: 'cotton-candy', quantity: 2 }];
    const [first, second] = await Promise.all([
      shop.post('/api/orders', { customerId: who, items }, { 'idempotency-key': key }),
      shop.post('/api/orders', { customerId: who, items }, { 'idempotency-key': key }),
    ]);
    const third = await shop.post('/api/orders', { customerId: who, items }, { 'idempotency-key': key });
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(third.status).toBe(200);
    expect(new Set([first.body.orderId, second.body.orderId, third.body.orderId]).size).toBe(1);

    const reused = await shop.post(
      '/api/orders',
      { customerId: who, items: [{ sku: 'cotton-candy', quantity: 3 }] },
      { 'idempotency-key': key },
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');

    const ended = await shop.waitForEnd(first.body.orderId, 120_000);
    expect(ended.history.filter((entry) => entry.name === 'OrderCreated')).toHaveLength(1);
    expect(ended.history.filter((entry) => entry.name === 'PaymentAccepted')).toHaveLength(1);
  });

  it('finishes an order whose delivery service crashed in the middle of a drive', async () => {
    const order = await shop.placeOrder(customer(), [{ sku: 'maple-leaves', quantity: 1 }]);
    await shop.waitFor(order.orderId, (o) => o.status === 'delivering' || o.status === 'completed', 90_000);
    await system.crash('delivery');
    await delay(1_500);
    await system.revive('delivery');
    const ended = await shop.waitForEnd(order.orderId, 120_000);
    expect(ended.status).toBe('completed');
    expect(sagaViolations(ended.history)).toEqual([]);
  });

  it('completes an order whose delivery service is restarted gracefully in the middle of a drive', async () => {
    const order = await shop.placeOrder(customer(), [{ sku: 'nougat-bars', quantity: 1 }]);
    await shop.waitFor(order.orderId, (o) => o.status === 'delivering' || o.status === 'completed', 90_000);
    const stoppedAt = Date.now();
    await system.restart('delivery');
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    const ended = await shop.waitForEnd(order.orderId, 120_000);
    expect(ended.status).toBe('completed');
    expect(sagaViolations(ended.history)).toEqual([]);
  });
});
