import { InFlight, Sidecar, StateStore, createLogger, createMetrics, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { DaprHistoryStore } from './dapr/history-store.ts';
import { OrderApiClient } from './dapr/order-api-client.ts';
import { notificationHandlers } from './handlers/saga-events.ts';
import { createHubMetrics } from './ws/hub-metrics.ts';
import { NotificationHub } from './ws/notification-hub.ts';
import { attachWebSocketEndpoint } from './ws/websocket-endpoint.ts';

const log = createLogger('notifier');
const config = loadConfig();
const sidecar = new Sidecar({ baseUrl: `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, timeoutMs: config.DAPR_TIMEOUT_MS });
const metrics = createMetrics('notifier');
const hubMetrics = createHubMetrics(metrics);
const inFlight = new InFlight();
const history = new DaprHistoryStore(new StateStore(sidecar, config.STATE_STORE), { limit: config.HISTORY_LIMIT });
const hub = new NotificationHub({
  history,
  log,
  metrics: hubMetrics,
  maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
  pingIntervalMs: config.WS_PING_INTERVAL_MS,
});

const app = createApp({
  orders: new OrderApiClient(sidecar, config.ORDER_APP_ID),
  sidecar,
  log,
  metrics,
  inFlight,
  pubsubName: config.PUBSUB_NAME,
  broadcastPubsubName: config.BROADCAST_PUBSUB_NAME,
  handlers: notificationHandlers({ history, hub, clock: () => new Date(), broadcastMaxAgeMs: config.BROADCAST_MAX_AGE_MS }),
  staticDir: config.STATIC_DIR,
});
if (!config.STATIC_DIR) log.warn('no built storefront to serve: run `npm run build -w @sweetgiggles/frontend` or set STATIC_DIR');

const server = await serve({ app, port: config.PORT, log, inFlight, drainMs: config.DRAIN_MS, onShutdown: () => hub.close() });
attachWebSocketEndpoint(server, {
  hub,
  log,
  metrics: hubMetrics,
  allowedOrigins: config.WS_ALLOWED_ORIGINS,
  maxConnections: config.WS_MAX_CONNECTIONS,
  maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
  isDraining: () => inFlight.draining,
});
