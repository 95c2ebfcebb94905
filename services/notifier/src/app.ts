import type { Express } from 'express';
import {
  createServiceApp,
  finishServiceApp,
  type EventHandlers,
  type InFlight,
  type Logger,
  type Metrics,
  type Sidecar,
} from '@sweetgiggles/platform';

export interface AppDeps {
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  /** The token the sidecar sends on every call (see createServiceApp). */
  appApiToken: string;
  /** The durable pub/sub component, whose consumer group all replicas share. */
  pubsubName: string;
  /** The pub/sub component each replica consumes on its own. */
  broadcastPubsubName: string;
  /** What to do with each saga event, on the durable and on the broadcast subscription. */
  handlers: { durable: EventHandlers; broadcast: EventHandlers };
}

/**
 * The notifier's app for its sidecar, on its own port (never the shop's): the saga subscriptions,
 * health and metrics, like every other service. The browser's side is in shop-app.ts.
 *
 * Every saga event is subscribed twice: on `pubsubName`, the durable subscription all replicas share
 * (nothing is lost while notifiers are down), and on `broadcastPubsubName`, which each replica
 * consumes on its own, so each learns of every event and can push it to its own sockets. Broadcast
 * subscriptions have no dead-letter topic: a poison event is dead-lettered once, by the durable one.
 */
export function createApp(deps: AppDeps): Express {
  const { handlers, broadcastPubsubName, ...runtime } = deps;
  const app = createServiceApp({
    ...runtime,
    handlers: handlers.durable,
    moreSubscriptions: [
      { pubsubName: broadcastPubsubName, handlers: handlers.broadcast, routePrefix: '/broadcast', deadLetterTopic: null },
    ],
  });
  return finishServiceApp(app, runtime.log);
}
