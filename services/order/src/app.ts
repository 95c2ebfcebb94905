import type { Express } from 'express';
import {
  createServiceApp,
  finishServiceApp,
  type InFlight,
  type Logger,
  type Metrics,
  type RepublishKept,
  type Sidecar,
} from '@sweetgiggles/platform';
import type { DeadLetters } from './dead-letters.ts';
import { operatorApi } from './handlers/operator-api.ts';
import { ordersApi } from './handlers/orders-api.ts';
import { sagaEventHandlers } from './handlers/saga-events.ts';
import type { OrderService } from './order-service.ts';

export interface AppDeps {
  orders: OrderService;
  deadLetters: DeadLetters;
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  pubsubName: string;
  /** The token the sidecar sends on every call (see createServiceApp). */
  appApiToken: string;
  /** Publishes again an event this service kept (the replay of one of its own dead letters). */
  republish?: RepublishKept;
}

/**
 * The order service's HTTP app: the shop API, the saga subscriptions, the operator's dead-letter
 * routes and the operational routes.
 */
export function createApp({ orders, deadLetters, ...deps }: AppDeps): Express {
  // The order service, owner of the saga, also watches the dead-letter topic and parks what arrives there.
  const app = createServiceApp({
    ...deps,
    handlers: sagaEventHandlers(orders),
    routes: [ordersApi(orders), operatorApi(deadLetters)],
    watchDeadLetters: true,
    onDeadLetter: (message) => deadLetters.onDeadLetter(message),
  });
  return finishServiceApp(app, deps.log);
}
