import { Publisher, Repository, StateStore, StepRunner, createRuntime, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import type { Order } from './domain/order.ts';
import { createOrderMetrics } from './metrics.ts';
import { OrderService } from './order-service.ts';
import { StalledOrders } from './stalled-orders.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('order', config);
const publisher = new Publisher(sidecar, config.PUBSUB_NAME);
const orders = new OrderService({
  orders: new Repository<Order>(new StateStore(sidecar, config.STATE_STORE), 'order'),
  steps: new StepRunner(publisher),
  publisher,
  clock: () => new Date(),
  metrics: createOrderMetrics(metrics),
  stalls: new StalledOrders({ stallAfterMs: config.STALL_AFTER_MS, maxRedrives: config.MAX_REDRIVES, now: Date.now }),
});
// Looks for stalled orders a few times per stall period, one pass at a time.
let sweeping: Promise<void> | undefined;
const sweeper = setInterval(
  () => {
    sweeping ??= orders.redriveStalled(log).finally(() => (sweeping = undefined));
  },
  Math.max(250, config.STALL_AFTER_MS / 4),
);
const app = createApp({ orders, sidecar, log, metrics, inFlight, pubsubName: config.PUBSUB_NAME, appApiToken: config.APP_API_TOKEN });
await serve({
  app,
  port: config.PORT,
  host: config.HOST,
  log,
  inFlight,
  drainMs: config.DRAIN_MS,
  onShutdown: async () => {
    clearInterval(sweeper);
    await sweeping;
    await stopTelemetry();
  },
});
