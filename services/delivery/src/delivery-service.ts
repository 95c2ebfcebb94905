import type { EventData } from '@sweetgiggles/contracts';
import { KeyedLock, jitter, sleep, type Logger, type Random, type VersionedStore } from '@sweetgiggles/platform';
import {
  answerOffer,
  cancelShipment,
  completeSearch,
  finishDrive,
  pickUp,
  searchAgain,
  startShipment,
  type DeliveryRules,
  type Shipment,
  type Step,
  type Worker,
} from './domain/shipment.ts';

/** Mean simulated durations of each step, in milliseconds; all 0 in tests and benchmarks. */
export interface DeliveryDelays {
  searchMs: number;
  answerMs: number;
  pickUpMs: number;
  driveMs: number;
}

export interface DeliveryServiceDeps {
  /** The `deliverystore` state store, whose outbox publishes to the `deliveries` topic. */
  store: VersionedStore;
  rules: DeliveryRules;
  delays: DeliveryDelays;
  random: Random;
  clock: () => Date;
}

const key = (orderId: string) => `shipment-${orderId}`;
type Expected = { status: Shipment['status']; attempt: number };

/**
 * Drives each paid order to the customer. Every step is triggered by the durable event of the step
 * before it and commits its result with the next event through the outbox, so a crash at any point
 * resumes from the last committed step when the broker redelivers. A step whose precondition no
 * longer holds (a redelivery, a cancelled order) does nothing.
 */
export class DeliveryService {
  readonly #deps: DeliveryServiceDeps;
  readonly #lock = new KeyedLock();

  constructor(deps: DeliveryServiceDeps) {
    this.#deps = deps;
  }

  async onPaymentAccepted(paid: EventData<'PaymentAccepted'>, log: Logger): Promise<void> {
    const { store, clock } = this.#deps;
    await this.#lock.run(paid.orderId, async () => {
      if (await store.get<Shipment>(key(paid.orderId))) return;
      const { shipment, event } = startShipment(paid, clock().toISOString());
      await store.commit(key(paid.orderId), shipment, undefined, event);
      log.info({ attempt: shipment.attempt }, 'worker search started');
    });
  }

  onWorkerSearchStarted(data: EventData<'WorkerSearchStarted'>, log: Logger) {
    const { random, delays } = this.#deps;
    return this.#advance(data, { status: 'searching', attempt: data.attempt }, delays.searchMs, log, (s, now) =>
      completeSearch(s, random, now),
    );
  }

  onWorkerSearchCompleted(data: EventData<'WorkerSearchCompleted'>, log: Logger) {
    const { random, delays, rules } = this.#deps;
    return this.#advance(data, { status: 'found', attempt: data.attempt }, delays.answerMs, log, (s, now) =>
      answerOffer(withWorker(s), rules, random, now),
    );
  }

  onWorkerAcceptedJob(data: EventData<'WorkerAcceptedJob'>, log: Logger) {
    const { delays, rules } = this.#deps;
    return this.#advance(data, { status: 'accepted', attempt: data.attempt }, delays.pickUpMs, log, (s, now) =>
      pickUp(withWorker(s), rules, now),
    );
  }

  onDeliveryStarted(data: EventData<'DeliveryStarted'>, log: Logger) {
    const { random, delays, rules } = this.#deps;
    return this.#advance(data, { status: 'delivering', attempt: data.attempt }, delays.driveMs, log, (s, now) =>
      finishDrive(withWorker(s), rules, random, now),
    );
  }

  onWorkerDeclinedJob(data: EventData<'WorkerDeclinedJob'>, log: Logger) {
    return this.#advance(data, { status: 'declined', attempt: data.attempt }, 0, log, searchAgain);
  }

  onDeliveryAborted(data: EventData<'DeliveryAborted'>, log: Logger) {
    return this.#advance(data, { status: 'aborted', attempt: data.attempt }, 0, log, searchAgain);
  }

  async onOrderCancelled(cancelled: EventData<'OrderCancelled'>, log: Logger): Promise<void> {
    const { store, clock } = this.#deps;
    await this.#lock.run(cancelled.orderId, async () => {
      const existing = await store.get<Shipment>(key(cancelled.orderId));
      const next = cancelShipment(existing?.value, cancelled, clock().toISOString());
      if (!next) {
        log.info({ status: existing?.value.status }, 'cancellation came too late to stop the delivery');
        return;
      }
      await store.save(key(cancelled.orderId), next, existing?.etag);
      log.info('shipment cancelled');
    });
  }

  async #advance(
    data: { orderId: string },
    expected: Expected,
    delayMs: number,
    log: Logger,
    step: (shipment: Shipment, now: string) => Step,
  ): Promise<void> {
    const { store, clock, random } = this.#deps;
    await this.#lock.run(data.orderId, async () => {
      const current = await store.get<Shipment>(key(data.orderId));
      if (!current || current.value.status !== expected.status || current.value.attempt !== expected.attempt) {
        log.debug({ status: current?.value.status }, 'step already taken or no longer needed');
        return;
      }
      await sleep(jitter(random, delayMs));
      const { shipment, event } = step(current.value, clock().toISOString());
      await store.commit(key(data.orderId), shipment, current.etag, event);
      log.info({ attempt: shipment.attempt, published: event.name }, 'delivery advanced');
    });
  }
}

function withWorker(shipment: Shipment): Shipment & { worker: Worker } {
  if (!shipment.worker) throw new Error(`shipment ${shipment.orderId} has no worker in status ${shipment.status}`);
  return shipment as Shipment & { worker: Worker };
}
