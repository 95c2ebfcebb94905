import type { EventHandlers } from '@sweetgiggles/platform';
import type { PaymentService } from '../payment-service.ts';

/** The payment service charges on OrderCreated and refunds on OrderCancelled. */
export function sagaEventHandlers(payments: PaymentService): EventHandlers {
  return {
    OrderCreated: async ({ data, log, traceparent }) => {
      await payments.onOrderCreated(data, log, traceparent);
      return 'SUCCESS';
    },
    OrderCancelled: async ({ data, log, traceparent }) => {
      await payments.onOrderCancelled(data, log, traceparent);
      return 'SUCCESS';
    },
  };
}
