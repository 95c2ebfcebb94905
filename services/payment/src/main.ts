import { InFlight, Sidecar, StateStore, createLogger, createMetrics, randomFrom, serve } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { PaymentService } from './payment-service.ts';

const log = createLogger('payment');
const config = loadConfig();
const sidecar = new Sidecar({ baseUrl: `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, timeoutMs: config.DAPR_TIMEOUT_MS });
const metrics = createMetrics('payment');
const inFlight = new InFlight();
const payments = new PaymentService({
  store: new StateStore(sidecar, config.STATE_STORE),
  rules: { limitCents: config.PAYMENT_LIMIT_CENTS, declineProbability: config.PAYMENT_DECLINE_PROBABILITY },
  random: randomFrom(config.RANDOM_SEED),
  clock: () => new Date(),
  decisionDelayMs: config.PAYMENT_DELAY_MS,
});
const app = createApp({ payments, sidecar, log, metrics, inFlight, pubsubName: config.PUBSUB_NAME });
await serve({ app, port: config.PORT, log, inFlight, drainMs: config.DRAIN_MS });
