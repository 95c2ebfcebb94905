import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { createLogger } from '@sweetgiggles/platform';
import { StepRunner } from '@sweetgiggles/platform';
import { MemoryPublisher, MemoryStore } from '@sweetgiggles/platform/testing';
import { paymentRepository } from './payment-repository.ts';
import { PaymentService } from './payment-service.ts';

const log = createLogger('payment', 'silent');
const order = { orderId: 'o-1', customerId: 'c-1', occurredAt: new Date().toISOString(), items: [], totalCents: 500 };
const cancelled = {
  orderId: 'o-1',
  customerId: 'c-1',
  occurredAt: new Date().toISOString(),
  reason: 'customer_request' as const,
  totalCents: 500,
};

function service(store: MemoryStore, publisher: MemoryPublisher) {
  const registry = new Registry();
  return new PaymentService({
    payments: paymentRepository(store),
    steps: new StepRunner(publisher),
    rules: { limitCents: 50_000, declineProbability: 0 },
    random: () => 0.5,
    clock: () => new Date(),
    decisionDelayMs: 0,
    metrics: {
      payments: new Counter({ name: 'p', help: 'p', labelNames: ['outcome'], registers: [registry] }),
      refunds: new Counter({ name: 'r', help: 'r', registers: [registry] }),
    },
  });
}

describe('the payment service', () => {
  it('charges an order once, however often OrderCreated arrives, and republishes the same event on a redelivery', async () => {
    const publisher = new MemoryPublisher();
    const payments = service(new MemoryStore(), publisher);
    await Promise.all([payments.onOrderCreated(order, 'created-1', log), payments.onOrderCreated(order, 'created-1', log)]);
    await payments.onOrderCreated(order, 'created-1', log);
    expect(publisher.published.map((e) => e.name)).toEqual(['PaymentAccepted', 'PaymentAccepted', 'PaymentAccepted']);
    expect(new Set(publisher.published.map((e) => JSON.stringify(e))).size).toBe(1);
    expect(publisher.published[0]?.id).toBe('o-1.PaymentAccepted');
  });

  it('republishes nothing for a copy of OrderCreated it did not act on', async () => {
    const publisher = new MemoryPublisher();
    const payments = service(new MemoryStore(), publisher);
    await payments.onOrderCreated(order, 'created-1', log);
    await payments.onOrderCreated(order, 'someone-else', log);
    expect(publisher.published.map((e) => e.name)).toEqual(['PaymentAccepted']);
  });

  it('refunds a charged order once when it is cancelled', async () => {
    const publisher = new MemoryPublisher();
    const payments = service(new MemoryStore(), publisher);
    await payments.onOrderCreated(order, 'created-1', log);
    await payments.onOrderCancelled(cancelled, 'cancelled-1', log);
    await payments.onOrderCancelled(cancelled, 'cancelled-2', log);
    expect(publisher.published.map((e) => e.name)).toEqual(['PaymentAccepted', 'PaymentRefunded']);
  });

  it('never charges an order whose cancellation arrived first', async () => {
    const publisher = new MemoryPublisher();
    const payments = service(new MemoryStore(), publisher);
    await payments.onOrderCancelled(cancelled, 'cancelled-1', log);
    await payments.onOrderCreated(order, 'created-1', log);
    expect(publisher.published).toEqual([]);
  });
});
