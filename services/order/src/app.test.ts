import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InFlight, Sidecar, StepRunner, createLogger, createMetrics, republishKept } from '@sweetgiggles/platform';
import { MemoryPublisher, MemoryStore } from '@sweetgiggles/platform/testing';
import { createApp } from './app.ts';
import { letterRepublisher } from './dapr/letter-republisher.ts';
import { DeadLetterPark } from './dead-letter-park.ts';
import { DeadLetters } from './dead-letters.ts';
import { createOrderMetrics } from './metrics.ts';
import { orderRepository } from './order-repository.ts';
import { OrderService } from './order-service.ts';

/** The order app built by createApp with an in-memory store, called over HTTP in-process. */
describe('the order app', () => {
  const publisher = new MemoryPublisher();
  // What the sidecar sends on every call; the tests call as the sidecar unless they say otherwise.
  const token = 'app-token-'.padEnd(40, 'x');
  const asSidecar = { 'dapr-api-token': token };
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const metrics = createMetrics('order');
    const store = new MemoryStore();
    const orderMetrics = createOrderMetrics(metrics);
    const log = createLogger('order', 'silent');
    const repository = orderRepository(store);
    const steps = new StepRunner(publisher);
    const orders = new OrderService({ orders: repository, steps, publisher, clock: () => new Date(), metrics: orderMetrics });
    const sidecar = new Sidecar({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
    const republish = republishKept(repository, steps);
    const deadLetters = new DeadLetters({
      park: new DeadLetterPark(store),
      orders,
      republish: letterRepublisher(sidecar, republish),
      metrics: orderMetrics,
      clock: () => new Date(),
      log,
    });
    const app = createApp({
      orders,
      deadLetters,
      republish,
      sidecar,
      log,
      metrics,
      inFlight: new InFlight(),
      pubsubName: 'pubsub',
      appApiToken: token,
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asSidecar, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** A call as the notifier forwards it for customer `customerId`. */
  const call = (path: string, customerId: string | undefined, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers: { ...asSidecar, ...(customerId ? { 'customer-id': customerId } : {}) } });
  const deliver = (route: string, type: string, data: unknown) =>
    post(
      route,
      { specversion: '1.0', id: crypto.randomUUID(), type, source: 'test', data },
      { 'content-type': 'application/cloudevents+json' },
    ).then(json);

  it('creates an order and publishes OrderCreated for it', async () => {
    const response = await post('/api/orders', { customerId: 'c-1', items: [{ sku: 'gummy-bears', quantity: 2 }] });
    expect(response.status).toBe(201);
    const order = await json(response);
    expect(order).toMatchObject({ status: 'created', totalCents: 598, cancellable: true, history: [{ name: 'OrderCreated' }] });
    expect(publisher.published.at(-1)).toMatchObject({
      id: `${order.orderId}.OrderCreated`,
      name: 'OrderCreated',
      data: { orderId: order.orderId, totalCents: 598 },
    });
  });

  it('declares its subscriptions with a routing rule per event and a dead-letter topic', async () => {
    const subscriptions = await json(fetch(`${base}/dapr/subscribe`, { headers: asSidecar }));
    const payments = subscriptions.find((s: { topic: string }) => s.topic === 'payments');
    expect(payments.routes.rules).toContainEqual({ match: 'event.type == "PaymentAccepted"', path: '/events/payment-accepted' });
    expect(payments.deadLetterTopic).toBe('dead-letters');
    expect(subscriptions.map((s: { topic: string }) => s.topic)).toContain('dead-letters');
  });

  it('follows PaymentAccepted once, however often it is delivered', async () => {
    const order = await json(post('/api/orders', { customerId: 'c-2', items: [{ sku: 'candy-canes', quantity: 1 }] }));
    const data = { orderId: order.orderId, customerId: 'c-2', occurredAt: new Date().toISOString(), paymentId: 'p', amountCents: 199 };
    expect(await deliver('/events/payment-accepted', 'PaymentAccepted', data)).toEqual({ status: 'SUCCESS' });
    const before = publisher.published.length;
    expect(await deliver('/events/payment-accepted', 'PaymentAccepted', data)).toEqual({ status: 'SUCCESS' });
    const paid = await json(call(`/api/orders/${order.orderId}`, 'c-2'));
    expect(paid.status).toBe('paid');
    expect(paid.history.filter((h: { name: string }) => h.name === 'PaymentAccepted')).toHaveLength(1);
    expect(publisher.published.length).toBe(before);
  });

  it('drops an event whose data breaks its schema', async () => {
    expect(await deliver('/events/payment-accepted', 'PaymentAccepted', { orderId: 7 })).toEqual({ status: 'DROP' });
    expect(await deliver('/events/not-handled', 'OrderTeleported', {})).toEqual({ status: 'DROP' });
  });

  it('cancels until the delivery starts, and answers 409 after', async () => {
    const order = await json(post('/api/orders', { customerId: 'c-3', items: [{ sku: 'rock-candy', quantity: 1 }] }));
    const started = {
      orderId: order.orderId,
      customerId: 'c-3',
      occurredAt: new Date().toISOString(),
      attempt: 1,
      workerId: 'w',
      workerName: 'Ada',
      etaSeconds: 60,
    };
    await deliver('/events/delivery-started', 'DeliveryStarted', started);
    const refused = await call(`/api/orders/${order.orderId}`, 'c-3', 'DELETE');
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.code).toBe('not_cancellable');

    const other = await json(post('/api/orders', { customerId: 'c-3', items: [{ sku: 'rock-candy', quantity: 1 }] }));
    const cancelling = await call(`/api/orders/${other.orderId}`, 'c-3', 'DELETE');
    expect(cancelling.status).toBe(202);
    expect((await json(cancelling)).status).toBe('cancelling');
    expect(publisher.published.at(-1)).toMatchObject({ name: 'OrderCancellationRequested', data: { orderId: other.orderId } });
    expect((await call(`/api/orders/${other.orderId}`, 'c-3', 'DELETE')).status).toBe(202);
    const stopped = { orderId: other.orderId, customerId: 'c-3', occurredAt: new Date().toISOString() };
    await deliver('/events/delivery-cancelled', 'DeliveryCancelled', stopped);
    expect(publisher.published.at(-1)).toMatchObject({ name: 'OrderCancelled', data: { reason: 'customer_request' } });
    const cancelled = await call(`/api/orders/${other.orderId}`, 'c-3', 'DELETE');
    expect(cancelled.status).toBe(200);
    expect((await json(cancelled)).status).toBe('cancelled');
  });

  it('parks a dead-lettered event once, shows its order stuck, and replays it as its publisher kept it', async () => {
    const order = await json(post('/api/orders', { customerId: 'c-dl', items: [{ sku: 'gummy-bears', quantity: 1 }] }));
    const created = publisher.published.find((event) => event.id === `${order.orderId}.OrderCreated`)!;
    const letter = { specversion: '1.0', id: created.id, type: 'OrderCreated', source: 'order', topic: 'orders', data: created.data };
    const headers = { 'content-type': 'application/cloudevents+json' };
    // Delivered twice, as a broker may: parked once.
    for (let i = 0; i < 2; i++) expect(await json(post('/events/dead-letter', letter, headers))).toEqual({ status: 'SUCCESS' });
    const listed = await json(call('/operator/dead-letters', undefined));
    expect(listed.deadLetters).toEqual([
      expect.objectContaining({
        id: letter.id,
        type: 'OrderCreated',
        orderId: order.orderId,
        topic: 'orders',
        source: 'order',
        reason: 'retries exhausted',
      }),
    ]);
    expect(await json(call(`/operator/dead-letters/${encodeURIComponent(letter.id)}`, undefined))).toMatchObject({
      id: letter.id,
      data: created.data,
    });
    const stuck = await json(call(`/api/orders/${order.orderId}`, 'c-dl'));
    expect(stuck.stuck).toEqual({ event: 'OrderCreated', since: listed.deadLetters[0].parkedAt });

    const before = publisher.published.length;
    const replayed = await post(`/operator/dead-letters/${encodeURIComponent(letter.id)}/replay`, {});
    expect(replayed.status).toBe(200);
    expect(await json(replayed)).toEqual({ replayed: [letter.id], failed: [] });
    expect(publisher.published.slice(before)).toEqual([
      { id: created.id, name: 'OrderCreated', data: created.data, cause: 'request:place' },
    ]);
    expect((await json(call('/operator/dead-letters', undefined))).deadLetters).toEqual([]);
    expect((await json(call(`/api/orders/${order.orderId}`, 'c-dl'))).stuck).toBeUndefined();
    expect((await post(`/operator/dead-letters/${encodeURIComponent(letter.id)}/replay`, {})).status).toBe(404);
  });

  it('keeps a letter its publisher no longer keeps parked, and says so', async () => {
    const order = await json(post('/api/orders', { customerId: 'c-gone', items: [{ sku: 'gummy-bears', quantity: 1 }] }));
    const data = { orderId: order.orderId, customerId: 'c-gone', occurredAt: new Date().toISOString(), totalCents: 299 };
    const letter = { specversion: '1.0', id: `${order.orderId}.OrderCompleted`, type: 'OrderCompleted', topic: 'orders', data };
    await post('/events/dead-letter', letter, { 'content-type': 'application/cloudevents+json' });
    const refused = await post(`/operator/dead-letters/${encodeURIComponent(letter.id)}/replay`, {});
    expect(refused.status).toBe(409);
    expect((await json(refused)).error.code).toBe('not_replayable');
    expect(await json(post('/operator/dead-letters/replay', {}))).toEqual({
      replayed: [],
      failed: [{ id: letter.id, message: expect.stringContaining('no longer keeps it') }],
    });
    expect((await json(call('/operator/dead-letters', undefined))).deadLetters).toHaveLength(1);
    expect((await json(call(`/api/orders/${order.orderId}`, 'c-gone'))).stuck).toMatchObject({ event: 'OrderCompleted' });
  });

  it('publishes again, on request, only an event it keeps', async () => {
    const order = await json(post('/api/orders', { customerId: 'c-re', items: [{ sku: 'gummy-bears', quantity: 1 }] }));
    const before = publisher.published.length;
    const again = await post('/operator/republish', { orderId: order.orderId, eventId: `${order.orderId}.OrderCreated` });
    expect(again.status).toBe(200);
    expect(publisher.published.slice(before).map((event) => event.id)).toEqual([`${order.orderId}.OrderCreated`]);
    expect((await post('/operator/republish', { orderId: order.orderId, eventId: `${order.orderId}.OrderCompleted` })).status).toBe(404);
    expect((await post('/operator/republish', { orderId: '../x', eventId: 'a' })).status).toBe(400);
    expect((await post('/operator/republish', { orderId: order.orderId, eventId: 'a', data: {} })).status).toBe(400);
    expect(publisher.published.length).toBe(before + 1);
  });

  it('parks no poison, refuses crafted ids and caps listings', async () => {
    const poison = { specversion: '1.0', id: 'poison-1', type: 'OrderTeleported', topic: 'orders', data: {} };
    expect(await json(post('/events/dead-letter', poison, { 'content-type': 'application/cloudevents+json' }))).toEqual({
      status: 'SUCCESS',
    });
    const listed = (await json(call('/operator/dead-letters', undefined))).deadLetters;
    expect(listed.map((letter: { id: string }) => letter.id)).not.toContain('poison-1');
    for (const id of ['..%2F..%2Fv1.0%2Fstate', '%00', 'a'.repeat(129), '.hidden']) {
      expect((await post(`/operator/dead-letters/${id}/replay`, {})).status, id).toBe(400);
    }
    for (const limit of ['0', '1001', 'many']) expect((await call(`/operator/dead-letters?limit=${limit}`, undefined)).status).toBe(400);
  });

  it('answers bad requests with clear errors', async () => {
    expect((await post('/api/orders', '{"customerId":')).status).toBe(400);
    const unknown = await post('/api/orders', { customerId: 'c', items: [{ sku: 'broccoli', quantity: 1 }] });
    expect(unknown.status).toBe(422);
    expect((await json(unknown)).error.code).toBe('unknown_product');
    expect((await call('/api/orders/00000000-0000-4000-8000-000000000000', 'c')).status).toBe(404);
    expect((await call('/nowhere', undefined)).status).toBe(404);
    expect((await call('/api/orders/%E0', 'c')).status).toBe(400);
  });

  it('shows and cancels an order only for the customer who placed it, and hides it from anyone else', async () => {
    const order = await json(post('/api/orders', { customerId: 'owner', items: [{ sku: 'rock-candy', quantity: 1 }] }));
    const unknown = await json(call('/api/orders/00000000-0000-4000-8000-000000000000', 'owner'));
    for (const customerId of ['stranger', undefined]) {
      const read = await call(`/api/orders/${order.orderId}`, customerId);
      expect(read.status).toBe(404);
      const body = await json(read);
      expect(body.error.code).toBe(unknown.error.code);
      expect(JSON.stringify(body)).not.toContain('owner');
      expect((await call(`/api/orders/${order.orderId}`, customerId, 'DELETE')).status).toBe(404);
    }
    expect((await json(call(`/api/orders/${order.orderId}`, 'owner'))).status).toBe('created');
    expect((await json(call(`/api/orders/${order.orderId}`, 'owner', 'DELETE'))).status).toBe('cancelling');
  });

  it('answers only its sidecar: without the app API token every route but health and metrics is refused', async () => {
    const before = publisher.published.length;
    const forged = { specversion: '1.0', id: 'forged', type: 'PaymentAccepted', source: 'x', data: {} };
    for (const headers of [{}, { 'dapr-api-token': 'wrong' }, { 'dapr-api-token': `${token}x` }]) {
      const response = await fetch(`${base}/events/payment-accepted`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', ...headers },
        body: JSON.stringify(forged),
      });
      expect(response.status).toBe(401);
      expect((await fetch(`${base}/dapr/subscribe`, { headers })).status).toBe(401);
      expect((await fetch(`${base}/api/catalog`, { headers })).status).toBe(401);
      expect((await fetch(`${base}/operator/dead-letters`, { headers })).status).toBe(401);
      expect((await fetch(`${base}/operator/dead-letters/replay`, { method: 'POST', headers })).status).toBe(401);
    }
    expect(publisher.published.length).toBe(before);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
  });

  it('is ready only when its sidecar is (daprd probes health without a token)', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
  });
});
