import { describe, expect, it } from 'vitest';
import { CausalOrder, causesOf } from './causal-order.ts';

describe('the saga order of notifications', () => {
  it('names each event’s cause, attempt by attempt', () => {
    expect(causesOf('OrderCreated', {})).toEqual([]);
    expect(causesOf('WorkerSearchStarted', { attempt: 1 })).toEqual([{ name: 'PaymentAccepted', attempt: undefined }]);
    expect(causesOf('WorkerSearchStarted', { attempt: 3 }).map((c) => `${c.name}.${c.attempt}`)).toEqual([
      'WorkerDeclinedJob.2',
      'DeliveryAborted.2',
    ]);
    expect(causesOf('OrderCancellationRequested', {})).toEqual([]);
    expect(causesOf('DeliveryCancelled', {})).toEqual([{ name: 'OrderCancellationRequested', attempt: undefined }]);
    expect(causesOf('DeliveryCancellationRefused', {})).toEqual([{ name: 'OrderCancellationRequested', attempt: undefined }]);
    expect(causesOf('OrderCancelled', { reason: 'customer_request' })).toEqual([{ name: 'DeliveryCancelled', attempt: undefined }]);
    expect(causesOf('OrderCancelled', { reason: 'payment_declined' })).toEqual([{ name: 'PaymentDeclined', attempt: undefined }]);
    expect(causesOf('OrderCompleted', {})).toEqual([{ name: 'DeliveryCompleted', attempt: 'any' }]);
  });

  it('holds an event back until its cause is handled, then lets it go', async () => {
    const order = new CausalOrder({ lookup: async () => false, maxWaitMs: 5_000 });
    const shown: string[] = [];
    const searched = order
      .causesHandled('c-1', 'o-1', 'WorkerSearchCompleted', { attempt: 1 })
      .then(() => shown.push('WorkerSearchCompleted'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shown).toEqual([]);
    shown.push('WorkerSearchStarted');
    order.handled('o-1', 'WorkerSearchStarted', 1);
    await searched;
    expect(shown).toEqual(['WorkerSearchStarted', 'WorkerSearchCompleted']);
    // A cause already handled makes no one wait; OrderCompleted follows whichever attempt delivered.
    order.handled('o-1', 'WorkerSearchCompleted', 1);
    await order.causesHandled('c-1', 'o-1', 'WorkerAcceptedJob', { attempt: 1 });
    order.handled('o-1', 'DeliveryCompleted', 2);
    await order.causesHandled('c-1', 'o-1', 'OrderCompleted', {});
  });

  it('lets an event go once another replica has recorded its cause', async () => {
    let recorded = false;
    const order = new CausalOrder({ lookup: async () => recorded, pollMs: 5, maxWaitMs: 5_000 });
    setTimeout(() => (recorded = true), 30);
    const started = performance.now();
    await order.causesHandled('c-1', 'o-3', 'PaymentAccepted', {});
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('lets an event go after the longest wait when its cause never comes', async () => {
    const order = new CausalOrder({ lookup: async () => false, maxWaitMs: 30 });
    const started = performance.now();
    await order.causesHandled('c-1', 'o-2', 'PaymentAccepted', {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
