import express, { Router, type Express } from 'express';
import {
  createServiceApp,
  finishServiceApp,
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
 *
 * Every saga event is subscribed twice: on `pubsubName`, the durable subscription all replicas share
 * (nothing is lost while notifiers are down), and on `broadcastPubsubName`, which each replica
 * consumes on its own, so each learns of every event and can push it to its own sockets. Broadcast
 * subscriptions have no dead-letter topic: a poison event is dead-lettered once, by the durable one.
 */
export function createApp(deps: AppDeps): Express {
  const { orders, handlers, staticDir, broadcastPubsubName, ...runtime } = deps;
  const app = createServiceApp({
    ...runtime,
    handlers: handlers.durable,
    moreSubscriptions: [
      { pubsubName: broadcastPubsubName, handlers: handlers.broadcast, routePrefix: '/broadcast', deadLetterTopic: null },
    ],
    rawRoutes: [shopApi(orders, runtime.log)],
    routes: staticDir ? [storefront(staticDir)] : [],
  });
  return finishServiceApp(app, runtime.log);
}

/** The built storefront. Vite fingerprints scripts and styles; the page that names them must never be stale. */
function storefront(staticDir: string): Router {
  return Router().use(
    express.static(staticDir, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
}
