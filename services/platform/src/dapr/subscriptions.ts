import { Router, type Request } from 'express';
import { events, safeParseEvent, topics, type EventData, type EventName, type Topic } from '@sweetgiggles/contracts';
import type { Logger } from '../logger.ts';
import type { InFlight } from '../in-flight.ts';
import type { Metrics } from '../metrics.ts';
import { SpanKind, inSpan } from '../telemetry.ts';

/** What a subscriber tells its sidecar about one message. */
export type Outcome = 'SUCCESS' | 'RETRY' | 'DROP';

/**
 * A validated saga event as a handler receives it from the broker (through the sidecar). Not to be
 * confused with the delivery service: this is any message the broker hands to a subscriber.
 */
export interface ReceivedEvent<Name extends EventName> {
  /** The CloudEvent id: the same on every redelivery of this message. */
  id: string;
  name: Name;
  data: EventData<Name>;
  /** A child logger carrying the order id, event name and CloudEvent id (and trace id, in spans). */
  log: Logger;
}

export type EventHandler<Name extends EventName> = (event: ReceivedEvent<Name>) => Promise<Outcome>;
export type EventHandlers = { [Name in EventName]?: EventHandler<Name> };

/**
 * A message read back from the dead-letter topic: the original CloudEvent, unchanged. Dapr 1.18
 * forwards the message's bytes and metadata as they came off the original topic
 * (`sendToDeadLetter` in `pkg/runtime/subscription/subscription.go`) and adds nothing: not the
 * subscriber that gave up, nor why. `topic` is the topic it was first published on, `source` the app
 * that published it.
 */
export interface DeadLetter {
  id: string;
  type: unknown;
  topic: unknown;
  source: unknown;
  data: unknown;
}

/** The saga events a service takes from one pub/sub component. */
export interface SubscriptionSet {
  pubsubName: string;
  handlers: EventHandlers;
  /** Prefix of this set's routes, to tell two sets of the same events apart (e.g. `/broadcast`). */
  routePrefix?: string;
  /** Where the sidecar sends messages this set drops or gives up on; `null` for none. */
  deadLetterTopic?: string | null;
  /** When given, the dead-letter topic is consumed too, and each message handed here; its outcome is the answer. */
  onDeadLetter?: (message: DeadLetter) => Outcome | Promise<Outcome>;
}

export interface SubscriptionOptions {
  subscriptions: SubscriptionSet[];
  log: Logger;
  inFlight: InFlight;
  metrics: Metrics;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase());
const routes = (prefix = '') => ({
  of: (name: EventName) => `${prefix}/events/${kebab(name)}`,
  ignored: `${prefix}/events/not-handled`,
  deadLetter: `${prefix}/events/dead-letter`,
});

/** The subscriptions `GET /dapr/subscribe` declares for one set: per topic, a routing rule per handled event type. */
export function subscriptionDeclarations(set: SubscriptionSet): object[] {
  const route = routes(set.routePrefix);
  const deadLetterTopic = set.deadLetterTopic === undefined ? topics.deadLetters : set.deadLetterTopic;
  const byTopic = new Map<Topic, EventName[]>();
  for (const name of Object.keys(set.handlers) as EventName[]) {
    byTopic.set(events[name].topic, [...(byTopic.get(events[name].topic) ?? []), name]);
  }
  return [
    ...[...byTopic].map(([topic, names]) => ({
      pubsubname: set.pubsubName,
      topic,
      routes: { rules: names.map((name) => ({ match: `event.type == "${name}"`, path: route.of(name) })), default: route.ignored },
      ...(deadLetterTopic ? { deadLetterTopic } : {}),
    })),
    ...(set.onDeadLetter && deadLetterTopic
      ? [{ pubsubname: set.pubsubName, topic: deadLetterTopic, routes: { default: route.deadLetter } }]
      : []),
  ];
}

