import type { EventHandlers } from '@sweetgiggles/platform';
import type { DeliveryService } from '../delivery-service.ts';

/** The delivery service starts on PaymentAccepted, follows its own steps, and stops on OrderCancelled. */
export function sagaEventHandlers(deliveries: DeliveryService): EventHandlers {
  return {
    PaymentAccepted: async ({ data, log, traceparent }) => (await deliveries.onPaymentAccepted(data, log, traceparent), 'SUCCESS'),
    WorkerSearchStarted: async ({ data, log, traceparent }) => (await deliveries.onWorkerSearchStarted(data, log, traceparent), 'SUCCESS'),
    WorkerSearchCompleted: async ({ data, log, traceparent }) => (await deliveries.onWorkerSearchCompleted(data, log, traceparent), 'SUCCESS'),
    WorkerAcceptedJob: async ({ data, log, traceparent }) => (await deliveries.onWorkerAcceptedJob(data, log, traceparent), 'SUCCESS'),
    WorkerDeclinedJob: async ({ data, log, traceparent }) => (await deliveries.onWorkerDeclinedJob(data, log, traceparent), 'SUCCESS'),
    DeliveryStarted: async ({ data, log, traceparent }) => (await deliveries.onDeliveryStarted(data, log, traceparent), 'SUCCESS'),
    DeliveryAborted: async ({ data, log, traceparent }) => (await deliveries.onDeliveryAborted(data, log, traceparent), 'SUCCESS'),
    OrderCancelled: async ({ data, log }) => (await deliveries.onOrderCancelled(data, log), 'SUCCESS'),
  };
}
