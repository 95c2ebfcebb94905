import { describe, expect, it } from 'vitest';
import { catalog } from './catalog.ts';
import { eventNames, events, parseEvent, safeParseEvent, topics } from './events.ts';
import { placeOrderRequestSchema } from './shop-api.ts';

const base = { orderId: 'o-1', customerId: 'c-1', occurredAt: '2026-11-25T10:00:00.000Z' };
const worker = { attempt: 1, workerId: 'w-1', workerName: 'Ada' };

/** One valid example of every event: the test fails if an event is added without one. */
const examples: Record<(typeof eventNames)[number], unknown> = {
  OrderCreated: { ...base, items: [{ sku: 'gummy-bears', name: 'Gummy Bears', quantity: 2, unitPriceCents: 299 }], totalCents: 598 },
  OrderCancellationRequested: base,
  OrderCancelled: { ...base, reason: 'customer_request', totalCents: 598 },
  OrderCompleted: { ...base, totalCents: 598 },
  PaymentAccepted: { ...base, paymentId: 'p-1', amountCents: 598 },
  PaymentDeclined: { ...base, amountCents: 598, reason: 'limit' },
  PaymentRefunded: { ...base, paymentId: 'p-1', amountCents: 598 },
  WorkerSearchStarted: { ...base, attempt: 1 },
  WorkerSearchCompleted: { ...base, ...worker },
  WorkerAcceptedJob: { ...base, ...worker },
  WorkerDeclinedJob: { ...base, ...worker },
  DeliveryStarted: { ...base, ...worker, etaSeconds: 600 },
  DeliveryAborted: { ...base, ...worker, reason: 'flat tyre' },
  DeliveryCompleted: { ...base, ...worker },
  DeliveryCancelled: base,
  DeliveryCancellationRefused: base,
};

describe('event contracts', () => {
  it('define the sixteen events of the saga, each on its publisher topic', () => {
    expect(eventNames).toHaveLength(16);
    for (const name of eventNames) {
      const topic = events[name].topic;
      const expected = name.startsWith('Order') ? topics.orders : name.startsWith('Payment') ? topics.payments : topics.deliveries;
      expect(topic, name).toBe(expected);
    }
  });

  it.each(eventNames)('accept a valid %s', (name) => {
    expect(parseEvent(name, examples[name])).toEqual(examples[name]);
  });

  it.each(eventNames)('reject a %s without its order id or with a bad time', (name) => {
    const { orderId: _dropped, ...withoutOrder } = examples[name] as Record<string, unknown>;
    expect(safeParseEvent(name, withoutOrder).ok).toBe(false);
    expect(safeParseEvent(name, { ...(examples[name] as object), occurredAt: 'yesterday' }).ok).toBe(false);
  });

  it('rejects unknown event types, naming them', () => {
    const result = safeParseEvent('OrderTeleported', examples.OrderCreated);
    expect(result).toEqual({ ok: false, problem: 'unknown event type "OrderTeleported"' });
  });

  it('rejects an order with no items or a negative total', () => {
    expect(safeParseEvent('OrderCreated', { ...base, items: [], totalCents: 0 }).ok).toBe(false);
    expect(safeParseEvent('OrderCreated', { ...(examples.OrderCreated as object), totalCents: -1 }).ok).toBe(false);
  });
});

describe('the catalog', () => {
  it('has thirty candies with unique SKUs and positive integer prices', () => {
    expect(catalog).toHaveLength(30);
    expect(new Set(catalog.map((p) => p.sku)).size).toBe(30);
    for (const product of catalog) expect(Number.isInteger(product.priceCents) && product.priceCents > 0, product.sku).toBe(true);
  });
});

describe('the place-order request', () => {
  it('accepts a sane order and refuses absurd ones', () => {
    const ok = { customerId: 'c-1', items: [{ sku: 'gummy-bears', quantity: 3 }] };
    expect(placeOrderRequestSchema.safeParse(ok).success).toBe(true);
    expect(placeOrderRequestSchema.safeParse({ ...ok, items: [{ sku: 'gummy-bears', quantity: 100 }] }).success).toBe(false);
    expect(placeOrderRequestSchema.safeParse({ ...ok, items: [{ sku: 'gummy-bears', quantity: -1 }] }).success).toBe(false);
    expect(placeOrderRequestSchema.safeParse({ ...ok, customerId: '' }).success).toBe(false);
    expect(placeOrderRequestSchema.safeParse({ ...ok, extra: true }).success).toBe(false);
  });
});
