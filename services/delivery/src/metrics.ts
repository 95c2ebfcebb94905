import { Counter } from 'prom-client';
import type { EventName } from '@sweetgiggles/contracts';
import type { Metrics } from '@sweetgiggles/platform';

/** The delivery service's business metrics. */
export interface DeliveryMetrics {
  /** Worker searches by how the worker found answered the offer: accepted or declined. */
  workerSearches: Counter<'outcome'>;
  deliveriesStarted: Counter;
  /** Drives that ended, by outcome: completed (the candy arrived) or aborted (searched for again). */
  deliveriesEnded: Counter<'outcome'>;
  /** Counts what the event a step just published says about the delivery. */
  recordStep(published: EventName): void;
}

export function createDeliveryMetrics({ registry }: Metrics): DeliveryMetrics {
  const workerSearches = new Counter({
    name: 'sweetgiggles_worker_searches_total',
    help: 'Worker searches, by how the worker found answered the offer (accepted, declined).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const deliveriesStarted = new Counter({
    name: 'sweetgiggles_deliveries_started_total',
    help: 'Drives started: a driver picked the candy up.',
    registers: [registry],
  });
  const deliveriesEnded = new Counter({
    name: 'sweetgiggles_deliveries_ended_total',
    help: 'Drives that ended, by outcome (completed, aborted).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // Every series exists from the start, so rate() and increase() count the first step too.
  for (const outcome of ['accepted', 'declined']) workerSearches.inc({ outcome }, 0);
  for (const outcome of ['completed', 'aborted']) deliveriesEnded.inc({ outcome }, 0);
  const counts: Partial<Record<EventName, () => void>> = {
    WorkerAcceptedJob: () => workerSearches.inc({ outcome: 'accepted' }),
    WorkerDeclinedJob: () => workerSearches.inc({ outcome: 'declined' }),
    DeliveryStarted: () => deliveriesStarted.inc(),
    DeliveryCompleted: () => deliveriesEnded.inc({ outcome: 'completed' }),
    DeliveryAborted: () => deliveriesEnded.inc({ outcome: 'aborted' }),
  };
  return {
    workerSearches,
    deliveriesStarted,
    deliveriesEnded,
    recordStep(published) {
      counts[published]?.();
    },
  };
}
