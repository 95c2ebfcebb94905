import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '@sweetgiggles/platform';
import type { Order } from './domain/order.ts';

/** The order service's business metrics. */
export interface OrderMetrics {
  ordersPlaced: Counter;
  ordersEnded: Counter<'status' | 'reason'>;
  sagaDuration: Histogram<'status'>;
  /** Stalled orders driven again, orders given up on after driving them again did not help, and those stalled now. */
  ordersRedriven: Counter;
  ordersGivenUp: Counter;
  ordersStalled: Gauge;
  /** Dead letters waiting in the park for a replay (alert when above zero), and those replayed. */
  deadLettersParked: Gauge;
  deadLettersReplayed: Counter;
  /** Counts an order that just reached its terminal state and observes how long the saga took. */
  recordEnd(order: Order): void;
}

export function createOrderMetrics({ registry }: Metrics): OrderMetrics {
  const ordersPlaced = new Counter({ name: 'sweetgiggles_orders_placed_total', help: 'Orders placed.', registers: [registry] });
  const ordersEnded = new Counter({
    name: 'sweetgiggles_orders_ended_total',
    help: 'Orders that reached a terminal state, by status (completed, cancelled) and reason.',
    labelNames: ['status', 'reason'] as const,
    registers: [registry],
  });
  const sagaDuration = new Histogram({
    name: 'sweetgiggles_saga_duration_seconds',
    help: 'Time from OrderCreated to OrderCompleted or OrderCancelled.',
    labelNames: ['status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
    registers: [registry],
  });
  const ordersRedriven = new Counter({
    name: 'sweetgiggles_orders_redriven_total',
    help: 'Times an unsettled order that had stopped changing was driven again (its own events published again).',
    registers: [registry],
  });
  const ordersGivenUp = new Counter({
    name: 'sweetgiggles_orders_given_up_total',
    help: 'Unsettled orders that driving again did not move, no longer followed: each needs a look.',
    registers: [registry],
  });
  const ordersStalled = new Gauge({
    name: 'sweetgiggles_orders_stalled',
    help: 'Unsettled orders being driven again because they stopped changing.',
    registers: [registry],
  });
  const deadLettersParked = new Gauge({
    name: 'sweetgiggles_dead_letters_parked',
    help: 'Saga events whose retries ran out, parked until an operator replays them: each one holds an order up.',
    registers: [registry],
  });
  const deadLettersReplayed = new Counter({
    name: 'sweetgiggles_dead_letters_replayed_total',
    help: 'Parked dead letters published again by an operator.',
    registers: [registry],
  });
  // Every series exists from the start at zero, so Prometheus's rate() and increase() count the
  // first completion, cancellation and saga too.
  for (const [status, reason] of [
    ['completed', 'delivered'],
    ['cancelled', 'payment_declined'],
    ['cancelled', 'customer_request'],
  ] as const) {
    ordersEnded.inc({ status, reason }, 0);
    sagaDuration.zero({ status });
  }
  return {
    ordersPlaced,
    ordersEnded,
    sagaDuration,
    ordersRedriven,
    ordersGivenUp,
    ordersStalled,
    deadLettersParked,
    deadLettersReplayed,
    recordEnd(order) {
      const reason =
        order.status === 'cancelled'
          ? order.history.some((h) => h.name === 'PaymentDeclined')
            ? 'payment_declined'
            : 'customer_request'
          : 'delivered';
      ordersEnded.inc({ status: order.status, reason });
      sagaDuration.observe({ status: order.status }, (Date.parse(order.updatedAt) - Date.parse(order.createdAt)) / 1000);
    },
  };
}
