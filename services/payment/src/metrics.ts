import { Counter } from 'prom-client';
import type { Metrics } from '@sweetgiggles/platform';

/** The payment service's business metrics. */
export interface PaymentMetrics {
  /** Payments decided, by outcome: accepted or declined. */
  payments: Counter<'outcome'>;
  refunds: Counter;
}

export function createPaymentMetrics({ registry }: Metrics): PaymentMetrics {
  const payments = new Counter({
    name: 'sweetgiggles_payments_total',
    help: 'Payments decided, by outcome (accepted, declined).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // Both series exist from the start, so rate() and increase() count the first decision too.
  for (const outcome of ['accepted', 'declined']) payments.inc({ outcome }, 0);
  return {
    payments,
    refunds: new Counter({ name: 'sweetgiggles_refunds_total', help: 'Payments refunded after a cancellation.', registers: [registry] }),
  };
}
