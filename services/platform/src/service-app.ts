import express, { type Express, type Router } from 'express';
import { events } from '@sweetgiggles/contracts';
import { requireAppToken } from './app-token.ts';
import { errorMiddleware, httpMetricsMiddleware, jsonBody, notFound, operationalRoutes } from './http.ts';
import { republishRouter, type RepublishKept } from './republish.ts';
import { traceContextMiddleware } from './telemetry.ts';
import { subscriptionRouter, type DeadLetter, type EventHandlers, type Outcome, type SubscriptionSet } from './dapr/subscriptions.ts';
import type { Sidecar } from './dapr/sidecar.ts';
import type { InFlight } from './in-flight.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface ServiceAppOptions {
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  pubsubName: string;
  /** The token the sidecar sends on every call; every route but the health checks and metrics requires it. */
  appApiToken: string;
  /** The saga events this service acts on. */
  handlers: EventHandlers;
  /** Routers mounted before the JSON body parser (they read bodies their own way). */
  rawRoutes?: Router[];
  /** The service's own HTTP API. */
  routes?: Router[];
  /** Whether this service reads the dead-letter topic back, logging and counting each message. */
  watchDeadLetters?: boolean;
  /** What else becomes of each dead letter (the order service parks it); its outcome is the answer to the sidecar. */
  onDeadLetter?: (message: DeadLetter) => Promise<Outcome>;
  /** How this service publishes again an event it kept (the replay of a dead letter): serves `POST /operator/republish`. */
  republish?: RepublishKept;
  /** Further subscriptions, on other pub/sub components (the notifier's per-replica broadcast). */
  moreSubscriptions?: SubscriptionSet[];
}

/**
 * The Express app every service serves to its sidecar, in the same order everywhere: operational
 * routes (`/healthz`, `/readyz`, `/metrics`, not traced, no token: daprd's health probe sends none),
 * the caller's trace context and a duration metric per request, the app API token check, JSON bodies, the Dapr
 * subscriptions, the republish route of a publishing service, the service's own routes, then a JSON
 * 404 and the one error middleware.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { sidecar, log, metrics, inFlight, pubsubName, handlers } = options;
  const app = express();
  app.disable('x-powered-by');
  app.use(operationalRoutes(sidecar, metrics));
  app.use(traceContextMiddleware(), httpMetricsMiddleware(metrics));
  app.use(requireAppToken(options.appApiToken));
  for (const router of options.rawRoutes ?? []) app.use(router);
  app.use(jsonBody());
  const onDeadLetter = options.watchDeadLetters
    ? async (message: DeadLetter): Promise<Outcome> => {
        const { id, type, topic, source } = message;
        log.warn({ deadLetter: { id, type, topic, source } }, 'a message reached the dead-letter topic');
        metrics.deadLetters.inc({ type: isEventName(type) ? type : 'invalid' });
        return options.onDeadLetter ? options.onDeadLetter(message) : 'SUCCESS';
      }
    : undefined;
  const subscriptions = [{ pubsubName, handlers, onDeadLetter }, ...(options.moreSubscriptions ?? [])];
  app.use(subscriptionRouter({ subscriptions, log, inFlight, metrics }));
  if (options.republish) app.use(republishRouter(options.republish));
  for (const router of options.routes ?? []) app.use(router);
  return app;
}

/** Adds the JSON 404 and the error middleware: call last, after any further routes. */
export function finishServiceApp(app: Express, log: Logger): Express {
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}

/** Whether `type` names an event of the contract (a metric label must come from a fixed set). */
function isEventName(type: unknown): type is string {
  return typeof type === 'string' && Object.hasOwn(events, type);
}
