import type { EventData, EventName } from '@sweetgiggles/contracts';
import type { EventHandler, EventHandlers, Logger } from '@sweetgiggles/platform';
import { UnknownOrder, type OrderService } from '../order-service.ts';

/**
 * The events the order service follows: every payment and delivery fact about an order, and its own
 * OrderCreated (which records an order whose request died after publishing it).
 */
export function sagaEventHandlers(orders: OrderService): EventHandlers {
  return {
    OrderCreated: async ({ data, id, log }) => (await orders.onOrderCreated(data, id, log), 'SUCCESS'),
    PaymentAccepted: retryWhileUnknown((data, id, log) => orders.onPaymentAccepted(data, id, log)),
    PaymentDeclined: retryWhileUnknown((data, id, log) => orders.onPaymentDeclined(data, id, log)),
    PaymentRefunded: retryWhileUnknown((data, id, log) => orders.onPaymentRefunded(data, id, log)),
    WorkerSearchStarted: retryWhileUnknown((data, id, log) => orders.onWorkerSearchStarted(data, id, log)),
    WorkerSearchCompleted: retryWhileUnknown((data, id, log) => orders.onWorkerSearchCompleted(data, id, log)),
    WorkerAcceptedJob: retryWhileUnknown((data, id, log) => orders.onWorkerAcceptedJob(data, id, log)),
    WorkerDeclinedJob: retryWhileUnknown((data, id, log) => orders.onWorkerDeclinedJob(data, id, log)),
    DeliveryStarted: retryWhileUnknown((data, id, log) => orders.onDeliveryStarted(data, id, log)),
    DeliveryAborted: retryWhileUnknown((data, id, log) => orders.onDeliveryAborted(data, id, log)),
    DeliveryCompleted: retryWhileUnknown((data, id, log) => orders.onDeliveryCompleted(data, id, log)),
    DeliveryCancelled: retryWhileUnknown((data, id, log) => orders.onDeliveryCancelled(data, id, log)),
    DeliveryCancellationRefused: retryWhileUnknown((data, id, log) => orders.onDeliveryCancellationRefused(data, id, log)),
  };
}

/**
 * Answers SUCCESS once the use case has run, and RETRY when the order has no record yet: its
 * OrderCreated is published before its record is written, so the record is a moment behind, or on
 * its way through `OrderCreated`. The retry policy bounds the wait.
 */
function retryWhileUnknown<Name extends EventName>(
  useCase: (data: EventData<Name>, eventId: string, log: Logger) => Promise<void>,
): EventHandler<Name> {
  return async ({ data, id, log }) => {
    try {
      await useCase(data, id, log);
      return 'SUCCESS';
    } catch (error) {
      if (!(error instanceof UnknownOrder)) throw error;
      log.info('event for an order not recorded yet, asking for a retry');
      return 'RETRY';
    }
  };
}
