import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every service exposes on `GET /metrics`; services add their own to `registry`. */
export interface Metrics {
  registry: Registry;
  /** Events received from the sidecar, by topic, event name and what became of them. */
  eventsConsumed: Counter<'topic' | 'event' | 'outcome'>;
  /** HTTP requests served, by method, route and status. */
  httpRequests: Histogram<'method' | 'route' | 'status'>;
  /** Messages read back from the dead-letter topic (only the service that watches it counts them). */
  deadLetters: Counter<'type'>;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const eventsConsumed = new Counter({
    name: 'sweetgiggles_events_consumed_total',
    help: 'Events delivered by the sidecar, by topic, event name and outcome: success, retry, drop (the handler asked), dropped (invalid), ignored (not for this service).',
    labelNames: ['topic', 'event', 'outcome'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'sweetgiggles_dead_letters_total',
    help: 'Messages that reached the dead-letter topic, by CloudEvent type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const httpRequests = new Histogram({
    name: 'sweetgiggles_http_request_duration_seconds',
    help: 'HTTP requests served by the app (including event deliveries from the sidecar), by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, eventsConsumed, deadLetters, httpRequests };
}

/**
 * Exposes how many event deliveries the process holds now, accepted and not yet answered
 * (`sweetgiggles_deliveries_in_flight`): what a graceful shutdown waits for, read at each scrape.
 */
export function gaugeDeliveriesInFlight(metrics: Metrics, inFlight: { readonly count: number }): void {
  new Gauge({
    name: 'sweetgiggles_deliveries_in_flight',
    help: 'Event deliveries accepted from the sidecar and not answered yet: what a graceful shutdown waits for.',
    registers: [metrics.registry],
    collect() {
      this.set(inFlight.count);
    },
  });
}