/**
 * The subscriber side of Dapr pub/sub, served by the service's own Express app: `GET /dapr/subscribe`
 * declares every set's subscriptions, and each route answers the sidecar with an explicit SUCCESS,
 * RETRY or DROP.
 *
 * Invalid messages (unknown type, data that fails its schema) are dropped, which sends them to the
 * dead-letter topic; a handler that throws asks for a retry, which the Resiliency policy bounds.
 */
export function subscriptionRouter(options: SubscriptionOptions): Router {
  const router = Router();
  router.get('/dapr/subscribe', (_req, res) => {
    res.json(options.subscriptions.flatMap(subscriptionDeclarations));
  });
  for (const set of options.subscriptions) mountSet(router, set, options);
  return router;
}

function mountSet(router: Router, set: SubscriptionSet, { log, inFlight, metrics }: SubscriptionOptions): void {
  const route = routes(set.routePrefix);

  for (const name of Object.keys(set.handlers) as EventName[]) {
    router.post(route.of(name), async (req, res) => {
      res.json({ status: await deliver(name, req) });
    });
  }

  // Events of a topic this set subscribes to but does not act on. Unknown types are poison.
  router.post(route.ignored, (req, res) => {
    const body = (req.body ?? {}) as { type?: unknown; data?: unknown; topic?: unknown };
    const known = safeParseEvent(body.type, body.data).ok;
    if (!known) log.warn({ type: body.type, cloudEventId: cloudEventId(req) }, 'dropping an invalid event');
    // Labels come from fixed sets: a label taken from the request would grow the metrics for good.
    metrics.eventsConsumed.inc({
      topic: knownTopic(body.topic),
      event: known ? String(body.type) : 'invalid',
      outcome: known ? 'ignored' : 'dropped',
    });
    res.json({ status: (known ? 'SUCCESS' : 'DROP') satisfies Outcome });
  });

  if (set.onDeadLetter) {
    const onDeadLetter = set.onDeadLetter;
    router.post(route.deadLetter, async (req, res) => {
      // Stopping: the sidecar delivers it again, here or to another replica.
      if (inFlight.draining) {
        res.json({ status: 'RETRY' satisfies Outcome });
        return;
      }
      const body = (req.body ?? {}) as { type?: unknown; topic?: unknown; source?: unknown; data?: unknown };
      const letter = { id: cloudEventId(req), type: body.type, topic: body.topic, source: body.source, data: body.data };
      let outcome: Outcome;
      try {
        outcome = await inFlight.track(async () => onDeadLetter(letter));
      } catch (error) {
        log.warn({ err: error, cloudEventId: letter.id }, 'handling a dead letter failed, asking for a retry');
        outcome = 'RETRY';
      }
      res.json({ status: outcome });
    });
  }

  async function deliver(name: EventName, req: Request): Promise<Outcome> {
    const body = (req.body ?? {}) as { type?: unknown; data?: unknown };
    const parsed = safeParseEvent(body.type ?? name, body.data);
    const id = cloudEventId(req);
    const topic = events[name].topic;
    if (!parsed.ok || parsed.event.name !== name) {
      log.warn({ event: name, cloudEventId: id, problem: parsed.ok ? 'type mismatch' : parsed.problem }, 'dropping an invalid event');
      metrics.eventsConsumed.inc({ topic, event: name, outcome: 'dropped' });
      return 'DROP';
    }
    if (inFlight.draining) return 'RETRY';
    const { orderId } = parsed.event.data;
    const child = log.child({ event: name, orderId, cloudEventId: id });
    const handler = set.handlers[name] as EventHandler<EventName>;
    // The request's server span continues the publisher's trace (daprd passes `traceparent`); this
    // span names the event so a trace reads as the saga.
    const attributes = {
      'messaging.system': 'dapr',
      'messaging.destination.name': topic,
      'messaging.message.id': id,
      'sweetgiggles.order_id': orderId,
    };
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
}

const topicNames: ReadonlySet<unknown> = new Set(Object.values(topics));

/** The topic as a metric label: one of the contract's topics, or `unknown`. */
function knownTopic(topic: unknown): string {
  return topicNames.has(topic) ? String(topic) : 'unknown';
}

function cloudEventId(req: Request): string {
  const id = (req.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : 'unknown';
}
