import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParkedDeadLetter } from '@sweetgiggles/contracts';
import { Sidecar, SidecarError } from '@sweetgiggles/platform';
import { FakeSidecar } from '@sweetgiggles/platform/testing';
import { letterRepublisher } from './letter-republisher.ts';

const orderId = '0b6f3c1e-6a43-4c3a-9d9e-0c9a8f8f1e01';
const letter = (type: ParkedDeadLetter['type'], topic: ParkedDeadLetter['topic']): ParkedDeadLetter => ({
  id: `${orderId}.${type}`,
  type,
  orderId,
  topic,
  source: null,
  parkedAt: '2026-11-29T10:00:00.000Z',
  reason: 'retries exhausted',
  data: {},
});

describe('the replay of a dead letter', () => {
  let fake: FakeSidecar;
  let sidecar: Sidecar;
  const own: [string, string][] = [];
  const republish = () => letterRepublisher(sidecar, async (id, eventId) => (own.push([id, eventId]), eventId.endsWith('OrderCreated')));

  beforeEach(async () => {
    fake = new FakeSidecar();
    sidecar = new Sidecar({ baseUrl: await fake.start(), timeoutMs: 1_000 });
    own.length = 0;
  });
  afterEach(() => fake.stop());

  it("republishes the order service's own events itself, asking its sidecar nothing", async () => {
    expect(await republish()(letter('OrderCreated', 'orders'))).toBe(true);
    expect(await republish()(letter('OrderCompleted', 'orders'))).toBe(false);
    expect(own).toEqual([
      [orderId, `${orderId}.OrderCreated`],
      [orderId, `${orderId}.OrderCompleted`],
    ]);
    expect(fake.received).toEqual([]);
  });

  it('asks the payment or delivery service for theirs, by service invocation', async () => {
    fake.answer = () => ({ status: 200, body: { republished: 'x' } });
    expect(await republish()(letter('PaymentAccepted', 'payments'))).toBe(true);
    expect(await republish()(letter('DeliveryStarted', 'deliveries'))).toBe(true);
    expect(fake.received.map(({ method, url, body }) => [method, url, JSON.parse(body)])).toEqual([
      ['POST', '/v1.0/invoke/payment/method/operator/republish', { orderId, eventId: `${orderId}.PaymentAccepted` }],
      ['POST', '/v1.0/invoke/delivery/method/operator/republish', { orderId, eventId: `${orderId}.DeliveryStarted` }],
    ]);
  });

  it('tells a publisher that no longer keeps the event from one that cannot be reached', async () => {
    fake.answer = () => ({ status: 404, body: { error: { code: 'not_found', message: 'event was not found' } } });
    expect(await republish()(letter('PaymentAccepted', 'payments'))).toBe(false);
    fake.answer = () => ({ status: 500, body: { errorCode: 'ERR_DIRECT_INVOKE', message: 'app unreachable' } });
    await expect(republish()(letter('PaymentAccepted', 'payments'))).rejects.toBeInstanceOf(SidecarError);
  });
});
