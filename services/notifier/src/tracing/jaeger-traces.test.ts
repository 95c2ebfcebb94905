import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JaegerTraces } from './jaeger-traces.ts';

const orderId = '6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d';
const placedAt = new Date('2026-11-29T20:00:00.000Z');

/**
 * How the client copes with what a tracing backend may answer: an HTTP server on loopback standing in
 * for Jaeger's query API (the real one is in tests/observability/trace-waterfall.test.ts).
 */
describe('reading an order’s trace from Jaeger’s query API', () => {
  let server: Server;
  let url: string;
  let answer: (req: IncomingMessage, res: ServerResponse) => void;
  const asked: URL[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(new URL(req.url ?? '/', 'http://jaeger'));
      answer(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const json = (body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  it('asks one fixed question: the order service’s OrderCreated for this order, around its placement', async () => {
    answer = json({ data: [] });
    expect(await new JaegerTraces({ queryUrl: url }).orderTrace(orderId, placedAt)).toBeUndefined();
    const question = asked.at(-1)!;
    expect(question.pathname).toBe('/api/traces');
    expect(Object.fromEntries(question.searchParams)).toEqual({
      service: 'order',
      operation: 'publish OrderCreated',
      tags: JSON.stringify({ 'sweetgiggles.order_id': orderId }),
      start: String((placedAt.getTime() - 5 * 60_000) * 1_000),
      end: String((placedAt.getTime() + 15 * 60_000) * 1_000),
      limit: '10',
    });
  });

  it('refuses a question beyond the ones in flight at once, and takes questions again once they end', async () => {
    const held: ServerResponse[] = [];
    answer = (_req, res) => held.push(res);
    const traces = new JaegerTraces({ queryUrl: url, maxInFlight: 2 });
    const first = [traces.orderTrace(orderId, placedAt), traces.orderTrace(orderId, placedAt)];
    await expect(traces.orderTrace(orderId, placedAt)).rejects.toMatchObject({ code: 'tracing_busy', status: 503 });
    await vi.waitFor(() => expect(held).toHaveLength(2));
    for (const res of held) json({ data: [] })({} as IncomingMessage, res);
    expect(await Promise.all(first)).toEqual([undefined, undefined]);
    answer = json({ data: [] });
    expect(await traces.orderTrace(orderId, placedAt)).toBeUndefined();
  });

  it('returns the earliest such trace, trimmed', async () => {
    const trace = (traceID: string, startTime: number) => ({
      traceID,
      processes: { p1: { serviceName: 'order' } },
      spans: [
        {
          spanID: '1'.repeat(16),
          operationName: 'publish OrderCreated',
          references: [],
          startTime,
          duration: 10,
          tags: [],
          processID: 'p1',
        },
      ],
    });
    const t0 = placedAt.getTime() * 1_000;
    answer = json({ data: [trace('b'.repeat(32), t0 + 5_000_000), trace('a'.repeat(32), t0)] });
    const found = await new JaegerTraces({ queryUrl: url }).orderTrace(orderId, placedAt);
    expect(found).toMatchObject({ orderId, traceId: 'a'.repeat(32), spans: [{ name: 'publish OrderCreated', origin: 'other' }] });
  });

  it('refuses an answer past its size, one it cannot read, an error, and silence, each as a clear failure', async () => {
    const traces = new JaegerTraces({ queryUrl: url, maxBytes: 1_000, timeoutMs: 300 });
    answer = json({ data: [], padding: 'x'.repeat(5_000) });
    await expect(traces.orderTrace(orderId, placedAt)).rejects.toMatchObject({ code: 'trace_too_large', status: 502 });

    // The same, streamed without a length: the reading stops at the cap.
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"data":[],"padding":"${'x'.repeat(2_000)}`);
      res.end('"}');
    };
    await expect(traces.orderTrace(orderId, placedAt)).rejects.toMatchObject({ code: 'trace_too_large' });

    for (const body of ['not json', JSON.stringify({ data: [{ traceID: '../x', spans: 'many' }] })]) {
      answer = (_req, res) => res.end(body);
      await expect(traces.orderTrace(orderId, placedAt)).rejects.toMatchObject({ code: 'tracing_unavailable', status: 503 });
    }

    answer = (_req, res) => {
      res.writeHead(500);
      res.end('boom');
    };
    await expect(traces.orderTrace(orderId, placedAt)).rejects.toMatchObject({ code: 'tracing_unavailable' });

    answer = () => undefined;
    const started = Date.now();
    await expect(traces.orderTrace(orderId, placedAt)).rejects.toMatchObject({ code: 'tracing_unavailable' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
