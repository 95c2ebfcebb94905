import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSidecar } from '../testing/fake-sidecar.ts';
import { Sidecar, SidecarError, SidecarUnavailable } from './sidecar.ts';

describe('the sidecar client', () => {
  let fake: FakeSidecar;
  let url: string;

  beforeEach(async () => {
    fake = new FakeSidecar();
    url = await fake.start();
  });
  afterEach(() => fake.stop());

  it('sends the token and a JSON body, and returns status, headers and body', async () => {
    fake.answer = () => ({ status: 201, body: { ok: true }, headers: { etag: '7' } });
    const client = new Sidecar({ baseUrl: url, timeoutMs: 1_000, apiToken: 'secret' });
    const response = await client.request('/v1.0/state/store', { method: 'POST', body: [{ key: 'k', value: 1 }] });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('etag')).toBe('7');
    expect(JSON.parse(response.text())).toEqual({ ok: true });
    expect(fake.received[0]).toMatchObject({ method: 'POST', url: '/v1.0/state/store', body: '[{"key":"k","value":1}]' });
    expect(fake.received[0]!.headers['dapr-api-token']).toBe('secret');
    expect(fake.received[0]!.headers['content-type']).toBe('application/json');
  });

  it('sends bytes as they are', async () => {
    const client = new Sidecar({ baseUrl: url, timeoutMs: 1_000 });
    await client.request('/v1.0/invoke/order/method/api/orders', {
      method: 'POST',
      body: Buffer.from('{"raw": 1 }'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(fake.received[0]).toMatchObject({ body: '{"raw": 1 }' });
    expect(fake.received[0]!.headers['content-type']).toBe('text/plain');
  });

  it('keeps one connection for calls made one after another', async () => {
    const client = new Sidecar({ baseUrl: url, timeoutMs: 1_000 });
    for (let i = 0; i < 20; i++) await client.request(`/v1.0/state/store/k${i}`);
    expect(fake.received).toHaveLength(20);
    expect(fake.connections).toBe(1);
  });

  it('gives up on a sidecar that does not answer within its timeout', async () => {
    fake.answer = () => 'silence';
    const started = Date.now();
    const error = await new Sidecar({ baseUrl: url, timeoutMs: 200 }).request('/v1.0/state/store/k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SidecarUnavailable);
    expect((error as SidecarUnavailable).detail).toMatch(/no answer within 200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('says a sidecar that is not there is unavailable, naming why', async () => {
    await fake.stop();
    const client = new Sidecar({ baseUrl: url, timeoutMs: 1_000 });
    const error = await client.request('/v1.0/healthz').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SidecarUnavailable);
    expect((error as SidecarUnavailable).detail).toMatch(/ECONNREFUSED/);
    expect(await client.isReady()).toBe(false);
    fake = new FakeSidecar();
  });

  it("turns an error status into a SidecarError with Dapr's error code, for the logs only", async () => {
    fake.answer = () => ({ status: 500, body: { errorCode: 'ERR_PUBSUB_PUBLISH_MESSAGE', message: 'broker said no' } });
    const error = await new Sidecar({ baseUrl: url, timeoutMs: 1_000 })
      .call('publishing', '/v1.0/publish/pubsub/orders', { method: 'POST', body: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SidecarError);
    expect(error).toMatchObject({ sidecarCode: 'ERR_PUBSUB_PUBLISH_MESSAGE', status: 502, code: 'sidecar_error' });
    expect((error as SidecarError).message).not.toContain('broker said no');
    expect((error as SidecarError).detail).toBe('publishing failed with 500: broker said no');
  });
});
