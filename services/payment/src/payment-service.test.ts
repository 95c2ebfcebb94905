import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { createLogger } from '@sweetgiggles/platform';
import { MemoryStore } from '@sweetgiggles/platform/testing';
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

function service(store: MemoryStore) {
  const registry = new Registry();
  return new PaymentService({
    store,
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
  it('charges an order once, however often OrderCreated arrives', async () => {
    const store = new MemoryStore();
    const payments = service(store);
    await Promise.all([payments.onOrderCreated(order, log), payments.onOrderCreated(order, log)]);
    await payments.onOrderCreated(order, log);
    expect(store.published.map((e) => e.name)).toEqual(['PaymentAccepted']);
  });

  it('refunds a charged order once when it is cancelled', async () => {
    const store = new MemoryStore();
    const payments = service(store);
    await payments.onOrderCreated(order, log);
    await payments.onOrderCancelled(cancelled, log);
    await payments.onOrderCancelled(cancelled, log);
    expect(store.published.map((e) => e.name)).toEqual(['PaymentAccepted', 'PaymentRefunded']);
  });

  it('never charges an order whose cancellation arrived first', async () => {
    const store = new MemoryStore();
    const payments = service(store);
    await payments.onOrderCancelled(cancelled, log);
    await payments.onOrderCreated(order, log);
    expect(store.published).toEqual([]);
  });
});
