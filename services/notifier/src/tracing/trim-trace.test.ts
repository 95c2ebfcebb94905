import { describe, expect, it } from 'vitest';
import { orderTraceSchema } from '@sweetgiggles/contracts';
import { jaegerTraceSchema, placementTrace, trimTrace, type JaegerTrace } from './trim-trace.ts';

const orderId = '6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d';
const t0 = 1_790_000_000_000_000; // microseconds since the epoch

function span(
  spanID: string,
  operationName: string,
  startTime: number,
  duration: number,
  options: { parent?: string; process?: string; scope?: string; tags?: Record<string, unknown> } = {},
): JaegerTrace['spans'][number] {
  return {
    spanID,
    operationName,
    startTime,
    duration,
    processID: options.process ?? 'p1',
    references: options.parent ? [{ refType: 'CHILD_OF', spanID: options.parent }] : [],
    tags: Object.entries({ 'otel.scope.name': options.scope ?? 'sweetgiggles', ...options.tags }).map(([key, value]) => ({ key, value })),
  };
}

const trace: JaegerTrace = {
  traceID: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  processes: { p1: { serviceName: 'order' }, p2: { serviceName: 'payment' } },
  spans: [
    span('0000000000000002', 'pubsub/orders', t0 + 1_500, 700, {
      parent: '0000000000000001',
      process: 'p2',
      scope: 'dapr-diagnostics',
      tags: { 'span.kind': 'client', 'messaging.destination.name': 'orders', 'http.url': 'http://127.0.0.1/secret' },
    }),
    span('0000000000000001', 'publish OrderCreated', t0, 1_200, {
      tags: { 'sweetgiggles.order_id': orderId, 'customer.id': 'mia', 'otel.status_code': 'ERROR' },
    }),
    span('0000000000000003', 'consume OrderCreated', t0 + 2_000, 300, {
      parent: '0000000000000002',
      process: 'p2',
      scope: '@opentelemetry/instrumentation-http',
    }),
  ],
};

describe('trimming a Jaeger trace for the storefront', () => {
  it('keeps each span’s service, origin, name, kind, topic and times relative to the trace’s start, ordered by start', () => {
    const trimmed = trimTrace(orderId, trace);
    expect(trimmed).toEqual({
      orderId,
      traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      startedAt: new Date(t0 / 1_000).toISOString(),
      durationUs: 2_300,
      isTruncated: false,
      spans: [
        {
          spanId: '0000000000000001',
          service: 'order',
          origin: 'app',
          name: 'publish OrderCreated',
          startUs: 0,
          durationUs: 1_200,
          isError: true,
        },
        {
          spanId: '0000000000000002',
          parentId: '0000000000000001',
          service: 'payment',
          origin: 'sidecar',
          name: 'pubsub/orders',
          kind: 'client',
          topic: 'orders',
          startUs: 1_500,
          durationUs: 700,
          isError: false,
        },
        {
          spanId: '0000000000000003',
          parentId: '0000000000000002',
          service: 'payment',
          origin: 'app',
          name: 'consume OrderCreated',
          startUs: 2_000,
          durationUs: 300,
          isError: false,
        },
      ],
    });
    expect(orderTraceSchema.safeParse(trimmed).success).toBe(true);
  });

  it('passes on no other tag: no URLs, no customer data', () => {
    expect(JSON.stringify(trimTrace(orderId, trace))).not.toMatch(/secret|mia|http\.url|customer/);
  });

  it('returns at most the given number of spans, the earliest, and says it left some out', () => {
    const trimmed = trimTrace(orderId, trace, 2);
    expect(trimmed.spans.map((s) => s.name)).toEqual(['publish OrderCreated', 'pubsub/orders']);
    expect(trimmed.isTruncated).toBe(true);
  });

  it('names the service of a span whose process is missing "unknown", and an unknown scope "other"', () => {
    const odd: JaegerTrace = { ...trace, spans: [span('00000000000000aa', 'mystery', t0, 5, { process: 'p9', scope: 'somebody-else' })] };
    expect(trimTrace(orderId, odd).spans[0]).toMatchObject({ service: 'unknown', origin: 'other' });
  });

  it('refuses an answer that is not a Jaeger trace', () => {
    expect(jaegerTraceSchema.safeParse({ traceID: '../etc', spans: [], processes: {} }).success).toBe(false);
    expect(jaegerTraceSchema.safeParse({ ...trace, spans: [{ ...trace.spans[0], startTime: -1 }] }).success).toBe(false);
  });
});

describe('choosing the trace of an order’s placement', () => {
  it('picks the trace that started first among those that published its OrderCreated', () => {
    const later: JaegerTrace = {
      ...trace,
      traceID: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      spans: [span('0000000000000009', 'publish OrderCreated', t0 + 30_000_000, 900)],
    };
    expect(placementTrace([later, trace])?.traceID).toBe(trace.traceID);
    expect(placementTrace([])).toBeUndefined();
    expect(placementTrace([{ ...trace, spans: [] }])).toBeUndefined();
  });
});
