import { afterEach, beforeEach, expect, it } from 'vitest';
import { FakeSidecar } from '../testing/fake-sidecar.ts';
import { Publisher } from './publisher.ts';
import { Sidecar } from './sidecar.ts';

let fake: FakeSidecar;
let sidecar: Sidecar;

beforeEach(async () => {
  fake = new FakeSidecar();
  fake.answer = () => ({ status: 204 });
  sidecar = new Sidecar({ baseUrl: await fake.start(), timeoutMs: 1_000 });
});
afterEach(() => fake.stop());

const event = (n: number) => ({
  id: `o-${n}.OrderCompleted`,
  name: 'OrderCompleted' as const,
  data: { orderId: `o-${n}`, customerId: 'c-1', occurredAt: '2026-11-29T10:00:00Z', totalCents: 299 },
});

it('publishes on the event’s topic with our CloudEvent id and type', async () => {
  await new Publisher(sidecar, 'pubsub').publish(event(1));
  const url = new URL(fake.received[0]!.url, 'http://sidecar');
  expect(url.pathname).toBe('/v1.0/publish/pubsub/orders');
  expect(url.searchParams.get('metadata.cloudevent.id')).toBe('o-1.OrderCompleted');
  expect(url.searchParams.get('metadata.cloudevent.type')).toBe('OrderCompleted');
  expect(JSON.parse(fake.received[0]!.body)).toEqual(event(1).data);
});

it('takes turns over the component and its lanes', async () => {
  const publisher = new Publisher(sidecar, 'pubsub', 2);
  for (let n = 0; n < 6; n++) await publisher.publish(event(n));
  expect(fake.received.map((request) => new URL(request.url, 'http://sidecar').pathname)).toEqual([
    '/v1.0/publish/pubsub/orders',
    '/v1.0/publish/pubsub-lane-1/orders',
    '/v1.0/publish/pubsub-lane-2/orders',
    '/v1.0/publish/pubsub/orders',
    '/v1.0/publish/pubsub-lane-1/orders',
    '/v1.0/publish/pubsub-lane-2/orders',
  ]);
});
