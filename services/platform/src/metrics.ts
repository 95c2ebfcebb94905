import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every service exposes on `GET /metrics`; services add their own to `registry`. */
export interface Metrics {
  registry: Registry;
  /** Events received from the sidecar, by event name and what became of them. */
  eventsConsumed: Counter<'event' | 'outcome'>;
  /** Messages read back from the dead-letter topic (only the service that watches it counts them). */
  deadLetters: Counter<'type'>;
}

export function createMetrics(service: string): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const eventsConsumed = new Counter({
    name: 'sweetgiggles_events_consumed_total',
    help: 'Events delivered by the sidecar, by event name and outcome (success, retry, drop, ignored, dropped).',
    labelNames: ['event', 'outcome'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'sweetgiggles_dead_letters_total',
    help: 'Messages that reached the dead-letter topic, by CloudEvent type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  return { registry, eventsConsumed, deadLetters };
}
