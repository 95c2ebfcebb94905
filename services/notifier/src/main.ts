import { InFlight, Sidecar, createLogger, createMetrics, serve, type EventHandlers } from '@sweetgiggles/platform';
import { eventNames } from '@sweetgiggles/contracts';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { OrderApiClient } from './dapr/order-api-client.ts';

const log = createLogger('notifier');
const config = loadConfig();
const sidecar = new Sidecar({ baseUrl: `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`, timeoutMs: config.DAPR_TIMEOUT_MS });
const metrics = createMetrics('notifier');
const inFlight = new InFlight();

// Every saga event, for now logged; the WebSocket fan-out builds on these handlers.
const handlers: EventHandlers = Object.fromEntries(
  eventNames.map((name) => [
    name,
    async ({ log: eventLog }: { log: typeof log }) => {
      eventLog.info('event received');
      return 'SUCCESS' as const;
    },
  ]),
);

const app = createApp({
  orders: new OrderApiClient(sidecar, config.ORDER_APP_ID),
  sidecar,
  log,
  metrics,
  inFlight,
  pubsubName: config.PUBSUB_NAME,
  handlers,
  staticDir: config.STATIC_DIR,
});
await serve({ app, port: config.PORT, log, inFlight, drainMs: config.DRAIN_MS });
