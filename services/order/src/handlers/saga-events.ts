import type { EventHandlers, Delivery, Outcome } from '@sweetgiggles/platform';
import type { EventName, SagaEvent } from '@sweetgiggles/contracts';
import type { OrderService } from '../order-service.ts';

/** The events the order service follows: every payment and delivery fact about an order. */
export function sagaEventHandlers(orders: OrderService): EventHandlers {
  const follow = async (delivery: Delivery<EventName>): Promise<Outcome> => {
    const known = await orders.follow({ name: delivery.name, data: delivery.data } as SagaEvent, delivery.log);
    if (known) return 'SUCCESS';
    delivery.log.warn('event for an unknown order');
    return 'DROP';
  };
  return {
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
  };
}
