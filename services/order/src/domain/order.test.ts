import { describe, expect, it } from 'vitest';
import type { SagaEvent } from '@sweetgiggles/contracts';
import {
  applyEvent,
  createOrder,
  isCancellable,
  isSettled,
  isStuck,
  markParked,
  requestCancellation,
  toView,
  unmarkParked,
  type Order,
} from './order.ts';
import { OrderNotCancellable, UnknownProduct } from './errors.ts';
import { priceItems } from './pricing.ts';

const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s)).toISOString();
const ids = { orderId: 'o-1', customerId: 'c-1' };
const worker = { attempt: 1, workerId: 'w', workerName: 'Ada' };

function newOrder(): Order {
  return createOrder({
    ...ids,
    items: [{ sku: 'gummy-bears', name: 'Gummy Bears', quantity: 2, unitPriceCents: 299 }],
    totalCents: 598,
    now: t(0),
    requestFingerprint: 'f',
  }).state;
}

function apply(order: Order, event: SagaEvent, now = t(30)) {
  const decision = applyEvent(order, event, now);
  return { order: decision?.state ?? order, publish: decision?.events[0] };
}

const paid: SagaEvent = { name: 'PaymentAccepted', data: { ...ids, occurredAt: t(1), paymentId: 'p', amountCents: 598 } };
const started: SagaEvent = { name: 'DeliveryStarted', data: { ...ids, occurredAt: t(5), ...worker, etaSeconds: 60 } };
const delivered: SagaEvent = { name: 'DeliveryCompleted', data: { ...ids, occurredAt: t(9), ...worker } };
const stopped: SagaEvent = { name: 'DeliveryCancelled', data: { ...ids, occurredAt: t(4) } };
const refused: SagaEvent = { name: 'DeliveryCancellationRefused', data: { ...ids, occurredAt: t(6) } };
const declined: SagaEvent = { name: 'PaymentDeclined', data: { ...ids, occurredAt: t(2), amountCents: 598, reason: 'limit' } };

/** An order the customer asked to cancel at `at` seconds, after `events`. */
function cancelling(events: SagaEvent[], at = 3): Order {
  const order = events.reduce((current, event) => apply(current, event).order, newOrder());
  return requestCancellation(order, t(at)).state;
}

