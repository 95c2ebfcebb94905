import type { EventHandlers } from '@sweetgiggles/platform';
import type { DeliveryService } from '../delivery-service.ts';

/** The delivery service starts on PaymentAccepted, follows its own steps, and stops on OrderCancelled. */
export function sagaEventHandlers(deliveries: DeliveryService): EventHandlers {
  return {
    PaymentAccepted: async ({ data, log }) => (await deliveries.onPaymentAccepted(data, log), 'SUCCESS'),
    WorkerSearchStarted: async ({ data, log }) => (await deliveries.onWorkerSearchStarted(data, log), 'SUCCESS'),
    WorkerSearchCompleted: async ({ data, log }) => (await deliveries.onWorkerSearchCompleted(data, log), 'SUCCESS'),
    WorkerAcceptedJob: async ({ data, log }) => (await deliveries.onWorkerAcceptedJob(data, log), 'SUCCESS'),
    WorkerDeclinedJob: async ({ data, log }) => (await deliveries.onWorkerDeclinedJob(data, log), 'SUCCESS'),
    DeliveryStarted: async ({ data, log }) => (await deliveries.onDeliveryStarted(data, log), 'SUCCESS'),
    DeliveryAborted: async ({ data, log }) => (await deliveries.onDeliveryAborted(data, log), 'SUCCESS'),
    OrderCancelled: async ({ data, log }) => (await deliveries.onOrderCancelled(data, log), 'SUCCESS'),
  };
}
