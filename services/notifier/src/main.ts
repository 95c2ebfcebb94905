import { StateStore, createRuntime, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { CausalOrder, historyLookup } from './causal-order.ts';
import { loadConfig } from './config.ts';
import { OrderApiClient } from './dapr/order-api-client.ts';
import { notificationHandlers } from './handlers/saga-events.ts';
import { HistoryRepository } from './history-repository.ts';
import { createNotifierMetrics } from './metrics.ts';
import { NotifierService } from './notifier-service.ts';
import { createShopApp } from './shop-app.ts';
import { JaegerTraces } from './tracing/jaeger-traces.ts';
import { NotificationHub } from './ws/notification-hub.ts';
import { attachWebSocketEndpoint } from './ws/websocket-endpoint.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('notifier', config);
const notifierMetrics = createNotifierMetrics(metrics);
const histories = new HistoryRepository(new StateStore(sidecar, config.STATE_STORE), {
  limit: config.HISTORY_LIMIT,
  maxBytes: config.HISTORY_MAX_BYTES,
});
const hub = new NotificationHub({
  history: histories,
  log,
  metrics: notifierMetrics,
  maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
  pingIntervalMs: config.WS_PING_INTERVAL_MS,
  subscribeTimeoutMs: config.WS_SUBSCRIBE_TIMEOUT_MS,
});
const notifier = new NotifierService({
  histories,
  causalOrder: new CausalOrder({ lookup: historyLookup((customerId) => histories.read(customerId)), pollMs: 100, maxWaitMs: 5_000 }),
  hub,
  clock: () => new Date(),
  broadcastMaxAgeMs: config.BROADCAST_MAX_AGE_MS,
});

// Two listeners: the shop for browsers (PUBLIC_HOST:PORT), and the sidecar's way in (HOST:INTERNAL_PORT).
const shop = createShopApp({
  orders: new OrderApiClient(sidecar, config.ORDER_APP_ID),
  sidecar,
  log,
  metrics,
  staticDir: config.STATIC_DIR,
  traces: config.JAEGER_QUERY_URL ? new JaegerTraces({ queryUrl: config.JAEGER_QUERY_URL }) : undefined,
});
const app = createApp({
  sidecar,
  log,
  metrics,
  inFlight,
  appApiToken: config.APP_API_TOKEN,
  pubsubName: config.PUBSUB_NAME,
  broadcastPubsubName: config.BROADCAST_PUBSUB_NAME,
  handlers: notificationHandlers(notifier),
});
if (!config.STATIC_DIR) log.warn('no built storefront to serve: run `npm run build -w @sweetgiggles/frontend` or set STATIC_DIR');

const shopServer = await serve({
  app: shop,
  port: config.PORT,
  host: config.PUBLIC_HOST,
  more: [{ app, port: config.INTERNAL_PORT, host: config.HOST }],
  log,
  inFlight,
  drainMs: config.DRAIN_MS,
  onShutdown: async () => {
    await hub.close();
    await stopTelemetry();
  },
});
attachWebSocketEndpoint(shopServer, {
  hub,
  log,
  metrics: notifierMetrics,
  allowedOrigins: config.WS_ALLOWED_ORIGINS,
  maxConnections: config.WS_MAX_CONNECTIONS,
  maxConnectionsPerAddress: config.WS_MAX_CONNECTIONS_PER_ADDRESS,
  maxHandshakesPerMinute: config.WS_MAX_HANDSHAKES_PER_MINUTE,
  clientAddressHeader: config.WS_CLIENT_ADDRESS_HEADER,
  maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
  isDraining: () => inFlight.draining,
});
