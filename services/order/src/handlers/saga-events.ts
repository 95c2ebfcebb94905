import type { EventHandlers, Outcome, ReceivedEvent } from '@sweetgiggles/platform';
import type { EventName, SagaEvent } from '@sweetgiggles/contracts';
import { UnknownOrder, type OrderService } from '../order-service.ts';

/**
 * The events the order service follows: every payment and delivery fact about an order, and its own
 * OrderCreated (which records an order whose request died after publishing it).
 */
export function sagaEventHandlers(orders: OrderService): EventHandlers {
  const follow = async (delivery: ReceivedEvent<EventName>): Promise<Outcome> => {
    try {
      await orders.follow({ name: delivery.name, data: delivery.data } as SagaEvent, delivery.id, delivery.log);
      return 'SUCCESS';
    } catch (error) {
      if (!(error instanceof UnknownOrder)) throw error;
      // The order's OrderCreated is published before its record is written: the record is a moment
      // behind, or on its way through `OrderCreated`. The retry policy bounds the wait.
      delivery.log.info('event for an order not recorded yet, asking for a retry');
      return 'RETRY';
    }
  };
  return {
    OrderCreated: async ({ data, id, log }) => (await orders.onOrderCreated(data, id, log), 'SUCCESS'),
    PaymentAccepted: follow,
    PaymentDeclined: follow,
    PaymentRefunded: follow,
    WorkerSearchStarted: follow,
    WorkerSearchCompleted: follow,
    WorkerAcceptedJob: follow,
    WorkerDeclinedJob: follow,
    DeliveryStarted: follow,
    DeliveryAborted: follow,
    DeliveryCompleted: follow,
    DeliveryCancelled: follow,
    DeliveryCancellationRefused: follow,
  };
}
