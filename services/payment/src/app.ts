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
import { sagaEventHandlers } from './handlers/saga-events.ts';
import type { PaymentService } from './payment-service.ts';

export interface AppDeps {
  payments: PaymentService;
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  inFlight: InFlight;
  pubsubName: string;
  /** The token the sidecar sends on every call (see createServiceApp). */
  appApiToken: string;
  /** Publishes again an event this service kept, when the order service replays a dead letter. */
  republish?: RepublishKept;
}

/** The payment service's HTTP app: its saga subscriptions, the republish route and the operational routes. */
export function createApp({ payments, ...deps }: AppDeps): Express {
  return finishServiceApp(createServiceApp({ ...deps, handlers: sagaEventHandlers(payments) }), deps.log);
}
