import type { EventData } from '@sweetgiggles/contracts';
import type { Decision, Random } from '@sweetgiggles/platform';

/**
 * One order's way to the customer. Each attempt runs searching → found → accepted → delivering →
 * delivered; a declined offer or an aborted drive starts the next attempt with a new search.
 */
export interface Shipment {
  orderId: string;
  customerId: string;
  status: 'searching' | 'found' | 'accepted' | 'declined' | 'delivering' | 'aborted' | 'delivered' | 'cancelled';
  attempt: number;
  worker?: Worker;
  /** A driver picked the order up once: from then on a cancellation comes too late, even after an aborted drive. */
  pickedUp?: true;
  /** The customer's cancellation was refused (it came too late); kept so a redelivered request is answered once. */
  cancellationRefused?: true;
  updatedAt: string;
}

export interface Worker {
  workerId: string;
  workerName: string;
}

export interface DeliveryRules {
  workerDeclineProbability: number;
  deliveryAbortProbability: number;
  /** The ETA a driver announces when they set off. */
  etaSeconds: number;
}

type DeliveryEventName =
  | 'WorkerSearchStarted'
  | 'WorkerSearchCompleted'
  | 'WorkerAcceptedJob'
  | 'WorkerDeclinedJob'
  | 'DeliveryStarted'
  | 'DeliveryAborted'
  | 'DeliveryCompleted'
  | 'DeliveryCancelled'
  | 'DeliveryCancellationRefused';

/** An event the delivery service publishes. */
export type DeliveryEvent = { [Name in DeliveryEventName]: { name: Name; data: EventData<Name> } }[DeliveryEventName];

/** A step's decision: the shipment's next version and the one event that reports it. */
export interface ShipmentDecision extends Decision<Shipment> {
  events: [DeliveryEvent];
}

const decided = (state: Shipment, event: DeliveryEvent): ShipmentDecision => ({ state, events: [event] });

const workers: readonly Worker[] = [
  { workerId: 'w-ada', workerName: 'Ada on a cargo bike' },
  { workerId: 'w-bruno', workerName: 'Bruno in the blue van' },
  { workerId: 'w-chiara', workerName: 'Chiara on roller skates' },
  { workerId: 'w-dev', workerName: 'Dev on a scooter' },
  { workerId: 'w-emeka', workerName: 'Emeka on foot' },
  { workerId: 'w-fran', workerName: 'Fran in the candy truck' },
];

const ids = (s: Shipment, now: string) => ({ orderId: s.orderId, customerId: s.customerId, occurredAt: now, attempt: s.attempt });

/** A paid order starts its first worker search. */
export function startShipment(paid: EventData<'PaymentAccepted'>, now: string): ShipmentDecision {
  const shipment: Shipment = { orderId: paid.orderId, customerId: paid.customerId, status: 'searching', attempt: 1, updatedAt: now };
  return decided(shipment, { name: 'WorkerSearchStarted', data: ids(shipment, now) });
}

/** The search found a driver. */
export function completeSearch(shipment: Shipment, random: Random, now: string): ShipmentDecision {
  const worker = workers[Math.floor(random() * workers.length)] ?? workers[0]!;
  const next: Shipment = { ...shipment, status: 'found', worker, updatedAt: now };
  return decided(next, { name: 'WorkerSearchCompleted', data: { ...ids(next, now), ...worker } });
}

/** The driver answers the offer. */
export function answerOffer(shipment: Shipment & { worker: Worker }, rules: DeliveryRules, random: Random, now: string): ShipmentDecision {
  const declined = random() < rules.workerDeclineProbability;
  const next: Shipment = { ...shipment, status: declined ? 'declined' : 'accepted', updatedAt: now };
  const data = { ...ids(next, now), ...shipment.worker };
  return decided(next, declined ? { name: 'WorkerDeclinedJob', data } : { name: 'WorkerAcceptedJob', data });
}

/** The driver picked the candy up; from here on the order can no longer be cancelled. */
export function pickUp(shipment: Shipment & { worker: Worker }, rules: DeliveryRules, now: string): ShipmentDecision {
  const next: Shipment = { ...shipment, status: 'delivering', pickedUp: true, updatedAt: now };
  return decided(next, { name: 'DeliveryStarted', data: { ...ids(next, now), ...shipment.worker, etaSeconds: rules.etaSeconds } });
}

/** The drive ends: delivered, or aborted (a flat tyre, a closed road) to be searched for again. */
export function finishDrive(shipment: Shipment & { worker: Worker }, rules: DeliveryRules, random: Random, now: string): ShipmentDecision {
  const aborted = random() < rules.deliveryAbortProbability;
  const next: Shipment = { ...shipment, status: aborted ? 'aborted' : 'delivered', updatedAt: now };
  const data = { ...ids(next, now), ...shipment.worker };
  return decided(
    next,
    aborted
      ? { name: 'DeliveryAborted', data: { ...data, reason: 'the driver could not reach the address' } }
      : { name: 'DeliveryCompleted', data },
  );
}

/** After a declined offer or an aborted drive, a new search starts. */
export function searchAgain(shipment: Shipment, now: string): ShipmentDecision {
  const { worker: _previous, ...rest } = shipment;
  const next: Shipment = { ...rest, status: 'searching', attempt: shipment.attempt + 1, updatedAt: now };
  return decided(next, { name: 'WorkerSearchStarted', data: ids(next, now) });
}

/** Whether a customer's cancellation still stops this shipment: only while no driver has ever picked it up. */
export function isStoppable(shipment: Shipment): boolean {
  return !shipment.pickedUp && ['searching', 'found', 'accepted', 'declined'].includes(shipment.status);
}

/**
 * The delivery service's answer to a customer's cancellation, decided on its own state: the only
 * place that knows whether the candy has left. In time (no shipment yet, or no pick-up), the shipment
 * becomes `cancelled` for good, a tombstone when it had not started, so no later PaymentAccepted or
 * step delivers it; too late, the refusal is recorded and the delivery goes on. Undefined when the
 * request was answered already.
 */
export function answerCancellation(
  existing: Shipment | undefined,
  requested: EventData<'OrderCancellationRequested'>,
  now: string,
): ShipmentDecision | undefined {
  if (existing?.status === 'cancelled' || existing?.cancellationRefused) return undefined;
  const { orderId, customerId } = requested;
  const data = { orderId, customerId, occurredAt: now };
  if (!existing) {
    const shipment: Shipment = { orderId, customerId, status: 'cancelled', attempt: 0, updatedAt: now };
    return decided(shipment, { name: 'DeliveryCancelled', data });
  }
  if (isStoppable(existing)) {
    return decided({ ...existing, status: 'cancelled', updatedAt: now }, { name: 'DeliveryCancelled', data });
  }
  return decided({ ...existing, cancellationRefused: true, updatedAt: now }, { name: 'DeliveryCancellationRefused', data });
}
