import { describe, expect, it } from 'vitest';
import type { EventData } from '@sweetgiggles/contracts';
import { StepRunner, createLogger, createMetrics } from '@sweetgiggles/platform';
import { MemoryPublisher, MemoryStore } from '@sweetgiggles/platform/testing';
import { createOrderMetrics } from './metrics.ts';
import { orderRepository } from './order-repository.ts';
import { OrderService, UnknownOrder } from './order-service.ts';
import { StalledOrders } from './stalled-orders.ts';

const log = createLogger('order', 'silent');

function setup() {
  const publisher = new MemoryPublisher();
  const orders = orderRepository(new MemoryStore());
  const clock = { now: 0 };
  const service = new OrderService({
    orders,
    steps: new StepRunner(publisher),
    publisher,
    clock: () => new Date(),
    metrics: createOrderMetrics(createMetrics('order')),
    stalls: new StalledOrders({ stallAfterMs: 1_000, maxRedrives: 3, now: () => clock.now }),
  });
  return { publisher, orders, service, clock };
}

const request = { customerId: 'c-1', items: [{ sku: 'gummy-bears', quantity: 1 }] };
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('the order service', () => {
  it('publishes OrderCreated once per order, and again for a retried request while nothing followed it', async () => {
    const { publisher, service } = setup();
    const first = await service.place(request, 'key-1');
    const again = await service.place(request, 'key-1');
    expect(first.created).toBe(true);
    expect(again).toEqual({ order: first.order, created: false });
    expect(publisher.published.map((e) => e.id)).toEqual([`${first.order.orderId}.OrderCreated`, `${first.order.orderId}.OrderCreated`]);
    expect(publisher.published[1]).toEqual(publisher.published[0]);
  });

  it('answers a request for an order it is still placing once the order is recorded, not with a 404', async () => {
    const { publisher, service } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (event) => {
      await publish(event);
      await gate;
    };
    const placing = service.place(request, 'key-1');
    await expect.poll(() => publisher.published.length).toBe(1);
    const asked = service.get((publisher.published[0]!.data as { orderId: string }).orderId);
    release();
    const { order } = await placing;
    await expect(asked).resolves.toEqual(order);
  });

  it('records an order from its OrderCreated when the request that published it did not', async () => {
    const { service } = setup();
    const created: EventData<'OrderCreated'> = {
      orderId: '0b7e5a51-2c1e-4a55-9b8c-3f0c1a2b3c4d',
      customerId: 'c-1',
      occurredAt: at(0),
      items: [{ sku: 'gummy-bears', name: 'Gummy bears', quantity: 1, unitPriceCents: 299 }],
      totalCents: 299,
    };
    await expect(service.onPaymentAccepted({ ...created, paymentId: 'p', amountCents: 299 }, 'e-1', log)).rejects.toThrow(UnknownOrder);
    await service.onOrderCreated(created, 'e-0', log);
    await service.onOrderCreated(created, 'e-0', log);
    const order = await service.get(created.orderId);
    expect(order).toMatchObject({ status: 'created', totalCents: 299, history: [{ name: 'OrderCreated' }] });
  });

  it('publishes the same OrderCancelled again when the PaymentDeclined that caused it is redelivered', async () => {
    const { publisher, service } = setup();
    const { order } = await service.place(request, undefined);
    const declined = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(1), amountCents: 299, reason: 'no' };
    await service.onPaymentDeclined(declined, 'declined-1', log);
    await service.onPaymentDeclined(declined, 'declined-1', log);
    const cancellations = publisher.published.filter((e) => e.name === 'OrderCancelled');
    expect(cancellations).toHaveLength(2);
    expect(cancellations[1]).toEqual(cancellations[0]);
    expect((await service.get(order.orderId)).history.map((h) => h.name).sort()).toEqual([
      'OrderCancelled',
      'OrderCreated',
      'PaymentDeclined',
    ]);
  });

  it('cancels only when the delivery service says it stopped in time, and refunds nothing before', async () => {
    const { publisher, service } = setup();
    const { order } = await service.place(request, undefined);
    const cancelling = await service.cancel(order.orderId);
    expect(cancelling.status).toBe('cancelling');
    expect(publisher.published.map((e) => e.name)).toEqual(['OrderCreated', 'OrderCancellationRequested']);
    const paid = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(5), paymentId: 'p', amountCents: 299 };
    await service.onPaymentAccepted(paid, 'paid-1', log);
    expect((await service.get(order.orderId)).status).toBe('cancelling');
    const stopped = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(6) };
    await service.onDeliveryCancelled(stopped, 'stopped-1', log);
    await service.onDeliveryCancelled(stopped, 'stopped-1', log);
    const cancellations = publisher.published.filter((e) => e.name === 'OrderCancelled');
    expect(cancellations).toHaveLength(2);
    expect(cancellations[1]).toEqual(cancellations[0]);
    expect((await service.get(order.orderId)).status).toBe('cancelled');
  });

  it('publishes the cancellation request again when the saga goes on before it is answered', async () => {
    const { publisher, service } = setup();
    const { order } = await service.place(request, undefined);
    await service.cancel(order.orderId);
    await service.cancel(order.orderId);
    const paid = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(5), paymentId: 'p', amountCents: 299 };
    await service.onPaymentAccepted(paid, 'paid-1', log);
    await service.onPaymentAccepted(paid, 'paid-1', log);
    const requests = publisher.published.filter((e) => e.name === 'OrderCancellationRequested');
    expect(requests.map((e) => e.id)).toEqual(Array(3).fill(`${order.orderId}.OrderCancellationRequested`));
  });

  it('puts the order back on its way when the cancellation came too late, and it can then be delivered', async () => {
    const { publisher, service } = setup();
    const { order } = await service.place(request, undefined);
    const paid = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(1), paymentId: 'p', amountCents: 299 };
    await service.onPaymentAccepted(paid, 'paid-1', log);
    await service.cancel(order.orderId);
    const refused = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(3) };
    await service.onDeliveryCancellationRefused(refused, 'refused-1', log);
    expect((await service.get(order.orderId)).status).toBe('delivering');
    await expect(service.cancel(order.orderId)).rejects.toMatchObject({ code: 'not_cancellable' });
    const delivered = { ...refused, occurredAt: at(4), attempt: 1, workerId: 'w', workerName: 'Ada' };
    await service.onDeliveryCompleted(delivered, 'delivered-1', log);
    expect((await service.get(order.orderId)).status).toBe('completed');
    expect(publisher.published.map((e) => e.name)).not.toContain('OrderCancelled');
  });

  it('drives an order that stopped moving again with its own OrderCreated, until it moves or ends', async () => {
    const { publisher, service, clock } = setup();
    const { order } = await service.place(request, undefined);
    const created = publisher.published[0];
    clock.now = 1_000;
    await service.redriveStalled(log);
    expect(publisher.published).toEqual([created, created]);

    // The payment arrives: the order moved, so nothing is published until it stalls again.
    const paid = { orderId: order.orderId, customerId: 'c-1', occurredAt: at(1), paymentId: 'p', amountCents: 299 };
    await service.onPaymentAccepted(paid, 'paid-1', log);
    clock.now = 1_500;
    await service.redriveStalled(log);
    expect(publisher.published).toHaveLength(2);
    clock.now = 2_500;
    await service.redriveStalled(log);
    expect(publisher.published).toEqual([created, created, created]);
  });

  it('leaves an ended order alone', async () => {
    const { publisher, service, clock } = setup();
    const { order } = await service.place(request, undefined);
    await service.cancel(order.orderId);
    const answer = { orderId: order.orderId, customerId: order.customerId, occurredAt: new Date(1_000).toISOString() };
    await service.onDeliveryCancelled(answer, 'stopped-1', log);
    clock.now = 10_000;
    await service.redriveStalled(log);
    expect(publisher.published.map((e) => e.name)).toEqual(['OrderCreated', 'OrderCancellationRequested', 'OrderCancelled']);
  });
});
