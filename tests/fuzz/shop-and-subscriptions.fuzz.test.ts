import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import fc from 'fast-check';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InFlight, Repository, Sidecar, StepRunner, createLogger, createMetrics, republishKept } from '@sweetgiggles/platform';
import { MemoryPublisher, MemoryStore } from '@sweetgiggles/platform/testing';
import { createApp as createOrderApp } from '../../services/order/src/app.ts';
import { letterRepublisher } from '../../services/order/src/dapr/letter-republisher.ts';
import { DeadLetterPark } from '../../services/order/src/dead-letter-park.ts';
import type { Order } from '../../services/order/src/domain/order.ts';
import { DeadLetters } from '../../services/order/src/dead-letters.ts';
import { createOrderMetrics } from '../../services/order/src/metrics.ts';
import { OrderService } from '../../services/order/src/order-service.ts';
import { createApp as createNotifierApp } from '../../services/notifier/src/app.ts';
import { OrderApiClient } from '../../services/notifier/src/dapr/order-api-client.ts';
import { CausalOrder } from '../../services/notifier/src/causal-order.ts';
import { notificationHandlers } from '../../services/notifier/src/handlers/saga-events.ts';
import { createShopApp } from '../../services/notifier/src/shop-app.ts';
import { FakeSidecar } from '../../services/platform/src/testing/fake-sidecar.ts';
import { NotifierService } from '../../services/notifier/src/notifier-service.ts';
import { MemoryHistoryRepository } from '../../services/notifier/src/testing/memory-history-repository.ts';
import { allowedSidecarTarget, rawRequest } from '../../services/notifier/src/testing/raw-http.ts';

/**
 * Random paths, headers and bodies against the shop API (the notifier's shop app in front of the real
 * order app, joined by a stand-in sidecar that invokes it as daprd would) and against the subscription
 * routes of the order and notifier apps: never a 5xx, never an unhandled exception, and never a
 * sidecar URL other than the four of the shop API.
 */
