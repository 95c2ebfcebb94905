import { expect, test } from 'vitest';
import { orderState, orderView } from '../testing/fixtures.ts';
import { applyStep, mergeView, tooLateToCancel, unknownOrder } from './orders.ts';

test('a step moves the status forward, never back', () => {
  const delivering = applyStep(orderState(), { name: 'DeliveryStarted', time: '2026-11-25T10:00:03.000Z' });
  expect(delivering).toMatchObject({ status: 'delivering', cancellable: false });
  expect(applyStep(delivering, { name: 'PaymentAccepted', time: '2026-11-25T10:00:01.000Z' }).status).toBe('delivering');
  expect(applyStep(delivering, { name: 'OrderCompleted', time: '2026-11-25T10:00:09.000Z' }).status).toBe('completed');
});

test('steps stay in time order and each appears once, keeping the details a notification brought', () => {
  let order = applyStep(orderState(), { name: 'WorkerSearchStarted', time: '2026-11-25T10:00:02.000Z', data: { attempt: 1 } });
  order = applyStep(order, { name: 'PaymentAccepted', time: '2026-11-25T10:00:01.000Z', data: { amountCents: 598 } });
  order = mergeView(
    order,
    orderView({
      status: 'paid',
      history: [
        { name: 'OrderCreated', time: '2026-11-25T10:00:00.000Z' },
        { name: 'PaymentAccepted', time: '2026-11-25T10:00:01.000Z' },
      ],
    }),
  );
  expect(order.steps.map((step) => step.name)).toEqual(['OrderCreated', 'PaymentAccepted', 'WorkerSearchStarted']);
  expect(order.steps[1]?.data).toEqual({ amountCents: 598 });
});

test('a shop answer older than the notifications does not undo them', () => {
  const completed = applyStep(orderState(), { name: 'OrderCompleted', time: '2026-11-25T10:00:09.000Z' });
  expect(mergeView(completed, orderView({ status: 'delivering', cancellable: false })).status).toBe('completed');
  expect(mergeView(orderState({ status: 'paid' }), orderView({ status: 'cancelled', cancellable: false })).status).toBe('cancelled');
});

test('an order known only from a notification fills in from OrderCreated', () => {
  const order = applyStep(unknownOrder('o-1', '2026-11-25T10:00:00.000Z'), {
    name: 'OrderCreated',
    time: '2026-11-25T10:00:00.000Z',
    data: { items: [{ sku: 'gummy-bears', name: 'Gummy Bears', quantity: 1, unitPriceCents: 299 }], totalCents: 299 },
  });
  expect(order).toMatchObject({ totalCents: 299, cancellable: false });
  expect(order.items).toHaveLength(1);
});

test('a cancellation waits for the delivery service: cancelled when it stopped in time, back on its way when too late', () => {
  const paid = orderState({ status: 'paid', cancellable: true });
  const cancelling = applyStep(paid, { name: 'OrderCancellationRequested', time: '2026-11-25T10:00:03.000Z' });
  expect(cancelling).toMatchObject({ status: 'cancelling', cancellable: false });
  expect(applyStep(cancelling, { name: 'WorkerSearchStarted', time: '2026-11-25T10:00:02.000Z' }).status).toBe('cancelling');
  const stopped = applyStep(cancelling, { name: 'DeliveryCancelled', time: '2026-11-25T10:00:04.000Z' });
  expect(applyStep(stopped, { name: 'OrderCancelled', time: '2026-11-25T10:00:05.000Z' }).status).toBe('cancelled');
  const refused = applyStep(cancelling, { name: 'DeliveryCancellationRefused', time: '2026-11-25T10:00:04.000Z' });
  expect(refused).toMatchObject({ status: 'delivering', cancellable: false, problem: tooLateToCancel });
});

test('an order is held up while the shop API says so, and moves again with the next step after that', () => {
  const stuck = { event: 'PaymentAccepted' as const, since: '2026-11-25T10:00:05.000Z' };
  const held = mergeView(orderState({ status: 'paid' }), orderView({ status: 'paid', stuck }));
  expect(held.stuck).toEqual(stuck);
  // A notification replayed from before it got stuck changes nothing; a later step means it moves.
  expect(applyStep(held, { name: 'PaymentAccepted', time: '2026-11-25T10:00:01.000Z' }).stuck).toEqual(stuck);
  expect(applyStep(held, { name: 'WorkerSearchStarted', time: '2026-11-25T10:00:09.000Z' })).not.toHaveProperty('stuck');
  expect(mergeView(held, orderView({ status: 'paid' }))).not.toHaveProperty('stuck');
});
