import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSidecar } from '../testing/fake-sidecar.ts';
import { Publisher } from './publisher.ts';
import { Sidecar, SidecarError, SidecarUnavailable } from './sidecar.ts';

const data = { orderId: '0b7e5a51-2c1e-4a55-9b8c-3f0c1a2b3c4d', customerId: 'c-1', occurredAt: '2026-11-29T10:00:00.000Z', attempt: 2 };

describe('the publisher', () => {
  let fake: FakeSidecar;
  let sidecar: Sidecar;
  let publisher: Publisher;

  beforeEach(async () => {
    fake = new FakeSidecar();
    sidecar = new Sidecar({ baseUrl: await fake.start(), timeoutMs: 500 });
    publisher = new Publisher(sidecar, 'pubsub');
  });
  afterEach(() => fake.stop());

  it("publishes on the event's topic with our CloudEvent id and type, the data as the body", async () => {
    fake.answer = () => ({ status: 204 });
    await publisher.publish({ id: `${data.orderId}.WorkerSearchStarted.2`, name: 'WorkerSearchStarted', data });
    const [sent] = fake.received;
    const url = new URL(sent!.url, 'http://sidecar');
    expect(sent!.method).toBe('POST');
    expect(url.pathname).toBe('/v1.0/publish/pubsub/deliveries');
    expect(url.searchParams.get('metadata.cloudevent.id')).toBe(`${data.orderId}.WorkerSearchStarted.2`);
    expect(url.searchParams.get('metadata.cloudevent.type')).toBe('WorkerSearchStarted');
    expect(JSON.parse(sent!.body)).toEqual(data);
  });

  it('fails with a SidecarError when the broker refuses, and with SidecarUnavailable when the sidecar is silent', async () => {
    fake.answer = () => ({ status: 500, body: { errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE', message: 'broker away' } });
    await expect(publisher.publish({ id: 'e-1', name: 'OrderCreated', data })).rejects.toBeInstanceOf(SidecarError);
    fake.answer = () => 'silence';
    await expect(publisher.publish({ id: 'e-1', name: 'OrderCreated', data })).rejects.toBeInstanceOf(SidecarUnavailable);
  });
  it('takes turns over the component and its lanes', async () => {
    fake.answer = () => ({ status: 204 });
    const laned = new Publisher(sidecar, 'pubsub', 2);
    for (let n = 0; n < 6; n++) await laned.publish({ id: `e-${n}`, name: 'OrderCompleted', data: { ...data, totalCents: 299 } });
    expect(fake.received.map((request) => new URL(request.url, 'http://sidecar').pathname)).toEqual([
      '/v1.0/publish/pubsub/orders',
      '/v1.0/publish/pubsub-lane-1/orders',
      '/v1.0/publish/pubsub-lane-2/orders',
      '/v1.0/publish/pubsub/orders',
      '/v1.0/publish/pubsub-lane-1/orders',
      '/v1.0/publish/pubsub-lane-2/orders',
    ]);
  });
});
