import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '@sweetgiggles/platform';

/** The notifier's business metrics: its live notifications, as the WebSocket side reports them on `/metrics`. */
export interface NotifierMetrics {
  connections: Gauge;
  eventsSent: Counter;
  /** Sockets closed by the notifier, by reason (slow, idle, invalid, unsubscribed, refused). */
  disconnects: Counter<'reason'>;
}

export function createNotifierMetrics({ registry }: Metrics): NotifierMetrics {
  const registers = [registry];
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
