import type { Express } from 'express';
import { createServiceApp, finishServiceApp, type InFlight, type Logger, type Metrics, type Sidecar } from '@sweetgiggles/platform';
import { ordersApi } from './handlers/orders-api.ts';
import { sagaEventHandlers } from './handlers/saga-events.ts';
import type { OrderService } from './order-service.ts';

export interface AppDeps {
  orders: OrderService;
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  pubsubName: string;
  /** The token the sidecar sends on every call (see createServiceApp). */
  appApiToken: string;
}

/** The order service's HTTP app: the shop API, the saga subscriptions and the operational routes. */
export function createApp({ orders, ...deps }: AppDeps): Express {
  // The order service, owner of the saga, also watches the dead-letter topic.
  const app = createServiceApp({ ...deps, handlers: sagaEventHandlers(orders), routes: [ordersApi(orders)], watchDeadLetters: true });
  return finishServiceApp(app, deps.log);
}
