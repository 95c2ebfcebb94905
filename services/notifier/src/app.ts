import express, { type Express } from 'express';
import {
  errorMiddleware,
  jsonBody,
  notFound,
  operationalRoutes,
  type EventHandlers,
  type InFlight,
  type Logger,
  type Metrics,
  type Sidecar,
} from '@sweetgiggles/platform';
import { shopApi } from './handlers/shop-api.ts';
import { sagaSubscriptions } from './handlers/subscriptions.ts';
import type { OrderApiClient } from './dapr/order-api-client.ts';

export interface AppDeps {
  orders: OrderApiClient;
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  /** The durable pub/sub component, whose consumer group all replicas share. */
  pubsubName: string;
  /** The pub/sub component each replica consumes on its own. */
  broadcastPubsubName: string;
  /** What to do with each saga event, on the durable and on the broadcast subscription. */
  handlers: { durable: EventHandlers; broadcast: EventHandlers };
  staticDir?: string | undefined;
}

/**
 * The notifier's HTTP app: the storefront, the shop API (forwarded to order) and the saga
 * subscriptions. The WebSocket endpoint lives on the same server (see ws/websocket-endpoint.ts).
 */
export function createApp(deps: AppDeps): Express {
  const { orders, sidecar, log, metrics, inFlight, pubsubName, broadcastPubsubName, handlers, staticDir } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(operationalRoutes(sidecar, metrics));
  app.use(shopApi(orders));
  app.use(jsonBody());
  app.use(
    sagaSubscriptions({
      pubsubName,
      broadcastPubsubName,
      handlers: handlers.durable,
      broadcastHandlers: handlers.broadcast,
      log,
      inFlight,
      metrics,
    }),
  );
  if (staticDir) app.use(express.static(staticDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}

// Vite fingerprints the scripts and styles it builds; the page that names them must never be stale.
function noCacheForHtml(res: express.Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
}
