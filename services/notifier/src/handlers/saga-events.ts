import { eventNames, type EventName } from '@sweetgiggles/contracts';
import type { EventHandlers, Outcome, ReceivedEvent } from '@sweetgiggles/platform';
import type { CausalOrder } from '../causal-order.ts';
import type { HistoryStore } from '../dapr/history-store.ts';
import type { NotificationHub } from '../ws/notification-hub.ts';

export interface NotificationHandlerDeps {
  history: Pick<HistoryStore, 'record'>;
  /** Holds an event back until its cause has been handled here, so customers see the saga in order. */
  causalOrder: CausalOrder;
  hub: Pick<NotificationHub, 'publish'>;
  clock: () => Date;
  /** Broadcast deliveries of events older than this are not live news any more: they are skipped. */
  broadcastMaxAgeMs: number;
}

/**
 * The handlers of both subscriptions. Each records the event in its customer's history (or finds it
 * there, when another replica or an earlier delivery got there first), then pushes it to that
 * customer's sockets on this replica. A store failure asks for a retry.
 *
 * The durable subscription records every event. The broadcast one may record it first, and a
 * replica's broadcast consumer may start by reading the broker's retained events again (a new Redis
 * consumer group starts at the beginning of the stream): an old event may have left the bounded
 * history already, and recording it again would give it a new number. So old broadcast deliveries
 * are acknowledged and ignored; clients that missed them resume from the history.
 */
export function notificationHandlers(deps: NotificationHandlerDeps): { durable: EventHandlers; broadcast: EventHandlers } {
  const { history, causalOrder, hub, clock, broadcastMaxAgeMs } = deps;
  const notify = async (delivery: ReceivedEvent<EventName>): Promise<Outcome> => {
    const { customerId, orderId, occurredAt } = delivery.data;
    const data = delivery.data as { attempt?: number; reason?: string };
    await causalOrder.causesHandled(customerId, orderId, delivery.name, data);
    const notification = await history.record(customerId, {
      // The CloudEvent id is the same on every redelivery; without one, the fact itself identifies the event.
      eventId: delivery.id === 'unknown' ? `${delivery.name}:${orderId}:${occurredAt}` : delivery.id,
      orderId,
      name: delivery.name,
      time: occurredAt,
      data: delivery.data,
    });
    causalOrder.handled(orderId, delivery.name, data.attempt);
    hub.publish(customerId, notification);
    delivery.log.debug({ seq: notification.seq }, 'event pushed');
    return 'SUCCESS';
  };
  const notifyIfRecent = async (delivery: ReceivedEvent<EventName>): Promise<Outcome> => {
    const age = clock().getTime() - Date.parse(delivery.data.occurredAt);
    if (age > broadcastMaxAgeMs) {
      delivery.log.debug({ ageMs: age }, 'old broadcast event skipped');
      return 'SUCCESS';
    }
    return notify(delivery);
  };
  const forEvery = (handler: (delivery: ReceivedEvent<EventName>) => Promise<Outcome>) =>
    Object.fromEntries(eventNames.map((name) => [name, handler])) as EventHandlers;
  return { durable: forEvery(notify), broadcast: forEvery(notifyIfRecent) };
}
