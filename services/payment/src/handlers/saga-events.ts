import type { EventHandlers } from '@sweetgiggles/platform';
import type { PaymentService } from '../payment-service.ts';

/** The payment service charges on OrderCreated and refunds on OrderCancelled. */
export function sagaEventHandlers(payments: PaymentService): EventHandlers {
  return {
    OrderCreated: async ({ data, log }) => {
      await payments.onOrderCreated(data, log);
      return 'SUCCESS';
    },
    OrderCancelled: async ({ data, log }) => {
      await payments.onOrderCancelled(data, log);
      return 'SUCCESS';
    },
  };
}
