import { Publisher, StateStore, StepRunner, createRuntime, randomFrom, republishKept, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { DeliveryService } from './delivery-service.ts';
import { createDeliveryMetrics } from './metrics.ts';
import { shipmentRepository } from './shipment-repository.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('delivery', config);
const repository = shipmentRepository(new StateStore(sidecar, config.STATE_STORE));
const steps = new StepRunner(new Publisher(sidecar, config.PUBSUB_NAME, config.PUBLISH_LANES));
const deliveries = new DeliveryService({
  shipments: repository,
  steps,
  rules: {
    workerDeclineProbability: config.WORKER_DECLINE_PROBABILITY,
    deliveryAbortProbability: config.DELIVERY_ABORT_PROBABILITY,
    etaSeconds: config.DELIVERY_ETA_SECONDS,
  },
  delays: {
    searchMs: config.WORKER_SEARCH_DELAY_MS,
    answerMs: config.WORKER_ANSWER_DELAY_MS,
    pickUpMs: config.PICKUP_DELAY_MS,
    driveMs: config.DRIVE_DELAY_MS,
  },
  random: randomFrom(config.RANDOM_SEED),
  clock: () => new Date(),
  metrics: createDeliveryMetrics(metrics),
});
const republish = republishKept(repository, steps);
const app = createApp({
  deliveries,
  republish,
  sidecar,
  log,
  metrics,
  inFlight,
  pubsubName: config.PUBSUB_NAME,
  appApiToken: config.APP_API_TOKEN,
});
await serve({ app, port: config.PORT, host: config.HOST, log, inFlight, drainMs: config.DRAIN_MS, onShutdown: stopTelemetry });
