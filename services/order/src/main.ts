import { InFlight, Sidecar, StateStore, createLogger, createMetrics, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { OrderStore } from './dapr/order-store.ts';
import { createOrderMetrics } from './metrics.ts';
import { OrderService } from './order-service.ts';

const log = createLogger('order');
const config = loadConfig();
const sidecar = new Sidecar({ baseUrl: `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, timeoutMs: config.DAPR_TIMEOUT_MS });
const metrics = createMetrics('order');
const inFlight = new InFlight();
const orders = new OrderService({
  store: new OrderStore(new StateStore(sidecar, config.STATE_STORE)),
  clock: () => new Date(),
  metrics: createOrderMetrics(metrics),
});
const app = createApp({ orders, sidecar, log, metrics, inFlight, pubsubName: config.PUBSUB_NAME });
await serve({ app, port: config.PORT, log, inFlight, drainMs: config.DRAIN_MS });
