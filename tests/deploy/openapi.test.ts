import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { eventNames } from '../../services/contracts/src/events.ts';
import { maxTraceSpans, spanOrigins } from '../../services/contracts/src/order-trace.ts';
import { orderStatuses } from '../../services/contracts/src/rules.ts';
import { checkAnswer, openApiPath } from '../support/api-contract.ts';

type Schema = { enum?: unknown[]; properties?: Record<string, Schema>; items?: Schema; maxItems?: number; required?: string[] };
const doc = parse(readFileSync(openApiPath, 'utf8')) as { components: { schemas: Record<string, Schema> } };
const order = doc.components.schemas['Order']!;
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers({ 'content-type': 'application/json; charset=utf-8', ...headers }),
  body,
});
const anOrder = {
  orderId: '0b4c3b8e-6b8e-4f8e-9a8e-1a2b3c4d5e6f',
  customerId: 'ada',
  status: 'paid',
  items: [{ sku: 'gummy-bears', name: 'Gummy bears', quantity: 1, unitPriceCents: 250 }],
  totalCents: 250,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:01.000Z',
  cancellable: true,
  history: [{ name: 'OrderCreated', time: '2026-01-01T00:00:00.000Z' }],
};

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApiPath);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('names the statuses and events the contracts define', () => {
    expect(order.properties?.['status']?.enum).toEqual([...orderStatuses]);
    expect(order.properties?.['history']?.items?.properties?.['name']?.enum).toEqual(eventNames);
    expect(order.properties?.['stuck']?.properties?.['event']?.enum).toEqual(eventNames);
  });

  it('describes an order’s trace as the contracts define it', () => {
    const trace = doc.components.schemas['OrderTrace']!;
    const span = doc.components.schemas['TraceSpan']!;
    expect(trace.properties?.['spans']?.maxItems).toBe(maxTraceSpans);
    expect(span.properties?.['origin']?.enum).toEqual([...spanOrigins]);
    const aTrace = {
      orderId: anOrder.orderId,
      traceId: 'a'.repeat(32),
      startedAt: '2026-01-01T00:00:00.000Z',
      durationUs: 2_000,
      isTruncated: false,
      spans: [
        {
          spanId: '1'.repeat(16),
          service: 'order',
          origin: 'app',
          name: 'publish OrderCreated',
          startUs: 0,
          durationUs: 2_000,
          isError: false,
        },
      ],
    };
    const tracePath = `/api/orders/${anOrder.orderId}/trace`;
    expect(() => checkAnswer('GET', tracePath, json(aTrace, 200, { 'cache-control': 'no-store' }))).not.toThrow();
    expect(() => checkAnswer('GET', tracePath, json({ ...aTrace, spans: [{ ...aTrace.spans[0], origin: 'elsewhere' }] }))).toThrow(
      /origin/,
    );
    expect(() => checkAnswer('GET', tracePath, json({ error: { code: 'tracing_off', message: 'tracing is off' } }, 404))).not.toThrow();
    expect(() => checkAnswer('GET', '/api/tracing', json({ enabled: false }))).not.toThrow();
  });

  // The checker every integration test uses must be able to say no.
  it('gives the integration tests a checker that refuses what the document does not allow', () => {
    const orderPath = `/api/orders/${anOrder.orderId}`;
    expect(() => checkAnswer('GET', orderPath, json(anOrder))).not.toThrow();
    expect(() => checkAnswer('GET', orderPath, json({ ...anOrder, status: 'lost' }))).toThrow(/status/);
    expect(() => checkAnswer('GET', orderPath, json({ ...anOrder, history: undefined }))).toThrow(/history/);
    const stuck = { event: 'PaymentAccepted', since: '2026-01-01T00:00:02.000Z' };
    expect(() => checkAnswer('GET', orderPath, json({ ...anOrder, stuck }))).not.toThrow();
    expect(() => checkAnswer('GET', orderPath, json({ ...anOrder, stuck: { ...stuck, event: 'Lost' } }))).toThrow(/stuck/);
    expect(() => checkAnswer('GET', orderPath, json(anOrder, 201))).toThrow(/not one the operation lists/);
    expect(() => checkAnswer('GET', orderPath, { ...json(anOrder), headers: new Headers({ 'content-type': 'text/html' }) })).toThrow(
      /content type/,
    );
    expect(() => checkAnswer('GET', orderPath, json({ error: 'nope' }, 404))).toThrow(/body/);
    expect(() => checkAnswer('POST', '/api/orders', json(anOrder, 201, { location: orderPath }))).not.toThrow();
    expect(() => checkAnswer('GET', '/api/elsewhere', json({ error: { code: 'not_found', message: 'no such route' } }, 404))).not.toThrow();
    expect(() => checkAnswer('GET', '/api/elsewhere', json({}, 200))).toThrow(/outside the API/);
  });
});
