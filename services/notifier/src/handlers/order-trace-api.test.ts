import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderTrace } from '@sweetgiggles/contracts';
import { Sidecar, createLogger, createMetrics } from '@sweetgiggles/platform';
import { FakeSidecar } from '@sweetgiggles/platform/testing';
import { OrderApiClient } from '../dapr/order-api-client.ts';
import { createShopApp } from '../shop-app.ts';
import type { TraceSource } from '../tracing/jaeger-traces.ts';

const orderId = '6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d';
const createdAt = '2026-11-29T20:00:00.000Z';

const aTrace: OrderTrace = {
  orderId,
  traceId: 'a'.repeat(32),
  startedAt: createdAt,
  durationUs: 1_000,
  isTruncated: false,
  spans: [
    {
      spanId: '1'.repeat(16),
      service: 'order',
      origin: 'app',
      name: 'publish OrderCreated',
      startUs: 0,
      durationUs: 1_000,
      isError: false,
    },
  ],
};

/** A trace source that records what it was asked and answers what the test says. */
class FakeTraces implements TraceSource {
  asked: { orderId: string; placedAt: Date }[] = [];
  answer: OrderTrace | undefined = aTrace;

  orderTrace(orderId: string, placedAt: Date): Promise<OrderTrace | undefined> {
    this.asked.push({ orderId, placedAt });
    return Promise.resolve(this.answer);
  }
}

describe('an order’s trace on the shop app', () => {
  const sidecar = new FakeSidecar();
  const traces = new FakeTraces();
  const servers: Server[] = [];
  let withTracing: string;
  let withoutTracing: string;

  async function listen(source: TraceSource | undefined, sidecarUrl: string): Promise<string> {
    const client = new Sidecar({ baseUrl: sidecarUrl, timeoutMs: 2_000 });
    const app = createShopApp({
      orders: new OrderApiClient(client),
      sidecar: client,
      log: createLogger('trace-test', 'silent'),
      metrics: createMetrics('trace-test'),
      traces: source,
    });
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    const sidecarUrl = await sidecar.start();
    withTracing = await listen(traces, sidecarUrl);
    withoutTracing = await listen(undefined, sidecarUrl);
  });

  beforeEach(() => {
    sidecar.received.length = 0;
    traces.asked = [];
    traces.answer = aTrace;
    // The order service knows this order, for customer mia only.
    sidecar.answer = (request) =>
      request.headers['customer-id'] === 'mia'
        ? { status: 200, body: { orderId, customerId: 'mia', status: 'completed', createdAt } }
        : { status: 404, body: { error: { code: 'order_not_found', message: 'no such order' } } };
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await sidecar.stop();
  });

  it('says whether tracing is on', async () => {
    expect(await (await fetch(`${withTracing}/api/tracing`)).json()).toEqual({ enabled: true });
    expect(await (await fetch(`${withoutTracing}/api/tracing`)).json()).toEqual({ enabled: false });
  });

  it('returns the trace of an order to the customer who placed it, looked up around its placement', async () => {
    const response = await fetch(`${withTracing}/api/orders/${orderId}/trace`, { headers: { 'customer-id': 'mia' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(aTrace);
    expect(traces.asked).toEqual([{ orderId, placedAt: new Date(createdAt) }]);
    expect(sidecar.received.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /v1.0/invoke/order/method/api/orders/${orderId}`]);
  });

  it('is a 404 for anyone else, as the order is, and asks the tracing backend nothing', async () => {
    const response = await fetch(`${withTracing}/api/orders/${orderId}/trace`, { headers: { 'customer-id': 'max' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'order_not_found' } });
    expect(traces.asked).toEqual([]);
  });

  it('is a 404 saying so while the trace has not reached the backend', async () => {
    traces.answer = undefined;
    const response = await fetch(`${withTracing}/api/orders/${orderId}/trace`, { headers: { 'customer-id': 'mia' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'trace_not_found' } });
  });

  it('is a 404 saying tracing is off without a tracing backend, and calls nobody', async () => {
    const response = await fetch(`${withoutTracing}/api/orders/${orderId}/trace`, { headers: { 'customer-id': 'mia' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'tracing_off', message: expect.stringMatching(/tracing is off/) } });
    expect(sidecar.received).toEqual([]);
  });

  it('is a clear 503 when the order service cannot be reached or answers nonsense', async () => {
    for (const answer of [
      { status: 500, body: { errorCode: 'ERR_DIRECT_INVOKE' } },
      { status: 200, body: 'not json' },
    ]) {
      sidecar.answer = () => answer;
      const response = await fetch(`${withTracing}/api/orders/${orderId}/trace`, { headers: { 'customer-id': 'mia' } });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: 'order_unavailable' } });
    }
    expect(traces.asked).toEqual([]);
  });

  it('refuses an id that is not an order id before anything is called', async () => {
    for (const id of ['..%2F..%2Fapi%2Ftraces', 'not-an-id', `${orderId}%00`]) {
      const response = await fetch(`${withTracing}/api/orders/${id}/trace`, { headers: { 'customer-id': 'mia' } });
      expect(response.status, id).toBe(400);
    }
    expect(sidecar.received).toEqual([]);
    expect(traces.asked).toEqual([]);
  });
});
