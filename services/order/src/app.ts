import express, { type Express } from 'express';
import {
  errorMiddleware,
  jsonBody,
  notFound,
  operationalRoutes,
  subscriptionRouter,
  type InFlight,
  type Logger,
  type Metrics,
  type Sidecar,
} from '@sweetgiggles/platform';
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
}

/** The order service's HTTP app: the shop API, the saga subscriptions and the operational routes. */
export function createApp(deps: AppDeps): Express {
  const { orders, sidecar, log, metrics, inFlight, pubsubName } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(operationalRoutes(sidecar, metrics));
  app.use(jsonBody());
  app.use(subscriptionRouter({ pubsubName, handlers: sagaEventHandlers(orders), log, inFlight, metrics }));
  app.use(ordersApi(orders));
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}
