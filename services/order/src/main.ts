import { Publisher, Repository, StateStore, StepRunner, createRuntime, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import type { Order } from './domain/order.ts';
import { createOrderMetrics } from './metrics.ts';
import { OrderService } from './order-service.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('order', config);
const publisher = new Publisher(sidecar, config.PUBSUB_NAME);
const orders = new OrderService({
  orders: new Repository<Order>(new StateStore(sidecar, config.STATE_STORE), 'order'),
  steps: new StepRunner(publisher),
  publisher,
  clock: () => new Date(),
  metrics: createOrderMetrics(metrics),
});
const app = createApp({ orders, sidecar, log, metrics, inFlight, pubsubName: config.PUBSUB_NAME, appApiToken: config.APP_API_TOKEN });
await serve({ app, port: config.PORT, host: config.HOST, log, inFlight, drainMs: config.DRAIN_MS, onShutdown: stopTelemetry });
