import type { SagaEvent } from '@sweetgiggles/contracts';
import type { Logger } from '@sweetgiggles/platform';
import type { CausalOrder } from './causal-order.ts';
import type { HistoryRepository } from './history-repository.ts';
import type { NotificationHub } from './ws/notification-hub.ts';

export interface NotifierServiceDeps {
  histories: Pick<HistoryRepository, 'record'>;
  /** Holds an event back until its cause has been handled here, so customers see the saga in order. */
  causalOrder: CausalOrder;
  hub: Pick<NotificationHub, 'publish'>;
  clock: () => Date;
  /** Broadcast deliveries of events older than this are not live news any more: they are skipped. */
  broadcastMaxAgeMs: number;
}

/**
 * Tells customers what happens to their orders. Every saga event is recorded in its customer's
 * history (or found there, when another replica or an earlier delivery got there first), then pushed
 * to that customer's sockets on this replica. A store failure throws, so the delivery is retried.
 *
 * Every event reaches a replica twice: on the durable subscription all replicas share, which records
 * every event, and on this replica's broadcast subscription, which may record it first. A replica's
 * broadcast consumer may start by reading the broker's retained events again (a new Redis consumer
 * group starts at the beginning of the stream): an old event may have left the bounded history
 * already, and recording it again would give it a new number. So old broadcast deliveries are
 * skipped; clients that missed them resume from the history.
 */
export class NotifierService {
  readonly #deps: NotifierServiceDeps;

  constructor(deps: NotifierServiceDeps) {
    this.#deps = deps;
  }

  /** A saga event from the durable subscription: the customer is notified of it. */
  async onSagaEvent(event: SagaEvent, eventId: string, log: Logger): Promise<void> {
    const { histories, causalOrder, hub } = this.#deps;
    const { customerId, orderId, occurredAt } = event.data;
    const data = event.data as { attempt?: number; reason?: string };
    await causalOrder.causesHandled(customerId, orderId, event.name, data);
    const notification = await histories.record(customerId, {
      // The CloudEvent id is the same on every redelivery; without one, the fact itself identifies the event.
      eventId: eventId === 'unknown' ? `${event.name}:${orderId}:${occurredAt}` : eventId,
      orderId,
      name: event.name,
      time: occurredAt,
      data: event.data,
    });
    causalOrder.handled(orderId, event.name, data.attempt);
    hub.publish(customerId, notification);
    log.debug({ seq: notification.seq }, 'event pushed');
  }

  /** A saga event from this replica's broadcast subscription: the customer is notified of it while it is still news. */
  async onBroadcastEvent(event: SagaEvent, eventId: string, log: Logger): Promise<void> {
    const age = this.#deps.clock().getTime() - Date.parse(event.data.occurredAt);
    if (age > this.#deps.broadcastMaxAgeMs) {
      log.debug({ ageMs: age }, 'old broadcast event skipped');
      return;
    }
    await this.onSagaEvent(event, eventId, log);
  }
}
