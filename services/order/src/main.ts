import { Publisher, StateStore, StepRunner, createRuntime, republishKept, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { letterRepublisher } from './dapr/letter-republisher.ts';
import { DeadLetterPark } from './dead-letter-park.ts';
import { DeadLetters } from './dead-letters.ts';
import { createOrderMetrics } from './metrics.ts';
import { orderRepository } from './order-repository.ts';
import { OrderService } from './order-service.ts';
import { StalledOrders } from './stalled-orders.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('order', config);
const publisher = new Publisher(sidecar, config.PUBSUB_NAME, config.PUBLISH_LANES);
const store = new StateStore(sidecar, config.STATE_STORE);
const orderMetrics = createOrderMetrics(metrics);
const repository = orderRepository(store);
const steps = new StepRunner(publisher);
const orders = new OrderService({
  orders: repository,
  steps,
  publisher,
  clock: () => new Date(),
  metrics: orderMetrics,
  stalls: new StalledOrders({ stallAfterMs: config.STALL_AFTER_MS, maxRedrives: config.MAX_REDRIVES, now: Date.now }),
});
const republish = republishKept(repository, steps);
const deadLetters = new DeadLetters({
  park: new DeadLetterPark(store),
  orders,
  republish: letterRepublisher(sidecar, republish),
  metrics: orderMetrics,
  clock: () => new Date(),
  log,
});
// Looks for stalled orders a few times per stall period, one pass at a time, and reads how many dead
// letters are parked (other replicas park and replay too).
let sweeping: Promise<void> | undefined;
const sweep = async () => {
  await orders.redriveStalled(log);
  await deadLetters.refreshGauge().catch((error: unknown) => log.warn({ err: error }, 'could not count the parked dead letters'));
};
const sweeper = setInterval(
  () => {
    sweeping ??= sweep().finally(() => (sweeping = undefined));
  },
  Math.max(250, config.STALL_AFTER_MS / 4),
);
const app = createApp({
  orders,
  deadLetters,
  sidecar,
  log,
  metrics,
  inFlight,
  pubsubName: config.PUBSUB_NAME,
  appApiToken: config.APP_API_TOKEN,
});
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