describe('fuzzing the shop API and the subscription routes', () => {
  const appToken = 'fuzz-app-token'.padEnd(48, '#');
  const servers: Server[] = [];
  const sidecar = new FakeSidecar();
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);
  let shopUrl: string;
  let orderUrl: string;
  let notifierUrl: string;

  async function listen(app: Express): Promise<string> {
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUnhandled);
    process.on('unhandledRejection', onUnhandled);
    const log = createLogger('fuzz', 'silent');
    const unreachable = new Sidecar({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 });
    const orderMetrics = createMetrics('fuzz-order');
    const publisher = new MemoryPublisher();
    const store = new MemoryStore();
    const businessMetrics = createOrderMetrics(orderMetrics);
    const repository = new Repository<Order>(store, 'order');
    const steps = new StepRunner(publisher);
    const orders = new OrderService({ orders: repository, steps, publisher, clock: () => new Date(), metrics: businessMetrics });
    const republish = republishKept(repository, steps);
    const park = new DeadLetterPark(store);
    orderUrl = await listen(
      createOrderApp({
        orders,
        deadLetters: new DeadLetters({
          park,
          orders,
          republish: letterRepublisher(unreachable, republish),
          metrics: businessMetrics,
          clock: () => new Date(),
          log,
        }),
        republish,
        sidecar: unreachable,
        log,
        metrics: orderMetrics,
        inFlight: new InFlight(),
        pubsubName: 'pubsub',
        appApiToken: appToken,
      }),
    );
    notifierUrl = await listen(
      createNotifierApp({
        sidecar: unreachable,
        log,
        metrics: createMetrics('fuzz-notifier'),
        inFlight: new InFlight(),
        appApiToken: appToken,
        pubsubName: 'pubsub',
        broadcastPubsubName: 'pubsub-broadcast',
        handlers: notificationHandlers(
          new NotifierService({
            histories: new MemoryHistoryRepository(),
            causalOrder: new CausalOrder({ lookup: async () => false, maxWaitMs: 50 }),
            hub: { publish: () => undefined },
            clock: () => new Date(),
            broadcastMaxAgeMs: 300_000,
          }),
        ),
      }),
    );
    // The notifier's sidecar: service invocation of `order` reaches the order app, with the app token.
    sidecar.answer = async (request) => {
      const prefix = '/v1.0/invoke/order/method';
      if (!allowedSidecarTarget.test(request.url))
        return { status: 500, body: { errorCode: 'ERR_FUZZ', message: `unexpected ${request.url}` } };
      const headers: Record<string, string> = { 'dapr-api-token': appToken };
      for (const name of ['content-type', 'customer-id', 'idempotency-key']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const answer = await rawRequest(orderUrl, request.method, request.url.slice(prefix.length), headers, request.body || undefined);
      return { status: answer.status, body: JSON.parse(answer.body) as unknown };
    };
    const client = new Sidecar({ baseUrl: await sidecar.start(), timeoutMs: 2_000 });
    shopUrl = await listen(
      createShopApp({ orders: new OrderApiClient(client), sidecar: client, log, metrics: createMetrics('fuzz-shop') }),
    );
  });

  afterAll(async () => {
    process.off('uncaughtException', onUnhandled);
    process.off('unhandledRejection', onUnhandled);
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await sidecar.stop();
  });

  const orderId = fc.uuid().map((id) => id.toLowerCase());
  const segment = fc.oneof(
    fc.constantFrom('api', 'orders', 'catalog', 'v1.0', 'invoke', 'metadata', 'shutdown', 'events', 'dapr', 'ws', 'state'),
    fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '%252e%252e', '%2f', '%5c', '\\', '%00', '%E0', '%', ';', '~', '%u002e'),
    orderId,
    fc.string({ maxLength: 12 }).map((text) => encodeURIComponent(text)),
    fc.stringMatching(/^[\x21-\x7e]{0,8}$/).filter((text) => !text.includes('#') && !text.includes('?')),
  );
  const path = fc.oneof(
    fc.array(segment, { minLength: 1, maxLength: 7 }).map((segments) => `/api/${segments.join('/')}`),
    fc
      .tuple(fc.array(segment, { minLength: 1, maxLength: 7 }), fc.constantFrom('/', '//', '/./', '/../'))
      .map(([segments, separator]) => `/${segments.join(separator)}`),
    orderId.map((id) => `/api/orders/${id}`),
    fc.constant('/api/orders'),
    fc.constant('/api/catalog'),
  );
  const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/).map((text) => text.trim());
  const headers = fc.record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'application/cloudevents+json',
        'text/plain',
        'application/json; charset=utf-16',
        'multipart/form-data',
        'x/y',
      ),
      'customer-id': fc.oneof(headerValue, fc.constantFrom('mia', 'a'.repeat(65))),
      'idempotency-key': headerValue,
      'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x'),
      accept: headerValue,
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.json({ maxDepth: 3 }),
    fc
      .record({ customerId: fc.oneof(fc.string(), fc.constant('mia')), items: fc.anything({ maxDepth: 2 }) })
      .map((value) => JSON.stringify(value)),
    fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
  );
  const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD');

  it('answers random requests to the shop below 500, calling only the shop API on the sidecar', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, headers, body, async (verb, target, sent, payload) => {
        const withBody = verb !== 'GET' && verb !== 'HEAD' && payload !== undefined;
        const answer = await rawRequest(shopUrl, verb, target, sent, withBody ? payload : undefined);
        expect(answer.status, `${verb} ${target}`).toBeLessThan(500);
        for (const request of sidecar.received) expect(request.url).toMatch(allowedSidecarTarget);
      }),
      { numRuns: 400 },
    );
    expect(unhandled).toEqual([]);
  });

  const cloudEvent = fc.record(
    {
      specversion: fc.constantFrom('1.0', '0.3', ''),
      id: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })),
      source: fc.string({ maxLength: 20 }),
      type: fc.oneof(
        fc.constantFrom(
          'OrderCreated',
          'PaymentAccepted',
          'PaymentDeclined',
          'OrderCancelled',
          'DeliveryStarted',
          'DeliveryCompleted',
          'WorkerAcceptedJob',
        ),
        fc.string({ maxLength: 30 }),
      ),
      topic: fc.oneof(fc.constantFrom('orders', 'payments', 'deliveries', 'dead-letters'), fc.string({ maxLength: 30 })),
      data: fc.oneof(
        fc.anything({ maxDepth: 3 }),
        fc.record(
          {
            orderId: fc.oneof(fc.uuid(), fc.string()),
            customerId: fc.string({ maxLength: 70 }),
            occurredAt: fc.oneof(
              fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
              fc.string(),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  );

  it('answers random deliveries to the subscription routes with an explicit outcome, and refuses them without the token', async () => {
    const routes = async (base: string) =>
      (await (await fetch(`${base}/dapr/subscribe`, { headers: { 'dapr-api-token': appToken } })).json()) as {
        routes: { rules?: { path: string }[]; default: string };
      }[];
    const targets = [
      ...(await routes(orderUrl))
        .flatMap((d) => [...(d.routes.rules ?? []).map((r) => r.path), d.routes.default])
        .map((route) => orderUrl + route),
      ...(await routes(notifierUrl))
        .flatMap((d) => [...(d.routes.rules ?? []).map((r) => r.path), d.routes.default])
        .map((route) => notifierUrl + route),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.oneof(
          cloudEvent.map((event) => JSON.stringify(event)),
          fc.json({ maxDepth: 3 }),
          fc.string({ maxLength: 200 }),
        ),
        fc.boolean(),
        fc.constantFrom('application/cloudevents+json', 'application/json', 'text/plain'),
        async (url, payload, withToken, contentType) => {
          const { pathname } = new URL(url);
          const base = url.slice(0, url.length - pathname.length);
          const answer = await rawRequest(
            base,
            'POST',
            pathname,
            {
              'content-type': contentType,
              ...(withToken ? { 'dapr-api-token': appToken } : {}),
            },
            payload,
          );
          expect(answer.status, `${pathname} ${payload.slice(0, 80)}`).toBeLessThan(500);
          if (!withToken) expect(answer.status).toBe(401);
          if (withToken && answer.status === 200)
            expect(['SUCCESS', 'RETRY', 'DROP']).toContain((JSON.parse(answer.body) as { status: string }).status);
        },
      ),
      { numRuns: 400 },
    );
    expect(unhandled).toEqual([]);
  });
});
