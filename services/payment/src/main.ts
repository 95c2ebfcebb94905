import { Publisher, StateStore, StepRunner, createRuntime, randomFrom, republishKept, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createPaymentMetrics } from './metrics.ts';
import { paymentRepository } from './payment-repository.ts';
import { PaymentService } from './payment-service.ts';

const config = loadConfig();
const { log, sidecar, metrics, inFlight, stopTelemetry } = createRuntime('payment', config);
const repository = paymentRepository(new StateStore(sidecar, config.STATE_STORE));
const steps = new StepRunner(new Publisher(sidecar, config.PUBSUB_NAME, config.PUBLISH_LANES));
const payments = new PaymentService({
  payments: repository,
  steps,
  rules: { limitCents: config.PAYMENT_LIMIT_CENTS, declineProbability: config.PAYMENT_DECLINE_PROBABILITY },
  random: randomFrom(config.RANDOM_SEED),
  clock: () => new Date(),
  decisionDelayMs: config.PAYMENT_DELAY_MS,
  metrics: createPaymentMetrics(metrics),
});
const republish = republishKept(repository, steps);
const app = createApp({
  payments,
  republish,
  sidecar,
  log,
  metrics,
  inFlight,
  pubsubName: config.PUBSUB_NAME,
  appApiToken: config.APP_API_TOKEN,
});
await serve({ app, port: config.PORT, host: config.HOST, log, inFlight, drainMs: config.DRAIN_MS, onShutdown: stopTelemetry });