describe('an order', () => {
  it('is created with its OrderCreated event', () => {
    const { state: order, events } = createOrder({ ...ids, items: [], totalCents: 0, now: t(0), requestFingerprint: 'f' });
    expect(order.status).toBe('created');
    expect(events.map((event) => event.name)).toEqual(['OrderCreated']);
    expect(order.history).toEqual([{ name: 'OrderCreated', time: t(0) }]);
  });

  it('goes paid, delivering, completed, and publishes OrderCompleted at the end', () => {
    let order = apply(newOrder(), paid).order;
    expect(order.status).toBe('paid');
    order = apply(order, started).order;
    expect(order.status).toBe('delivering');
    const end = apply(order, delivered);
    expect(end.order.status).toBe('completed');
    expect(end.publish?.name).toBe('OrderCompleted');
    expect(end.order.history.map((h) => h.name)).toEqual([
      'OrderCreated',
      'PaymentAccepted',
      'DeliveryStarted',
      'DeliveryCompleted',
      'OrderCompleted',
    ]);
  });

  it('ignores an event it has already recorded', () => {
    const once = apply(newOrder(), paid).order;
    expect(applyEvent(once, paid, t(40))).toBeUndefined();
  });

  it('records repeated delivery steps of different attempts', () => {
    const searching = (attempt: number): SagaEvent => ({
      name: 'WorkerSearchStarted',
      data: { ...ids, occurredAt: t(2 + attempt), attempt },
    });
    const order = apply(apply(apply(newOrder(), paid).order, searching(1)).order, searching(2)).order;
    expect(order.history.filter((h) => h.name === 'WorkerSearchStarted')).toHaveLength(2);
  });

  it('never moves back when events arrive out of order', () => {
    const order = apply(apply(newOrder(), started).order, paid).order;
    expect(order.status).toBe('delivering');
  });

  it('is cancelled with reason payment_declined when the payment is declined', () => {
    const declined: SagaEvent = { name: 'PaymentDeclined', data: { ...ids, occurredAt: t(1), amountCents: 598, reason: 'limit' } };
    const decision = apply(newOrder(), declined);
    expect(decision.order.status).toBe('cancelled');
    expect(decision.publish).toMatchObject({ name: 'OrderCancelled', data: { reason: 'payment_declined' } });
  });

  it('asks the delivery service before a customer’s cancellation, until the delivery is known to have started', () => {
    const order = apply(newOrder(), paid).order;
    expect(isCancellable(order)).toBe(true);
    const {
      state: requested,
      events: [event],
    } = requestCancellation(order, t(3));
    expect(requested.status).toBe('cancelling');
    expect(event).toEqual({ name: 'OrderCancellationRequested', data: { ...ids, occurredAt: t(3) } });
    expect(isCancellable(requested)).toBe(false);
    const delivering = apply(order, started).order;
    expect(isCancellable(delivering)).toBe(false);
    expect(() => requestCancellation(delivering, t(6))).toThrow(OrderNotCancellable);
  });

  it('is cancelled, with reason customer_request, only when the delivery service stopped in time', () => {
    const decision = apply(cancelling([paid]), stopped);
    expect(decision.order.status).toBe('cancelled');
    expect(decision.publish).toMatchObject({ name: 'OrderCancelled', data: { reason: 'customer_request', totalCents: 598 } });
  });

  it('stays cancelling while the saga goes on, and goes back on its way when the cancellation came too late', () => {
    let order = cancelling([paid]);
    for (const event of [started, { name: 'WorkerSearchStarted', data: { ...ids, occurredAt: t(4), attempt: 1 } } as SagaEvent]) {
      const decision = apply(order, event);
      expect(decision.order.status).toBe('cancelling');
      expect(decision.publish).toBeUndefined();
      order = decision.order;
    }
    const answered = apply(order, refused);
    expect(answered.order.status).toBe('delivering');
    expect(answered.publish).toBeUndefined();
    expect(apply(cancelling([]), refused).order.status).toBe('delivering');
  });

  it('completes when the candy arrives while a cancellation waits for its answer', () => {
    const decision = apply(cancelling([paid]), delivered);
    expect(decision.order.status).toBe('completed');
    expect(decision.publish?.name).toBe('OrderCompleted');
    expect(applyEvent(decision.order, { ...stopped, data: { ...stopped.data, occurredAt: t(40) } }, t(41))).toBeUndefined();
  });

  it('is cancelled once when a declined payment races the customer’s cancellation, whichever comes first', () => {
    const declinedFirst = apply(cancelling([]), declined);
    expect(declinedFirst.order.status).toBe('cancelled');
    expect(declinedFirst.publish).toMatchObject({ name: 'OrderCancelled', data: { reason: 'payment_declined' } });
    expect(apply(declinedFirst.order, stopped).publish).toBeUndefined();
    const stoppedFirst = apply(cancelling([]), stopped);
    expect(stoppedFirst.publish).toMatchObject({ name: 'OrderCancelled', data: { reason: 'customer_request' } });
    expect(apply(stoppedFirst.order, declined).publish).toBeUndefined();
  });

  it('records a step that arrives after the end but happened before it, and none that happened after', () => {
    const completed = apply(apply(newOrder(), paid).order, delivered, t(10)).order;
    expect(completed.status).toBe('completed');
    const lateStart = apply(completed, started);
    expect(lateStart.order.history.map((h) => h.name)).toEqual([
      'OrderCreated',
      'PaymentAccepted',
      'DeliveryStarted',
      'DeliveryCompleted',
      'OrderCompleted',
    ]);
    expect(lateStart.order.status).toBe('completed');
    expect(lateStart.publish).toBeUndefined();
    const cancelled = apply(cancelling([paid]), stopped, t(4)).order;
    expect(applyEvent(cancelled, started, t(11))).toBeUndefined();
  });

  it('records a charge decided after the order was cancelled, with its refund', () => {
    const cancelled = apply(cancelling([]), stopped, t(4)).order;
    const latePaid: SagaEvent = { ...paid, data: { ...paid.data, occurredAt: t(5) } } as SagaEvent;
    const refunded: SagaEvent = { name: 'PaymentRefunded', data: { ...ids, occurredAt: t(6), paymentId: 'p', amountCents: 598 } };
    const both = apply(apply(cancelled, latePaid).order, refunded).order;
    expect(both.status).toBe('cancelled');
    expect(both.history.map((h) => h.name).slice(-2)).toEqual(['PaymentAccepted', 'PaymentRefunded']);
    expect(applyEvent(both, latePaid, t(7))).toBeUndefined();
  });

  it('records a refund after cancellation and nothing else', () => {
    const cancelled = apply(cancelling([paid]), stopped, t(5)).order;
    const refunded: SagaEvent = { name: 'PaymentRefunded', data: { ...ids, occurredAt: t(6), paymentId: 'p', amountCents: 598 } };
    expect(apply(cancelled, refunded).order.history.at(-1)?.name).toBe('PaymentRefunded');
    expect(applyEvent(cancelled, delivered, t(10))).toBeUndefined();
  });
});

