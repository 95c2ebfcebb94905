import { eventNames, type EventName } from '@sweetgiggles/contracts';
import type { Delivery, EventHandlers, Outcome } from '@sweetgiggles/platform';
import type { HistoryStore } from '../dapr/history-store.ts';
import type { NotificationHub } from '../ws/notification-hub.ts';

export interface NotificationHandlerDeps {
  history: Pick<HistoryStore, 'record'>;
  hub: Pick<NotificationHub, 'publish'>;
}

/**
 * One handler for every saga event, the same on both subscriptions: record the event in its
 * customer's history (or find it there, when another replica or an earlier delivery got there
 * first), then push it to that customer's sockets on this replica. A store failure asks for a retry.
 */
export function notificationHandlers({ history, hub }: NotificationHandlerDeps): EventHandlers {
  const notify = async (delivery: Delivery<EventName>): Promise<Outcome> => {
    const { customerId, orderId, occurredAt } = delivery.data;
    const notification = await history.record(customerId, {
      // The CloudEvent id is the same on every redelivery; without one, the fact itself identifies the event.
      eventId: delivery.id === 'unknown' ? `${delivery.name}:${orderId}:${occurredAt}` : delivery.id,
      orderId,
      name: delivery.name,
      time: occurredAt,
      data: delivery.data,
    });
    hub.publish(customerId, notification);
    delivery.log.debug({ seq: notification.seq }, 'event pushed');
    return 'SUCCESS';
  };
  return Object.fromEntries(eventNames.map((name) => [name, notify])) as EventHandlers;
}
