import { describe, expect, it } from 'vitest';
import type { EventData } from '@sweetgiggles/contracts';
import { StepRunner, createLogger, createMetrics, seededRandom } from '@sweetgiggles/platform';
import { MemoryPublisher, MemoryStore } from '@sweetgiggles/platform/testing';
import { DeliveryService } from './delivery-service.ts';
import { createDeliveryMetrics, type DeliveryMetrics } from './metrics.ts';
import { shipmentRepository } from './shipment-repository.ts';

const log = createLogger('delivery', 'silent');
const requested: EventData<'OrderCancellationRequested'> = { orderId: 'o-1', customerId: 'c-1', occurredAt: new Date().toISOString() };
const paid: EventData<'PaymentAccepted'> = {
  orderId: 'o-1',
  customerId: 'c-1',
  occurredAt: new Date().toISOString(),
  paymentId: 'p',
  amountCents: 100,
};

function service(
  publisher: MemoryPublisher,
  decline = 0,
  abort = 0,
  metrics: DeliveryMetrics = createDeliveryMetrics(createMetrics('delivery-test')),
  seed = 1,
) {
  return new DeliveryService({
    shipments: shipmentRepository(new MemoryStore()),
    steps: new StepRunner(publisher),
    rules: { workerDeclineProbability: decline, deliveryAbortProbability: abort, etaSeconds: 60 },
    delays: { searchMs: 0, answerMs: 0, pickUpMs: 0, driveMs: 0 },
    random: seededRandom(seed),
    clock: () => new Date(),
    metrics,
  });
}

/**
 * Feeds each newly published event back, as the broker would, until the delivery has nothing left to
 * do; with `redeliverEach`, every event is delivered twice. Returns the distinct events, in order.
 */
async function run(deliveries: DeliveryService, publisher: MemoryPublisher, redeliverEach = false) {
  await deliveries.onPaymentAccepted(paid, 'paid-1', log);
  const seen = new Set<string>();
  for (let i = 0; i < publisher.published.length && i < 100; i++) {
    const { id, name, data } = publisher.published[i]!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (let n = 0; n < (redeliverEach ? 2 : 1); n++) await deliver(deliveries, id, name, data);
  }
  return distinct(publisher);
}

function deliver(deliveries: DeliveryService, id: string, name: string, data: unknown) {
  const handle = {
    WorkerSearchStarted: () => deliveries.onWorkerSearchStarted(data as EventData<'WorkerSearchStarted'>, id, log),
    WorkerSearchCompleted: () => deliveries.onWorkerSearchCompleted(data as EventData<'WorkerSearchCompleted'>, id, log),
    WorkerAcceptedJob: () => deliveries.onWorkerAcceptedJob(data as EventData<'WorkerAcceptedJob'>, id, log),
    WorkerDeclinedJob: () => deliveries.onWorkerDeclinedJob(data as EventData<'WorkerDeclinedJob'>, id, log),
    DeliveryStarted: () => deliveries.onDeliveryStarted(data as EventData<'DeliveryStarted'>, id, log),
    DeliveryAborted: () => deliveries.onDeliveryAborted(data as EventData<'DeliveryAborted'>, id, log),
  }[name];
  return handle?.();
}

const distinct = (publisher: MemoryPublisher) => [...new Map(publisher.published.map((e) => [e.id, e.name])).values()];

