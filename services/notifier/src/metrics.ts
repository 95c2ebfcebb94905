import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '@sweetgiggles/platform';

/** What the WebSocket side reports on `/metrics`. */
export interface HubMetrics {
  connections: Gauge;
  eventsSent: Counter;
  /** Sockets closed by the notifier, by reason (slow, idle, invalid, unsubscribed, refused). */
  disconnects: Counter<'reason'>;
}

export function createHubMetrics(metrics: Metrics): HubMetrics {
  const registers = [metrics.registry];
  return {
    connections: new Gauge({ name: 'sweetgiggles_ws_connections', help: 'Open WebSocket connections.', registers }),
    eventsSent: new Counter({ name: 'sweetgiggles_ws_events_sent_total', help: 'Event messages sent to browsers.', registers }),
    disconnects: new Counter({
      name: 'sweetgiggles_ws_disconnects_total',
      help: 'WebSocket connections the notifier closed or refused, by reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}
