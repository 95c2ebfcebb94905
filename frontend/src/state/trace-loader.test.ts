import { expect, test } from 'vitest';
import type { OrderTrace } from '@sweetgiggles/contracts';
import { FakeShop } from '../testing/fakes.ts';
import { orderId } from '../testing/fixtures.ts';
import { ShopApi } from './shop-api.ts';
import { TraceLoader } from './trace-loader.ts';

const trace: OrderTrace = {
  orderId,
  traceId: 'a'.repeat(32),
  startedAt: '2026-11-29T20:00:00.000Z',
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
const tracePath = `/api/orders/${orderId}/trace`;
const notYet = { status: 404, body: { error: { code: 'trace_not_found', message: 'no trace yet' } } };

function loaderFor(shop: FakeShop): TraceLoader {
  return new TraceLoader({ api: new ShopApi('http://shop.test', shop.fetch), customerId: 'mia', orderId, sleep: () => Promise.resolve() });
}

test('reads the order’s trace as its customer', async () => {
  const shop = new FakeShop().on('GET', tracePath, () => ({ status: 200, body: trace }));
  const loader = loaderFor(shop);
  await loader.load();
  expect(loader.state).toEqual({ orderId, isLoading: false, trace, problem: undefined });
  expect(shop.requests[0]?.headers['customer-id']).toBe('mia');
});

test('asks again while the spans are on their way to the tracing backend', async () => {
  let calls = 0;
  const shop = new FakeShop().on('GET', tracePath, () => ((calls += 1) < 3 ? notYet : { status: 200, body: trace }));
  const loader = loaderFor(shop);
  await loader.load();
  expect(calls).toBe(3);
  expect(loader.state.trace).toEqual(trace);
});

test('gives up after a while, and says why when there is no trace to show', async () => {
  const waiting = loaderFor(new FakeShop().on('GET', tracePath, () => notYet));
  await waiting.load();
  expect(waiting.state).toMatchObject({ isLoading: false, problem: expect.stringMatching(/No trace of this order/) });

  const off = loaderFor(
    new FakeShop().on('GET', tracePath, () => ({ status: 404, body: { error: { code: 'tracing_off', message: 'off' } } })),
  );
  await off.load();
  expect(off.state.problem).toMatch(/Tracing is off/);

  const someoneElses = loaderFor(new FakeShop());
  await someoneElses.load();
  expect(someoneElses.state.problem).toMatch(/not one of yours/);
});
