import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daprTokenHeader } from './app-token.ts';
import { Sidecar } from './dapr/sidecar.ts';
import type { DeadLetter } from './dapr/subscriptions.ts';
import { InFlight } from './in-flight.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { createServiceApp, finishServiceApp } from './service-app.ts';

const token = 'app-secret';

describe('the service app', () => {
  let server: Server;
  let base: string;
  const metrics = createMetrics('test');
  const parked: DeadLetter[] = [];

  beforeAll(async () => {
    const log = createLogger('test', 'silent');
    const own = Router().get('/hello', (_req, res) => res.json({ hello: 'world' }));
    const app = createServiceApp({
      // Nothing listens there: the routes tested here never call the sidecar.
      sidecar: new Sidecar({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 }),
      log,
      metrics,
      inFlight: new InFlight(),
      pubsubName: 'pubsub',
      appApiToken: token,
      handlers: { OrderCreated: () => Promise.resolve('SUCCESS') },
      routes: [own],
      watchDeadLetters: true,
      onDeadLetter: (letter) => {
        parked.push(letter);
        return Promise.resolve('SUCCESS');
      },
    });
    finishServiceApp(app, log);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const call = (path: string, init: RequestInit & { withToken?: boolean } = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(init.withToken ? { [daprTokenHeader]: token } : {}), ...init.headers } });

  it('answers health checks and metrics without the token, and nothing else', async () => {
    expect((await call('/healthz')).status).toBe(200);
    expect((await call('/metrics')).status).toBe(200);
    expect((await call('/dapr/subscribe')).status).toBe(401);
    expect((await call('/hello')).status).toBe(401);
  });

  it("declares the service's subscriptions and the dead-letter topic to its sidecar", async () => {
    const response = await call('/dapr/subscribe', { withToken: true });
    expect(response.status).toBe(200);
    const subscriptions = (await response.json()) as { pubsubname: string; topic: string; routes: { rules?: { match: string }[] } }[];
    const orders = subscriptions.find((subscription) => subscription.topic === 'orders');
    expect(orders?.pubsubname).toBe('pubsub');
    expect(orders?.routes.rules?.map((rule) => rule.match)).toEqual(['event.type == "OrderCreated"']);
    expect(subscriptions.some((subscription) => subscription.topic === 'dead-letters')).toBe(true);
  });

  it("serves the service's own routes, then a JSON 404", async () => {
    expect(await (await call('/hello', { withToken: true })).json()).toEqual({ hello: 'world' });
    const missing = await call('/nowhere', { withToken: true });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/json/);
  });

  it("counts a dead letter under a label from the contract's names, and hands it on", async () => {
    const deadLetter = (type: string) =>
      call('/events/dead-letter', {
        withToken: true,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: `letter-${type}`, type, topic: 'orders', source: 'order', data: {} }),
      });
    expect(await (await deadLetter('OrderCreated')).json()).toEqual({ status: 'SUCCESS' });
    expect(await (await deadLetter('<script>')).json()).toEqual({ status: 'SUCCESS' });
    expect(parked.map((letter) => letter.type)).toEqual(['OrderCreated', '<script>']);
    const counted = (await metrics.deadLetters.get()).values.map(({ labels, value }) => [labels['type'], value]);
    expect(counted).toEqual([
      ['OrderCreated', 1],
      ['invalid', 1],
    ]);
  });
});
