import type { EventData } from '@sweetgiggles/contracts';
import { jitter, sleep, type Logger, type Random, type StepRunner } from '@sweetgiggles/platform';
import {
  answerCancellation,
  answerOffer,
  completeSearch,
  finishDrive,
  pickUp,
  searchAgain,
  startShipment,
  type DeliveryRules,
  type Shipment,
  type ShipmentDecision,
  type Worker,
} from './domain/shipment.ts';
import type { DeliveryMetrics } from './metrics.ts';
import type { ShipmentRepository } from './shipment-repository.ts';

/** Mean simulated durations of each step, in milliseconds; all 0 in tests and benchmarks. */
export interface DeliveryDelays {
  searchMs: number;
  answerMs: number;
  pickUpMs: number;
  driveMs: number;
}

export interface DeliveryServiceDeps {
  shipments: ShipmentRepository;
  steps: StepRunner;
  rules: DeliveryRules;
  delays: DeliveryDelays;
  random: Random;
  clock: () => Date;
  metrics: DeliveryMetrics;
}

type Expected = { status: Shipment['status']; attempt: number };

/**
 * Drives each paid order to the customer. Every step is triggered by the durable event of the step
 * before it, commits its result and then publishes the next event, so a crash at any point resumes
 * when the broker redelivers the trigger: before the commit the step runs again, after it the kept
 * event is published again. A step whose precondition no longer holds (a cancelled order, a later
 * step) decides nothing.
 */
export class DeliveryService {
  readonly #deps: DeliveryServiceDeps;

  constructor(deps: DeliveryServiceDeps) {
    this.#deps = deps;
  }

  async onPaymentAccepted(paid: EventData<'PaymentAccepted'>, eventId: string, log: Logger): Promise<void> {
    const { shipments, steps, clock } = this.#deps;
    const { decision } = await steps.run(shipments, paid.orderId, eventId, (existing) =>
      existing ? undefined : startShipment(paid, clock().toISOString()),
    );
    if (decision) log.info({ attempt: decision.state.attempt }, 'worker search started');
  }

  onWorkerSearchStarted(data: EventData<'WorkerSearchStarted'>, eventId: string, log: Logger) {
    const { random, delays } = this.#deps;
    return this.#advance(data, eventId, { status: 'searching', attempt: data.attempt }, delays.searchMs, log, (s, now) =>
      completeSearch(s, random, now),
    );
  }

  onWorkerSearchCompleted(data: EventData<'WorkerSearchCompleted'>, eventId: string, log: Logger) {
    const { random, delays, rules } = this.#deps;
    return this.#advance(data, eventId, { status: 'found', attempt: data.attempt }, delays.answerMs, log, (s, now) =>
      answerOffer(withWorker(s), rules, random, now),
    );
  }

  onWorkerAcceptedJob(data: EventData<'WorkerAcceptedJob'>, eventId: string, log: Logger) {
    const { delays, rules } = this.#deps;
    return this.#advance(data, eventId, { status: 'accepted', attempt: data.attempt }, delays.pickUpMs, log, (s, now) =>
      pickUp(withWorker(s), rules, now),
    );
  }

  onDeliveryStarted(data: EventData<'DeliveryStarted'>, eventId: string, log: Logger) {
    const { random, delays, rules } = this.#deps;
    return this.#advance(data, eventId, { status: 'delivering', attempt: data.attempt }, delays.driveMs, log, (s, now) =>
      finishDrive(withWorker(s), rules, random, now),
    );
  }

  onWorkerDeclinedJob(data: EventData<'WorkerDeclinedJob'>, eventId: string, log: Logger) {
    return this.#advance(data, eventId, { status: 'declined', attempt: data.attempt }, 0, log, searchAgain);
  }

  onDeliveryAborted(data: EventData<'DeliveryAborted'>, eventId: string, log: Logger) {
    return this.#advance(data, eventId, { status: 'aborted', attempt: data.attempt }, 0, log, searchAgain);
  }

  /**
   * Answers a customer's cancellation with DeliveryCancelled (the shipment is stopped for good, in the
   * same ETag-checked write) or DeliveryCancellationRefused (a driver has the candy already). Steps of
   * one order are serialised, so a pick-up in progress finishes before the answer is decided.
   */
  async onOrderCancellationRequested(requested: EventData<'OrderCancellationRequested'>, eventId: string, log: Logger): Promise<void> {
    const { shipments, steps, clock } = this.#deps;
    const { state, decision } = await steps.run(shipments, requested.orderId, eventId, (existing) =>
      answerCancellation(existing, requested, clock().toISOString()),
    );
    if (decision?.state.status === 'cancelled') log.info('shipment cancelled');
    else if (decision) log.info({ status: decision.state.status }, 'cancellation came too late to stop the delivery');
    else log.debug({ status: state?.status }, 'cancellation already answered');
  }

  async #advance(
    data: { orderId: string },
    eventId: string,
    expected: Expected,
    delayMs: number,
    log: Logger,
    step: (shipment: Shipment, now: string) => ShipmentDecision,
  ): Promise<void> {
    const { shipments, steps, clock, random, metrics } = this.#deps;
    const { state, decision } = await steps.run(shipments, data.orderId, eventId, async (current) => {
      if (!current || current.status !== expected.status || current.attempt !== expected.attempt) return undefined;
      await sleep(jitter(random, delayMs));
      return step(current, clock().toISOString());
    });
    if (!decision) {
      log.debug({ status: state?.status }, 'step already taken or no longer needed');
      return;
    }
    const published = decision.events[0]?.name;
    if (published) metrics.recordStep(published);
    log.info({ attempt: decision.state.attempt, published }, 'delivery advanced');
  }
}

function withWorker(shipment: Shipment): Shipment & { worker: Worker } {
  if (!shipment.worker) throw new Error(`shipment ${shipment.orderId} has no worker in status ${shipment.status}`);
  return shipment as Shipment & { worker: Worker };
}
