import express, { type Express } from 'express';
import {
  errorMiddleware,
  jsonBody,
  notFound,
  operationalRoutes,
  subscriptionRouter,
  type EventHandlers,
  type InFlight,
  type Logger,
  type Metrics,
  type Sidecar,
} from '@sweetgiggles/platform';
import { shopApi } from './handlers/shop-api.ts';
import type { OrderApiClient } from './dapr/order-api-client.ts';

export interface AppDeps {
  orders: OrderApiClient;
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  pubsubName: string;
  handlers: EventHandlers;
  staticDir?: string;
}

/** The notifier's HTTP app: the storefront, the shop API (forwarded to order) and the saga subscriptions. */
export function createApp(deps: AppDeps): Express {
  const { orders, sidecar, log, metrics, inFlight, pubsubName, handlers, staticDir } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(operationalRoutes(sidecar, metrics));
  app.use(shopApi(orders));
  app.use(jsonBody());
  app.use(subscriptionRouter({ pubsubName, handlers, log, inFlight, metrics }));
  if (staticDir) app.use(express.static(staticDir, { index: 'index.html', maxAge: '1h' }));
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}
