import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Sidecar, createLogger, createMetrics } from '@sweetgiggles/platform';
import { OrderApiClient } from './dapr/order-api-client.ts';
import { createShopApp } from './shop-app.ts';
import { FakeSidecar } from '@sweetgiggles/platform/testing';
import { allowedSidecarTarget, rawRequest, traversalPaths } from './testing/raw-http.ts';

/** The browser-facing app, called over HTTP in-process, in front of a sidecar that records every call. */
describe('the shop app', () => {
  const sidecar = new FakeSidecar();
  let server: Server;
  let base: string;
  const orderId = '6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d';

  beforeAll(async () => {
    const sidecarUrl = await sidecar.start();
    const client = new Sidecar({ baseUrl: sidecarUrl, timeoutMs: 2_000, apiToken: 't'.repeat(40) });
    const app = createShopApp({
      orders: new OrderApiClient(client),
      sidecar: client,
      log: createLogger('shop-test', 'silent'),
      metrics: createMetrics('shop-test'),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    sidecar.received.length = 0;
    sidecar.answer = () => ({ status: 200, body: { ok: true } });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await sidecar.stop();
  });

  it('forwards each of its four routes to one fixed sidecar URL, with the Dapr API token', async () => {
    const calls: [string, string, string][] = [
      ['GET', '/api/catalog', '/v1.0/invoke/order/method/api/catalog'],
      ['POST', '/api/orders', '/v1.0/invoke/order/method/api/orders'],
      ['GET', `/api/orders/${orderId}`, `/v1.0/invoke/order/method/api/orders/${orderId}`],
      ['DELETE', `/api/orders/${orderId}`, `/v1.0/invoke/order/method/api/orders/${orderId}`],
    ];
    for (const [method, path, target] of calls) {
      const answer = await rawRequest(
        base,
        method,
        path,
        { 'customer-id': 'mia', 'content-type': 'application/json' },
        method === 'POST' ? '{}' : undefined,
      );
      expect(answer.status).toBe(200);
      const received = sidecar.received.at(-1);
      expect(received).toMatchObject({ method, url: target });
      expect(received?.headers['dapr-api-token']).toBe('t'.repeat(40));
      expect(received?.headers['customer-id']).toBe('mia');
    }
  });

  it.each(traversalPaths.flatMap((path) => ['GET', 'POST', 'DELETE'].map((method) => [method, path] as const)))(
    'never lets %s %s reach any other sidecar URL',
    async (method, path) => {
      const answer = await rawRequest(base, method, path, { 'content-type': 'application/json' }, method === 'POST' ? '{}' : undefined);
      // A path that is a valid order route once its query is dropped may be forwarded, to its own URL.
      expect(answer.status).toBeLessThan(500);
      if (answer.status < 400) expect(sidecar.received).toHaveLength(1);
      for (const request of sidecar.received) expect(request.url).toMatch(allowedSidecarTarget);
      if (answer.status >= 400) expect(JSON.parse(answer.body).error.code).toEqual(expect.any(String));
    },
  );

  it('answers every other /api path and method with the JSON 404, calling nothing', async () => {
    for (const [method, path] of [
      ['GET', '/api'],
      ['GET', '/api/'],
      ['PUT', '/api/orders'],
      ['PATCH', `/api/orders/${orderId}`],
      ['GET', '/api/customers/mia/history'],
      ['POST', `/api/orders/${orderId}/refund`],
    ] as const) {
      const answer = await rawRequest(base, method, path);
      expect(answer.status).toBe(404);
      expect(JSON.parse(answer.body).error.code).toBe('not_found');
    }
    expect(sidecar.received).toEqual([]);
  });

  it('answers a malformed escape with a 400, not a 500', async () => {
    for (const path of ['/api/%E0', '/api/orders/%E0', '/api/%E0/x']) {
      const answer = await rawRequest(base, 'GET', path);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error.code).toEqual(expect.any(String));
    }
    expect(sidecar.received).toEqual([]);
  });

  it("logs the sidecar's error text and tells the browser only that the order service is unavailable", async () => {
    sidecar.answer = () => ({
      status: 500,
      body: { errorCode: 'ERR_DIRECT_INVOKE', message: 'fail to invoke, id: order, err: secret internals 10.0.0.7' },
    });
    const answer = await rawRequest(base, 'GET', '/api/catalog');
    expect(answer.status).toBe(503);
    expect(answer.body).not.toContain('10.0.0.7');
    expect(JSON.parse(answer.body).error.code).toBe('order_unavailable');
  });

  it('does not serve metrics or the subscriptions to browsers', async () => {
    for (const path of ['/metrics', '/dapr/subscribe']) expect((await rawRequest(base, 'GET', path)).status).toBe(404);
    expect((await rawRequest(base, 'POST', '/events/payment-accepted', { 'content-type': 'application/json' }, '{}')).status).toBe(404);
  });

  it('sends a Content-Security-Policy without inline script, and refuses framing and sniffing', async () => {
    const answer = await rawRequest(base, 'GET', '/api/catalog');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });
});
