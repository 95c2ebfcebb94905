import { InFlight, Sidecar, StateStore, createLogger, createMetrics, randomFrom, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { DeliveryService } from './delivery-service.ts';

const log = createLogger('delivery');
const config = loadConfig();
const sidecar = new Sidecar({ baseUrl: `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, timeoutMs: config.DAPR_TIMEOUT_MS });
const metrics = createMetrics('delivery');
const inFlight = new InFlight();
const deliveries = new DeliveryService({
  store: new StateStore(sidecar, config.STATE_STORE),
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
});
const app = createApp({ deliveries, sidecar, log, metrics, inFlight, pubsubName: config.PUBSUB_NAME });
await serve({ app, port: config.PORT, log, inFlight, drainMs: config.DRAIN_MS });
