import { Router, type Request } from 'express';
import { events, safeParseEvent, topics, type EventData, type EventName, type Topic } from '@sweetgiggles/contracts';
import type { Logger } from '../logger.ts';
import type { InFlight } from '../in-flight.ts';
import type { Metrics } from '../metrics.ts';
import { SpanKind, inSpan } from '../telemetry.ts';

/** What a subscriber tells its sidecar about one message. */
export type Outcome = 'SUCCESS' | 'RETRY' | 'DROP';

/** A validated saga event as a handler receives it. */
export interface Delivery<Name extends EventName> {
  /** The CloudEvent id: the same on every redelivery of this message. */
  id: string;
  name: Name;
  data: EventData<Name>;
  /** A child logger carrying the order id, event name and trace id. */
  log: Logger;
}

export type EventHandler<Name extends EventName> = (delivery: Delivery<Name>) => Promise<Outcome>;
export type EventHandlers = { [Name in EventName]?: EventHandler<Name> };

export interface SubscriptionOptions {
  pubsubName: string;
  handlers: EventHandlers;
  log: Logger;
  inFlight: InFlight;
  metrics: Metrics;
  /** Where the sidecar sends messages this service drops or gives up on. */
  deadLetterTopic?: string;
  /** When given, this service also consumes the dead-letter topic and hands each message here. */
  onDeadLetter?: (message: { id: string; type: unknown; topic: unknown; source: unknown }) => void;
}

const routeOf = (name: string) => `/events/${name.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}`;
const ignoredRoute = '/events/not-handled';
const deadLetterRoute = '/events/dead-letter';

/**
 * The subscriber side of Dapr pub/sub, served by the service's own Express app: `GET /dapr/subscribe`
 * declares one subscription per topic with a routing rule per handled event type, and each route
 * answers the sidecar with an explicit SUCCESS, RETRY or DROP.
 *
 * Invalid messages (unknown type, data that fails its schema) are dropped, which sends them to the
 * dead-letter topic; a handler that throws asks for a retry, which the Resiliency policy bounds.
 */
export function subscriptionRouter(options: SubscriptionOptions): Router {
  const { pubsubName, handlers, log, inFlight, metrics } = options;
  const deadLetterTopic = options.deadLetterTopic ?? topics.deadLetters;
  const handled = Object.keys(handlers) as EventName[];
  const router = Router();

  router.get('/dapr/subscribe', (_req, res) => {
    const byTopic = new Map<Topic, EventName[]>();
    for (const name of handled) byTopic.set(events[name].topic, [...(byTopic.get(events[name].topic) ?? []), name]);
    res.json([
      ...[...byTopic].map(([topic, names]) => ({
        pubsubname: pubsubName,
        topic,
        routes: {
          rules: names.map((name) => ({ match: `event.type == "${name}"`, path: routeOf(name) })),
          default: ignoredRoute,
        },
        deadLetterTopic,
      })),
      ...(options.onDeadLetter ? [{ pubsubname: pubsubName, topic: deadLetterTopic, routes: { default: deadLetterRoute } }] : []),
    ]);
  });

  if (options.onDeadLetter) {
    const onDeadLetter = options.onDeadLetter;
    router.post(deadLetterRoute, (req, res) => {
      const body = (req.body ?? {}) as { type?: unknown; topic?: unknown; source?: unknown };
      onDeadLetter({ id: cloudEventId(req), type: body.type, topic: body.topic, source: body.source });
      res.json({ status: 'SUCCESS' satisfies Outcome });
    });
  }

  for (const name of handled) {
    router.post(routeOf(name), async (req, res) => {
      res.json({ status: await deliver(name, req) });
    });
  }

  // Events of a topic this service subscribes to but does not act on. Unknown types are poison.
  router.post(ignoredRoute, (req, res) => {
    const type: unknown = (req.body as { type?: unknown } | undefined)?.type;
    const known = safeParseEvent(type, (req.body as { data?: unknown }).data).ok;
    if (!known) log.warn({ type, cloudEventId: cloudEventId(req) }, 'dropping an invalid event');
    const status: Outcome = known ? 'SUCCESS' : 'DROP';
    const topic = typeof (req.body as { topic?: unknown }).topic === 'string' ? String((req.body as { topic: string }).topic) : 'unknown';
    metrics.eventsConsumed.inc({ topic, event: typeof type === 'string' && known ? type : 'invalid', outcome: known ? 'ignored' : 'dropped' });
    res.json({ status });
  });

  async function deliver(name: EventName, req: Request): Promise<Outcome> {
    const body = (req.body ?? {}) as { type?: unknown; data?: unknown };
    const parsed = safeParseEvent(body.type ?? name, body.data);
    const id = cloudEventId(req);
    if (!parsed.ok || parsed.event.name !== name) {
      log.warn({ event: name, cloudEventId: id, problem: parsed.ok ? 'type mismatch' : parsed.problem }, 'dropping an invalid event');
      metrics.eventsConsumed.inc({ topic: events[name].topic, event: name, outcome: 'dropped' });
      return 'DROP';
    }
    if (inFlight.draining) return 'RETRY';
    const { orderId } = parsed.event.data;
    const topic = events[name].topic;
    const child = log.child({ event: name, orderId, cloudEventId: id });
    const handler = handlers[name] as EventHandler<EventName>;
    // The request's server span continues the publisher's trace (daprd passes `traceparent`); this
    // span names the event so a trace reads as the saga.
    const attributes = { 'messaging.system': 'dapr', 'messaging.destination.name': topic, 'messaging.message.id': id, 'sweetgiggles.order_id': orderId };
    const outcome = await inFlight.track(() =>
      inSpan(`consume ${name}`, SpanKind.CONSUMER, attributes, async (span) => {
        let result: Outcome;
        try {
          result = await handler({ id, name, data: parsed.event.data, log: child });
        } catch (error) {
          child.warn({ err: error }, 'event handling failed, asking for a retry');
          result = 'RETRY';
        }
        span.setAttribute('sweetgiggles.outcome', result);
        return result;
      }),
    );
    metrics.eventsConsumed.inc({ topic, event: name, outcome: outcome.toLowerCase() });
    return outcome;
  }

  return router;
}

function cloudEventId(req: Request): string {
  const id = (req.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : 'unknown';
}
