import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSidecar } from '../testing/fake-sidecar.ts';
import { Sidecar, SidecarError } from './sidecar.ts';
import { EtagMismatch, StateStore } from './state-store.ts';

describe('the state store', () => {
  let fake: FakeSidecar;
  let store: StateStore;

  beforeEach(async () => {
    fake = new FakeSidecar();
    store = new StateStore(new Sidecar({ baseUrl: await fake.start(), timeoutMs: 1_000 }), 'orderstore');
  });
  afterEach(() => fake.stop());

  it('reads a value with its ETag, and nothing where there is no record', async () => {
    fake.answer = () => ({ status: 200, body: { status: 'paid' }, headers: { etag: '3' } });
    expect(await store.get('order-1')).toEqual({ value: { status: 'paid' }, etag: '3' });
    expect(fake.received[0]!.url).toBe('/v1.0/state/orderstore/order-1');
    fake.answer = () => ({ status: 204 });
    expect(await store.get('order-1')).toBeUndefined();
  });

  it('writes first-write-wins with the ETag of the read', async () => {
    fake.answer = () => ({ status: 204 });
    await store.save('order-1', { status: 'paid' }, '3');
    expect(JSON.parse(fake.received[0]!.body)).toEqual([
      { key: 'order-1', value: { status: 'paid' }, etag: '3', options: { concurrency: 'first-write', consistency: 'strong' } },
    ]);
  });

  it('maps both ways a store reports a lost race to EtagMismatch, and anything else to SidecarError', async () => {
    fake.answer = () => ({ status: 409, body: { errorCode: 'ERR_STATE_SAVE' } });
    await expect(store.save('k', 1, '3')).rejects.toBeInstanceOf(EtagMismatch);
    // Redis refuses to create a key that exists with a 500 that says so.
    fake.answer = () => ({ status: 500, body: { errorCode: 'ERR_STATE_SAVE', message: 'failed to set key k' } });
    await expect(store.save('k', 1, undefined)).rejects.toBeInstanceOf(EtagMismatch);
    await expect(store.save('k', 1, '3')).rejects.toBeInstanceOf(SidecarError);
    fake.answer = () => ({ status: 500, body: { errorCode: 'ERR_STATE_STORE_NOT_FOUND' } });
    await expect(store.save('k', 1, undefined)).rejects.toBeInstanceOf(SidecarError);
  });

  it('deletes a key, with the ETag of the read when given one', async () => {
    fake.answer = () => ({ status: 204 });
    await store.delete('dead-letter-a.b');
    await store.delete('dead-letter-a.b', '4');
    expect(fake.received.map((r) => [r.method, r.url, r.headers['if-match']])).toEqual([
      ['DELETE', '/v1.0/state/orderstore/dead-letter-a.b', undefined],
      ['DELETE', '/v1.0/state/orderstore/dead-letter-a.b', '4'],
    ]);
    fake.answer = () => ({ status: 409, body: { errorCode: 'ERR_STATE_DELETE' } });
    await expect(store.delete('k', '3')).rejects.toBeInstanceOf(EtagMismatch);
  });
});
