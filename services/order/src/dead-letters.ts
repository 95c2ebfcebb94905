import type { ParkedDeadLetter, ParkedDeadLetterSummary, ReplayReport } from '@sweetgiggles/contracts';
import { DomainError, NotFound, type Logger, type Outcome } from '@sweetgiggles/platform';
import type { LetterRepublisher } from './dapr/letter-republisher.ts';
import type { DeadLetterPark } from './dead-letter-park.ts';
import { parkedLetterOf, type DeadLetterMessage } from './domain/dead-letter.ts';
import type { OrderMetrics } from './metrics.ts';
import type { OrderService } from './order-service.ts';

export interface DeadLettersDeps {
  park: DeadLetterPark;
  orders: Pick<OrderService, 'markParked' | 'unmarkParked'>;
  /** Publishes a letter again, as its publisher kept it (see letterRepublisher). */
  republish: LetterRepublisher;
  metrics: Pick<OrderMetrics, 'deadLettersParked' | 'deadLettersReplayed'>;
  clock: () => Date;
  log: Logger;
}

/** A parked letter whose publisher no longer keeps the event, so it cannot be published as it was. */
export class NotReplayable extends DomainError {
  constructor(id: string) {
    super('not_replayable', `the publisher of ${id} no longer keeps it; it stays parked`, 409);
  }
}

/**
 * The dead letters of the saga: each saga event whose retries ran out is parked, its order marked
 * stuck, until an operator replays it once the fault is fixed. A replay has the event's publisher
 * publish it again, as it kept it (same CloudEvent id, same data, same topic): every consumer is
 * idempotent by the state of the order, payment or shipment and by event id, so those that had
 * handled it change nothing, and the one that had failed carries the saga on.
 */
export class DeadLetters {
  readonly #deps: DeadLettersDeps;

  constructor(deps: DeadLettersDeps) {
    this.#deps = deps;
  }

  /**
   * Parks a message of the dead-letter topic (answered SUCCESS once it is parked, RETRY when the state
   * store failed, so the sidecar delivers it again). Poison is only logged: a replay cannot mend it.
   */
  async onDeadLetter(message: DeadLetterMessage): Promise<Outcome> {
    const { park, orders, clock, log } = this.#deps;
    const parsed = parkedLetterOf(message, clock().toISOString());
    if ('problem' in parsed) {
      log.warn({ cloudEventId: message.id, problem: parsed.problem }, 'dead letter not parked: a replay cannot mend it');
      return 'SUCCESS';
    }
    const { letter } = parsed;
    const child = log.child({ cloudEventId: letter.id, event: letter.type, orderId: letter.orderId });
    const result = await park.park(letter);
    if (result === 'full') {
      child.error({ letter }, 'dead letter not parked: the park is full');
      return 'SUCCESS';
    }
    // Repeated on a redelivery: the mark is kept once per letter.
    const known = await orders.markParked(letter.orderId, { eventId: letter.id, event: letter.type, since: letter.parkedAt });
    if (result === 'parked') child.error({ topic: letter.topic, orderKnown: known }, 'dead letter parked: the order waits for a replay');
    await this.refreshGauge();
    return 'SUCCESS';
  }

  list(limit?: number): Promise<ParkedDeadLetterSummary[]> {
    return this.#deps.park.list(limit);
  }

  async get(id: string): Promise<ParkedDeadLetter> {
    const letter = await this.#deps.park.get(id);
    if (!letter) throw new NotFound(`dead letter ${id}`);
    return letter;
  }

  /**
   * Has a parked letter published again, then takes it out of the park and unmarks its order. A
   * process that dies after the publish leaves it parked: replaying it again publishes a duplicate,
   * which every consumer drops.
   *
   * An event that fails again is parked again once its retries have run out (seconds later), after
   * this has taken it out. Should they run out within the moment between the publish and the
   * removal, the new letter finds the old one and is dropped with it; its order, unmarked, is then
   * followed by the stall watch, whose re-drive makes the failing consumer see the event again and
   * park it anew.
   */
  async replay(id: string): Promise<ParkedDeadLetter> {
    const { park, orders, republish, metrics, log } = this.#deps;
    const letter = await this.get(id);
    if (!(await republish(letter))) throw new NotReplayable(letter.id);
    await park.remove(letter.id);
    await orders.unmarkParked(letter.orderId, letter.id);
    metrics.deadLettersReplayed.inc();
    log.warn({ cloudEventId: letter.id, event: letter.type, orderId: letter.orderId, topic: letter.topic }, 'dead letter replayed');
    await this.refreshGauge();
    return letter;
  }

  /** Replays every parked letter, oldest first, and says which went out and which could not. */
  async replayAll(): Promise<ReplayReport> {
    const report: ReplayReport = { replayed: [], failed: [] };
    for (const { id } of await this.list()) {
      try {
        await this.replay(id);
        report.replayed.push(id);
      } catch (error) {
        const message =
          error instanceof NotFound ? 'no longer parked' : error instanceof NotReplayable ? error.message : 'could not be published';
        report.failed.push({ id, message });
        this.#deps.log.warn({ err: error, cloudEventId: id }, 'could not replay a dead letter');
      }
    }
    return report;
  }

  /** Sets the gauge of parked letters from the park (other replicas park and replay too). */
  async refreshGauge(): Promise<void> {
    this.#deps.metrics.deadLettersParked.set(await this.#deps.park.count());
  }
}
