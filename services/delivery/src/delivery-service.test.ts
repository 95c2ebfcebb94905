import { describe, expect, it } from 'vitest';
import type { EventData } from '@sweetgiggles/contracts';
import { createLogger, seededRandom } from '@sweetgiggles/platform';
import { MemoryStore } from '@sweetgiggles/platform/testing';
import { DeliveryService } from './delivery-service.ts';

const log = createLogger('delivery', 'silent');
const paid: EventData<'PaymentAccepted'> = {
  orderId: 'o-1',
  customerId: 'c-1',
  occurredAt: new Date().toISOString(),
  paymentId: 'p',
  amountCents: 100,
};

function service(store: MemoryStore, decline = 0, abort = 0) {
  return new DeliveryService({
    store,
    rules: { workerDeclineProbability: decline, deliveryAbortProbability: abort, etaSeconds: 60 },
    delays: { searchMs: 0, answerMs: 0, pickUpMs: 0, driveMs: 0 },
    random: seededRandom(1),
    clock: () => new Date(),
  });
}

/** Feeds each published event back, as the broker would, until the delivery has nothing left to do. */
async function run(deliveries: DeliveryService, store: MemoryStore, redeliverEach = false) {
  await deliveries.onPaymentAccepted(paid, log);
  for (let i = 0; i < store.published.length && i < 100; i++) {
    const { name, data } = store.published[i]!;
    const times = redeliverEach ? 2 : 1;
    for (let n = 0; n < times; n++) {
      const handle = {
        WorkerSearchStarted: () => deliveries.onWorkerSearchStarted(data as EventData<'WorkerSearchStarted'>, log),
        WorkerSearchCompleted: () => deliveries.onWorkerSearchCompleted(data as EventData<'WorkerSearchCompleted'>, log),
        WorkerAcceptedJob: () => deliveries.onWorkerAcceptedJob(data as EventData<'WorkerAcceptedJob'>, log),
        WorkerDeclinedJob: () => deliveries.onWorkerDeclinedJob(data as EventData<'WorkerDeclinedJob'>, log),
        DeliveryStarted: () => deliveries.onDeliveryStarted(data as EventData<'DeliveryStarted'>, log),
        DeliveryAborted: () => deliveries.onDeliveryAborted(data as EventData<'DeliveryAborted'>, log),
      }[name];
      await handle?.();
    }
  }
  return store.published.map((event) => event.name);
}

describe('the delivery service', () => {
  it('takes a paid order to the customer, one event per step', async () => {
    const store = new MemoryStore();
    expect(await run(service(store), store)).toEqual([
      'WorkerSearchStarted',
      'WorkerSearchCompleted',
      'WorkerAcceptedJob',
      'DeliveryStarted',
      'DeliveryCompleted',
    ]);
  });

  it('publishes nothing twice when every event is delivered twice', async () => {
    const once = new MemoryStore();
    const twice = new MemoryStore();
    expect(await run(service(twice), twice, true)).toEqual(await run(service(once), once));
  });

  it('searches again after declines and aborts until the candy arrives', async () => {
    const store = new MemoryStore();
    const names = await run(service(store, 0.5, 0.5), store);
    expect(names.at(-1)).toBe('DeliveryCompleted');
    const retries = names.filter((n) => n === 'WorkerDeclinedJob' || n === 'DeliveryAborted').length;
    expect(names.filter((n) => n === 'WorkerSearchStarted')).toHaveLength(retries + 1);
  });

  it('does not start for an order cancelled before its payment arrived', async () => {
    const store = new MemoryStore();
    const deliveries = service(store);
    await deliveries.onOrderCancelled({ ...paid, reason: 'customer_request', totalCents: 100 }, log);
    await deliveries.onPaymentAccepted(paid, log);
    expect(store.published).toEqual([]);
  });
});
