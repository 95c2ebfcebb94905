import { StateStore, createRuntime, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { CausalOrder, historyLookup } from './causal-order.ts';
import { loadConfig } from './config.ts';
import { DaprHistoryStore } from './dapr/history-store.ts';
import { OrderApiClient } from './dapr/order-api-client.ts';
import { notificationHandlers } from './handlers/saga-events.ts';
import { createHubMetrics } from './ws/hub-metrics.ts';
import { NotificationHub } from './ws/notification-hub.ts';
import { attachWebSocketEndpoint } from './ws/websocket-endpoint.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('notifier', config);
const hubMetrics = createHubMetrics(metrics);
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
  handlers: notificationHandlers({
    history,
    causalOrder: new CausalOrder({ lookup: historyLookup((customerId) => history.read(customerId)), pollMs: 100, maxWaitMs: 5_000 }),
    hub,
    clock: () => new Date(),
    broadcastMaxAgeMs: config.BROADCAST_MAX_AGE_MS,
  }),
  staticDir: config.STATIC_DIR,
});
if (!config.STATIC_DIR) log.warn('no built storefront to serve: run `npm run build -w @sweetgiggles/frontend` or set STATIC_DIR');

const server = await serve({
  app,
  port: config.PORT,
  log,
  inFlight,
  drainMs: config.DRAIN_MS,
  onShutdown: async () => {
    await hub.close();
    await stopTelemetry();
  },
});
attachWebSocketEndpoint(server, {
  hub,
  log,
  metrics: hubMetrics,
  allowedOrigins: config.WS_ALLOWED_ORIGINS,
  maxConnections: config.WS_MAX_CONNECTIONS,
  maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
  isDraining: () => inFlight.draining,
});
