import { describe, expect, it } from 'vitest';
import { answerOffer, cancelShipment, completeSearch, finishDrive, isStoppable, pickUp, searchAgain, startShipment } from './shipment.ts';

const now = '2026-11-25T10:00:00.000Z';
const paid = { orderId: 'o-1', customerId: 'c-1', occurredAt: now, paymentId: 'p', amountCents: 100 };
const rules = { workerDeclineProbability: 0.5, deliveryAbortProbability: 0.5, etaSeconds: 600 };
const always = () => 0;
const never = () => 0.99;

describe('a shipment', () => {
  it('runs search, offer, pick-up and drive, publishing one event per step', () => {
    const steps = [];
    let step = startShipment(paid, now);
    steps.push(step.event.name);
    step = completeSearch(step.shipment, never, now);
    steps.push(step.event.name);
    step = answerOffer({ ...step.shipment, worker: step.shipment.worker! }, rules, never, now);
    steps.push(step.event.name);
    step = pickUp({ ...step.shipment, worker: step.shipment.worker! }, rules, now);
    steps.push(step.event.name);
    step = finishDrive({ ...step.shipment, worker: step.shipment.worker! }, rules, never, now);
    steps.push(step.event.name);
    expect(steps).toEqual(['WorkerSearchStarted', 'WorkerSearchCompleted', 'WorkerAcceptedJob', 'DeliveryStarted', 'DeliveryCompleted']);
    expect(step.shipment.status).toBe('delivered');
  });

  it('searches again with the next attempt after a declined offer or an aborted drive', () => {
    const found = completeSearch(startShipment(paid, now).shipment, never, now).shipment;
    const declined = answerOffer({ ...found, worker: found.worker! }, rules, always, now);
    expect(declined.event.name).toBe('WorkerDeclinedJob');
    const again = searchAgain(declined.shipment, now);
    expect(again.shipment).toMatchObject({ status: 'searching', attempt: 2 });
    expect(again.shipment.worker).toBeUndefined();
    expect(again.event).toMatchObject({ name: 'WorkerSearchStarted', data: { attempt: 2 } });
    const aborted = finishDrive({ ...found, status: 'delivering', worker: found.worker! }, rules, always, now);
    expect(aborted.event.name).toBe('DeliveryAborted');
  });

  it('stops for a cancellation only before the pick-up', () => {
    const searching = startShipment(paid, now).shipment;
    expect(isStoppable(searching)).toBe(true);
    const cancelled = { orderId: 'o-1', customerId: 'c-1', occurredAt: now, reason: 'customer_request' as const, totalCents: 100 };
    expect(cancelShipment(searching, cancelled, now)?.status).toBe('cancelled');
    expect(cancelShipment({ ...searching, status: 'delivering' }, cancelled, now)).toBeUndefined();
    expect(cancelShipment(undefined, cancelled, now)).toMatchObject({ status: 'cancelled', attempt: 0 });
  });
});
