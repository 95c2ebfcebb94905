import { describe, expect, it } from 'vitest';
import {
  answerCancellation,
  answerOffer,
  completeSearch,
  finishDrive,
  isStoppable,
  pickUp,
  searchAgain,
  startShipment,
} from './shipment.ts';

const now = '2026-11-25T10:00:00.000Z';
const paid = { orderId: 'o-1', customerId: 'c-1', occurredAt: now, paymentId: 'p', amountCents: 100 };
const rules = { workerDeclineProbability: 0.5, deliveryAbortProbability: 0.5, etaSeconds: 600 };
const always = () => 0;
const never = () => 0.99;

describe('a shipment', () => {
  it('runs search, offer, pick-up and drive, publishing one event per step', () => {
    const steps = [];
    let step = startShipment(paid, now);
    steps.push(step.events[0].name);
    step = completeSearch(step.state, never, now);
    steps.push(step.events[0].name);
    step = answerOffer({ ...step.state, worker: step.state.worker! }, rules, never, now);
    steps.push(step.events[0].name);
    step = pickUp({ ...step.state, worker: step.state.worker! }, rules, now);
    steps.push(step.events[0].name);
    step = finishDrive({ ...step.state, worker: step.state.worker! }, rules, never, now);
    steps.push(step.events[0].name);
    expect(steps).toEqual(['WorkerSearchStarted', 'WorkerSearchCompleted', 'WorkerAcceptedJob', 'DeliveryStarted', 'DeliveryCompleted']);
    expect(step.state.status).toBe('delivered');
  });

  it('searches again with the next attempt after a declined offer or an aborted drive', () => {
    const found = completeSearch(startShipment(paid, now).state, never, now).state;
    const declined = answerOffer({ ...found, worker: found.worker! }, rules, always, now);
    expect(declined.events[0].name).toBe('WorkerDeclinedJob');
    const again = searchAgain(declined.state, now);
    expect(again.state).toMatchObject({ status: 'searching', attempt: 2 });
    expect(again.state.worker).toBeUndefined();
    expect(again.events[0]).toMatchObject({ name: 'WorkerSearchStarted', data: { attempt: 2 } });
    const aborted = finishDrive({ ...found, status: 'delivering', worker: found.worker! }, rules, always, now);
    expect(aborted.events[0].name).toBe('DeliveryAborted');
  });

  describe('answering a cancellation', () => {
    const requested = { orderId: 'o-1', customerId: 'c-1', occurredAt: now };
    const searching = startShipment(paid, now).state;
    const found = completeSearch(searching, never, now).state;
    const accepted = answerOffer({ ...found, worker: found.worker! }, rules, never, now).state;
    const delivering = pickUp({ ...accepted, worker: accepted.worker! }, rules, now).state;

    it('cancels a shipment that has not started yet, leaving a tombstone a late payment cannot start', () => {
      const answer = answerCancellation(undefined, requested, now);
      expect(answer?.state).toMatchObject({ status: 'cancelled', attempt: 0 });
      expect(answer?.events[0]).toEqual({ name: 'DeliveryCancelled', data: requested });
    });

    it.each([
      ['searching', searching],
      ['found', found],
      ['accepted', accepted],
    ])('stops a shipment whose driver is %s but has not picked up', (_status, shipment) => {
      const answer = answerCancellation(shipment, requested, now);
      expect(answer?.state.status).toBe('cancelled');
      expect(answer?.events[0].name).toBe('DeliveryCancelled');
    });

    it('refuses once a driver has picked the candy up, and keeps delivering', () => {
      const answer = answerCancellation(delivering, requested, now);
      expect(answer?.events[0]).toEqual({ name: 'DeliveryCancellationRefused', data: requested });
      expect(answer?.state).toMatchObject({ status: 'delivering', cancellationRefused: true });
      expect(answerCancellation({ ...delivering, status: 'delivered' }, requested, now)?.events[0].name).toBe(
        'DeliveryCancellationRefused',
      );
    });

    it('refuses after an aborted drive too: the candy had left once', () => {
      const aborted = finishDrive({ ...delivering, worker: delivering.worker! }, rules, always, now).state;
      const again = searchAgain(aborted, now).state;
      expect(again.status).toBe('searching');
      expect(isStoppable(again)).toBe(false);
      expect(answerCancellation(again, requested, now)?.events[0].name).toBe('DeliveryCancellationRefused');
    });

    it('answers a request only once, whatever it answered', () => {
      const stopped = answerCancellation(searching, requested, now)!.state;
      const refused = answerCancellation(delivering, requested, now)!.state;
      expect(answerCancellation(stopped, requested, now)).toBeUndefined();
      expect(answerCancellation(refused, requested, now)).toBeUndefined();
    });
  });
});
