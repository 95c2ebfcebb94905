import type { EventHandlers } from '@sweetgiggles/platform';
import type { PaymentService } from '../payment-service.ts';

/** The payment service charges on OrderCreated and refunds on OrderCancelled. */
export function sagaEventHandlers(payments: PaymentService): EventHandlers {
  return {
    OrderCreated: async ({ data, id, log }) => (await payments.onOrderCreated(data, id, log), 'SUCCESS'),
    OrderCancelled: async ({ data, id, log }) => (await payments.onOrderCancelled(data, id, log), 'SUCCESS'),
  };
}
