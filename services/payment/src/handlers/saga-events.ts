import { InjectedFault, isFailing, type EventHandlers } from '@sweetgiggles/platform';
import type { PaymentService } from '../payment-service.ts';

/** The payment service charges on OrderCreated and refunds on OrderCancelled. */
export function sagaEventHandlers(payments: PaymentService): EventHandlers {
  return {
    OrderCreated: async ({ data, id, log }) => {
      // A test's switch: fail every delivery of it until its retries run out (see isFailing).
      if (isFailing('payment:OrderCreated')) throw new InjectedFault('payment:OrderCreated');
      await payments.onOrderCreated(data, id, log);
      return 'SUCCESS';
    },
    OrderCancelled: async ({ data, id, log }) => (await payments.onOrderCancelled(data, id, log), 'SUCCESS'),
  };
}