describe('an order held up by a parked dead letter', () => {
  const mark = (eventId: string, since: number) => ({ eventId, event: 'PaymentAccepted' as const, since: t(since) });

  it('is stuck, and shows the oldest letter, until every letter about it is replayed', () => {
    const order = markParked(markParked(newOrder(), mark('a', 1))!.state, mark('b', 2))!.state;
    expect(isStuck(order)).toBe(true);
    expect(toView(order).stuck).toEqual({ event: 'PaymentAccepted', since: t(1) });
    expect(markParked(order, mark('a', 3))).toBeUndefined();
    const one = unmarkParked(order, 'a')!.state;
    expect(toView(one).stuck).toEqual({ event: 'PaymentAccepted', since: t(2) });
    const none = unmarkParked(one, 'b')!.state;
    expect(isStuck(none)).toBe(false);
    expect(toView(none)).not.toHaveProperty('stuck');
    expect(unmarkParked(none, 'b')).toBeUndefined();
  });

  it('keeps its mark while other events change it', () => {
    const decision = markParked(newOrder(), mark('a', 1))!;
    expect(decision.events).toEqual([]);
    const order = decision.state;
    expect(isStuck(apply(order, paid).order)).toBe(true);
  });
});

describe('pricing', () => {
  it('merges repeated SKUs and freezes catalog prices', () => {
    const { lines, totalCents } = priceItems([
      { sku: 'gummy-bears', quantity: 2 },
      { sku: 'candy-canes', quantity: 1 },
      { sku: 'gummy-bears', quantity: 1 },
    ]);
    expect(lines).toEqual([
      { sku: 'gummy-bears', name: 'Gummy Bears', quantity: 3, unitPriceCents: 299 },
      { sku: 'candy-canes', name: 'Candy Canes', quantity: 1, unitPriceCents: 199 },
    ]);
    expect(totalCents).toBe(3 * 299 + 199);
  });

  it('refuses a SKU the shop does not sell', () => {
    expect(() => priceItems([{ sku: 'broccoli', quantity: 1 }])).toThrow(UnknownProduct);
  });
});

describe('a settled order', () => {
  const withHistory = (status: Order['status'], names: Order['history'][number]['name'][]): Order => ({
    ...newOrder(),
    status,
    history: names.map((name) => ({ name, time: t(1) })),
  });
  const delivery = ['WorkerSearchStarted', 'WorkerSearchCompleted', 'WorkerAcceptedJob', 'DeliveryStarted', 'DeliveryCompleted'] as const;

  it('has ended with every fact its end implies in its history', () => {
    expect(isSettled(withHistory('completed', ['OrderCreated', 'PaymentAccepted', ...delivery, 'OrderCompleted']))).toBe(true);
    expect(isSettled(withHistory('cancelled', ['OrderCreated', 'PaymentDeclined', 'OrderCancelled']))).toBe(true);
    expect(isSettled(withHistory('cancelled', ['OrderCreated', 'PaymentAccepted', 'OrderCancelled', 'PaymentRefunded']))).toBe(true);
  });

  it('is not settled while open, nor when a fact its end implies never reached it', () => {
    expect(isSettled(withHistory('delivering', ['OrderCreated', 'PaymentAccepted', 'DeliveryStarted']))).toBe(false);
    expect(isSettled(withHistory('completed', ['OrderCreated', ...delivery, 'OrderCompleted']))).toBe(false);
    expect(isSettled(withHistory('cancelled', ['OrderCreated', 'PaymentAccepted', 'OrderCancelled']))).toBe(false);
  });
});
