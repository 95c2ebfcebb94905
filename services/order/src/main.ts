import { StateStore, createRuntime, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { OrderStore } from './dapr/order-store.ts';
import { createOrderMetrics } from './metrics.ts';
import { OrderService } from './order-service.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('order', config);
const orders = new OrderService({
  store: new OrderStore(new StateStore(sidecar, config.STATE_STORE)),
  clock: () => new Date(),
  metrics: createOrderMetrics(metrics),
});
const app = createApp({ orders, sidecar, log, metrics, inFlight, pubsubName: config.PUBSUB_NAME, appApiToken: config.APP_API_TOKEN });
await serve({ app, port: config.PORT, host: config.HOST, log, inFlight, drainMs: config.DRAIN_MS, onShutdown: stopTelemetry });
