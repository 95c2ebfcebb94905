import { InjectedFault, isFailing, type EventHandlers } from '@sweetgiggles/platform';
import type { DeliveryService } from '../delivery-service.ts';

/** The delivery service starts on PaymentAccepted, follows its own steps, and answers OrderCancellationRequested. */
export function sagaEventHandlers(deliveries: DeliveryService): EventHandlers {
  return {
    PaymentAccepted: async ({ data, id, log }) => {
      // A test's switch: fail every delivery of it until its retries run out (see isFailing).
      if (isFailing('delivery:PaymentAccepted')) throw new InjectedFault('delivery:PaymentAccepted');
      await deliveries.onPaymentAccepted(data, id, log);
      return 'SUCCESS';
    },
    WorkerSearchStarted: async ({ data, id, log }) => (await deliveries.onWorkerSearchStarted(data, id, log), 'SUCCESS'),
    WorkerSearchCompleted: async ({ data, id, log }) => (await deliveries.onWorkerSearchCompleted(data, id, log), 'SUCCESS'),
    WorkerAcceptedJob: async ({ data, id, log }) => (await deliveries.onWorkerAcceptedJob(data, id, log), 'SUCCESS'),
    WorkerDeclinedJob: async ({ data, id, log }) => (await deliveries.onWorkerDeclinedJob(data, id, log), 'SUCCESS'),
    DeliveryStarted: async ({ data, id, log }) => (await deliveries.onDeliveryStarted(data, id, log), 'SUCCESS'),
    DeliveryAborted: async ({ data, id, log }) => (await deliveries.onDeliveryAborted(data, id, log), 'SUCCESS'),
    OrderCancellationRequested: async ({ data, id, log }) => (await deliveries.onOrderCancellationRequested(data, id, log), 'SUCCESS'),
  };
}