describe('the delivery service', () => {
  it('takes a paid order to the customer, one event per step', async () => {
    const publisher = new MemoryPublisher();
    expect(await run(service(publisher), publisher)).toEqual([
      'WorkerSearchStarted',
      'WorkerSearchCompleted',
      'WorkerAcceptedJob',
      'DeliveryStarted',
      'DeliveryCompleted',
    ]);
  });

  it('takes each step once when every event is delivered twice, republishing the same events', async () => {
    const once = new MemoryPublisher();
    const twice = new MemoryPublisher();
    expect(await run(service(twice), twice, true)).toEqual(await run(service(once), once));
    // Each redelivered trigger published its step's event again, byte for byte, and nothing else: one
    // more for every step but the first (its trigger, PaymentAccepted, was delivered once here).
    expect(twice.published.length).toBe(2 * once.published.length - 1);
    const byId = new Map(twice.published.map((e) => [e.id, JSON.stringify(e)]));
    for (const event of twice.published) expect(JSON.stringify(event)).toBe(byId.get(event.id));
  });

  it('gives every event an id from its order, name and attempt', async () => {
    const publisher = new MemoryPublisher();
    await run(service(publisher), publisher);
    expect(publisher.published.map((e) => e.id)).toEqual([
      'o-1.WorkerSearchStarted.1',
      'o-1.WorkerSearchCompleted.1',
      'o-1.WorkerAcceptedJob.1',
      'o-1.DeliveryStarted.1',
      'o-1.DeliveryCompleted.1',
    ]);
  });

  it('searches again after declines and aborts until the candy arrives', async () => {
    const publisher = new MemoryPublisher();
    const names = await run(service(publisher, 0.5, 0.5), publisher);
    expect(names.at(-1)).toBe('DeliveryCompleted');
    const retries = names.filter((n) => n === 'WorkerDeclinedJob' || n === 'DeliveryAborted').length;
    expect(names.filter((n) => n === 'WorkerSearchStarted')).toHaveLength(retries + 1);
  });

  it('counts each worker answer and each drive once, however often its trigger arrives', async () => {
    const publisher = new MemoryPublisher();
    const metrics = createDeliveryMetrics(createMetrics('delivery-test'));
    // This seed declines two offers and aborts two drives before the candy arrives.
    const names = await run(service(publisher, 0.5, 0.5, metrics, 7), publisher, true);
    const times = (name: string) => names.filter((n) => n === name).length;
    const counted = async (counter: DeliveryMetrics['deliveriesEnded'], outcome?: string) =>
      (await counter.get()).values.find((v) => outcome === undefined || v.labels.outcome === outcome)?.value;
    expect([times('WorkerDeclinedJob'), times('DeliveryAborted')]).toEqual([2, 2]);
    expect(await counted(metrics.workerSearches, 'accepted')).toBe(times('WorkerAcceptedJob'));
    expect(await counted(metrics.workerSearches, 'declined')).toBe(times('WorkerDeclinedJob'));
    expect(await counted(metrics.deliveriesStarted)).toBe(times('DeliveryStarted'));
    expect(await counted(metrics.deliveriesEnded, 'aborted')).toBe(times('DeliveryAborted'));
    expect(await counted(metrics.deliveriesEnded, 'completed')).toBe(1);
  });

  it('does not start for an order whose cancellation arrived before its payment', async () => {
    const publisher = new MemoryPublisher();
    const deliveries = service(publisher);
    await deliveries.onOrderCancellationRequested(requested, 'o-1.OrderCancellationRequested', log);
    await deliveries.onPaymentAccepted(paid, 'paid-1', log);
    expect(distinct(publisher)).toEqual(['DeliveryCancelled']);
  });

  it('stops a shipment cancelled while a driver is sought: no later step picks it up', async () => {
    const publisher = new MemoryPublisher();
    const deliveries = service(publisher);
    await deliveries.onPaymentAccepted(paid, 'paid-1', log);
    const [searchStarted] = publisher.published;
    await deliveries.onOrderCancellationRequested(requested, 'o-1.OrderCancellationRequested', log);
    await deliver(deliveries, searchStarted!.id, searchStarted!.name, searchStarted!.data);
    expect(distinct(publisher)).toEqual(['WorkerSearchStarted', 'DeliveryCancelled']);
  });

  it('refuses a cancellation after the pick-up and delivers, answering a redelivered request with the same event', async () => {
    const publisher = new MemoryPublisher();
    const deliveries = service(publisher);
    await run(deliveries, publisher);
    await deliveries.onOrderCancellationRequested(requested, 'o-1.OrderCancellationRequested', log);
    await deliveries.onOrderCancellationRequested(requested, 'o-1.OrderCancellationRequested', log);
    const answers = publisher.published.filter((e) => e.name.startsWith('DeliveryCancel'));
    expect(answers.map((e) => [e.id, e.name])).toEqual([
      ['o-1.DeliveryCancellationRefused', 'DeliveryCancellationRefused'],
      ['o-1.DeliveryCancellationRefused', 'DeliveryCancellationRefused'],
    ]);
    expect(distinct(publisher)).toContain('DeliveryCompleted');
  });
});
