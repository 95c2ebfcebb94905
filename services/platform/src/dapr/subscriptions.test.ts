import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonBody } from '../http.ts';
import { InFlight } from '../in-flight.ts';
import { createLogger } from '../logger.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { subscriptionRouter, type DeadLetter, type ReceivedEvent, type Outcome, type SubscriptionSet } from './subscriptions.ts';

const orderId = '0b7e5a51-2c1e-4a55-9b8c-3f0c1a2b3c4d';
const accepted = { orderId, customerId: 'c-1', occurredAt: '2026-11-29T10:00:00.000Z', paymentId: 'p-1', amountCents: 598 };

describe('the subscription routes', () => {
  let server: Server;
  let base: string;
  let metrics: Metrics;
  let inFlight: InFlight;
  let received: ReceivedEvent<'PaymentAccepted'>[];
  let letters: DeadLetter[];
  let answer: () => Promise<Outcome>;
  let answerLetter: () => Promise<Outcome>;

  beforeEach(async () => {
    metrics = createMetrics('test');
    inFlight = new InFlight();
    received = [];
    letters = [];
    answer = async () => 'SUCCESS';
    answerLetter = async () => 'SUCCESS';
    const sets: SubscriptionSet[] = [
      {
        pubsubName: 'pubsub',
        handlers: {
          PaymentAccepted: async (event) => {
            received.push(event);
            return answer();
          },
          DeliveryStarted: async () => 'SUCCESS',
        },
        onDeadLetter: async (letter) => {
          letters.push(letter);
          return answerLetter();
        },
      },
      {
        pubsubName: 'pubsub-broadcast',
        routePrefix: '/broadcast',
        deadLetterTopic: null,
        handlers: { OrderCreated: async () => 'SUCCESS' },
      },
    ];
    const app = express();
    app.use(jsonBody());
    app.use(subscriptionRouter({ subscriptions: sets, log: createLogger('test', 'silent'), inFlight, metrics }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  /** Posts a CloudEvent as the sidecar does, and returns the status the app answered with. */
  const deliver = async (path: string, cloudEvent: Record<string, unknown>): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', source: 'payment', ...cloudEvent }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { status: unknown }).status;
  };

  const consumed = async (labels: Record<'topic' | 'event' | 'outcome', string>): Promise<number> => {
    const { values } = await metrics.eventsConsumed.get();
    const match = values.find((value) => (['topic', 'event', 'outcome'] as const).every((name) => value.labels[name] === labels[name]));
    return match?.value ?? 0;
  };

  it('declares, per topic, a routing rule for each handled event, a default route and the dead-letter topic', async () => {
    const declared = await (await fetch(`${base}/dapr/subscribe`)).json();
    expect(declared).toEqual([
      {
        pubsubname: 'pubsub',
        topic: 'payments',
        routes: { rules: [{ match: 'event.type == "PaymentAccepted"', path: '/events/payment-accepted' }], default: '/events/not-handled' },
        deadLetterTopic: 'dead-letters',
      },
      {
        pubsubname: 'pubsub',
        topic: 'deliveries',
        routes: { rules: [{ match: 'event.type == "DeliveryStarted"', path: '/events/delivery-started' }], default: '/events/not-handled' },
        deadLetterTopic: 'dead-letters',
      },
      { pubsubname: 'pubsub', topic: 'dead-letters', routes: { default: '/events/dead-letter' } },
      {
        pubsubname: 'pubsub-broadcast',
        topic: 'orders',
        routes: {
          rules: [{ match: 'event.type == "OrderCreated"', path: '/broadcast/events/order-created' }],
          default: '/broadcast/events/not-handled',
        },
      },
    ]);
  });

  it('hands a valid event to its handler with its CloudEvent id, and answers what the handler decided', async () => {
    expect(await deliver('/events/payment-accepted', { id: 'e-1', type: 'PaymentAccepted', data: accepted })).toBe('SUCCESS');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ id: 'e-1', name: 'PaymentAccepted', data: accepted });
    expect(await consumed({ topic: 'payments', event: 'PaymentAccepted', outcome: 'success' })).toBe(1);

    answer = async () => 'DROP';
    expect(await deliver('/events/payment-accepted', { id: 'e-2', type: 'PaymentAccepted', data: accepted })).toBe('DROP');
    expect(await consumed({ topic: 'payments', event: 'PaymentAccepted', outcome: 'drop' })).toBe(1);
  });

  it('asks for a retry when the handler throws', async () => {
    answer = async () => {
      throw new Error('the store is away');
    };
    expect(await deliver('/events/payment-accepted', { id: 'e-1', type: 'PaymentAccepted', data: accepted })).toBe('RETRY');
    expect(await consumed({ topic: 'payments', event: 'PaymentAccepted', outcome: 'retry' })).toBe(1);
  });

  it('drops an event whose data fails its schema, or whose type is not the route’s, without calling the handler', async () => {
    const { amountCents: _, ...withoutAmount } = accepted;
    expect(await deliver('/events/payment-accepted', { id: 'e-1', type: 'PaymentAccepted', data: withoutAmount })).toBe('DROP');
    expect(await deliver('/events/payment-accepted', { id: 'e-2', type: 'OrderCreated', data: accepted })).toBe('DROP');
    expect(received).toEqual([]);
    expect(await consumed({ topic: 'payments', event: 'PaymentAccepted', outcome: 'dropped' })).toBe(2);
  });

  it('acknowledges a known event the set does not act on, and drops an unknown one with fixed metric labels', async () => {
    const declined = { orderId, customerId: 'c-1', occurredAt: accepted.occurredAt, amountCents: 598, reason: 'limit' };
    expect(await deliver('/events/not-handled', { id: 'e-1', type: 'PaymentDeclined', topic: 'payments', data: declined })).toBe('SUCCESS');
    expect(await consumed({ topic: 'payments', event: 'PaymentDeclined', outcome: 'ignored' })).toBe(1);
    expect(await deliver('/events/not-handled', { id: 'e-2', type: 'PaymentStolen', topic: 'anything-at-all', data: declined })).toBe(
      'DROP',
    );
    expect(await consumed({ topic: 'unknown', event: 'invalid', outcome: 'dropped' })).toBe(1);
  });

  it('counts a delivery in flight while its handler runs, and asks for a retry once draining', async () => {
    let release!: () => void;
    let seen = 0;
    answer = () => {
      seen = inFlight.count;
      return new Promise<Outcome>((resolve) => (release = () => resolve('SUCCESS')));
    };
    const pending = deliver('/events/payment-accepted', { id: 'e-1', type: 'PaymentAccepted', data: accepted });
    await expect.poll(() => received.length, { timeout: 2_000 }).toBe(1);
    expect(seen).toBe(1);
    const drained = inFlight.drain(2_000);
    expect(await deliver('/events/payment-accepted', { id: 'e-2', type: 'PaymentAccepted', data: accepted })).toBe('RETRY');
    expect(received).toHaveLength(1);
    release();
    expect(await pending).toBe('SUCCESS');
    expect(await drained).toBe(true);
  });

  it('hands a dead letter over as it came, retries one whose handling fails, and refuses them while draining', async () => {
    const letter = { id: 'o-1.PaymentAccepted', type: 'PaymentAccepted', topic: 'payments', source: 'payment', data: accepted };
    expect(await deliver('/events/dead-letter', letter)).toBe('SUCCESS');
    expect(letters).toEqual([letter]);
    answerLetter = async () => {
      throw new Error('the park is full');
    };
    expect(await deliver('/events/dead-letter', letter)).toBe('RETRY');
    await inFlight.drain(100);
    expect(await deliver('/events/dead-letter', letter)).toBe('RETRY');
    expect(letters).toHaveLength(2);
  });
});
