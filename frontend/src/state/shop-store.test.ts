import { beforeEach, expect, test, vi } from 'vitest';
import { FakeShop, FakeWebSocket, MemoryStorage } from '../testing/fakes.ts';
import { orderId, orderView, products } from '../testing/fixtures.ts';
import { NotificationSocket } from './notification-socket.ts';
import { SavedSession } from './saved-session.ts';
import { ShopApi } from './shop-api.ts';
import { ShopStore } from './shop-store.ts';

let shop: FakeShop;
let storage: MemoryStorage;

beforeEach(() => {
  FakeWebSocket.all.length = 0;
  storage = new MemoryStorage();
  shop = new FakeShop().on('GET', '/api/catalog', () => ({ status: 200, body: { products } }));
});

function createStore(): ShopStore {
  return new ShopStore({
    api: new ShopApi('http://shop.test', shop.fetch),
    session: new SavedSession(storage),
    connect: (options) =>
      new NotificationSocket({
        url: 'ws://shop.test/ws',
        createSocket: (url) => new FakeWebSocket(url) as unknown as WebSocket,
        minDelayMs: 1,
        maxDelayMs: 5,
        ...options,
      }),
  });
}

const event = (id: string, name: string, data: Record<string, unknown> = {}, time = `2026-11-25T10:00:0${id}.000Z`) => ({
  type: 'event',
  id,
  orderId,
  name,
  time,
  data: { orderId, customerId: 'c', occurredAt: time, ...data },
});

test('a new visitor gets a customer id that a reload keeps', async () => {
  const first = createStore();
  const second = createStore();
  expect(first.state.customerId).toMatch(/^[0-9a-f-]{36}$/);
  expect(second.state.customerId).toBe(first.state.customerId);
});

test('starting loads the catalog and the orders this browser placed', async () => {
  storage.setItem('sweetgiggles.orderIds', JSON.stringify([orderId]));
  shop.order(orderView({ status: 'paid' }));
  const store = createStore();
  await store.start();
  expect(store.state.products).toEqual(products);
  expect(store.state.orders.map((order) => [order.orderId, order.status])).toEqual([[orderId, 'paid']]);
});

test('checkout places the cart once, with an Idempotency-Key, even when clicked twice', async () => {
  let answer: (value: { status: number; body: unknown }) => void = () => {};
  shop.on('POST', '/api/orders', () => new Promise((resolve) => (answer = resolve)));
  const store = createStore();
  await store.start();
  store.addToCart('gummy-bears');
  store.addToCart('gummy-bears');

  const first = store.checkout();
  const second = store.checkout();
  expect(store.state.isPlacingOrder).toBe(true);
  answer({ status: 201, body: orderView() });
  await Promise.all([first, second]);

  const posts = shop.requests.filter((request) => request.method === 'POST');
  expect(posts).toHaveLength(1);
  expect(posts[0]?.body).toEqual({ customerId: store.state.customerId, items: [{ sku: 'gummy-bears', quantity: 2 }] });
  expect(posts[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  expect(store.state.cart).toEqual([]);
  expect(store.state.orders.map((order) => order.orderId)).toEqual([orderId]);
  expect(JSON.parse(storage.getItem('sweetgiggles.orderIds') ?? '[]')).toEqual([orderId]);
});

test('a checkout retried after a network failure reuses its key, so it buys once', async () => {
  let failures = 1;
  shop.on('POST', '/api/orders', () => (failures-- > 0 ? new TypeError('network down') : { status: 201, body: orderView() }));
  const store = createStore();
  await store.start();
  store.addToCart('candy-canes');
  await store.checkout();
  expect(store.state.checkoutProblem).toMatch(/could not be placed/);
  await store.checkout();
  const keys = shop.requests.filter((request) => request.method === 'POST').map((request) => request.headers['idempotency-key']);
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  expect(store.state.orders).toHaveLength(1);
});

test('notifications update the order’s timeline, status and the feed, and remember the last id', async () => {
  shop.on('POST', '/api/orders', () => ({ status: 201, body: orderView() }));
  const store = createStore();
  await store.start();
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.deliver({ type: 'subscribed', customerId: store.state.customerId, truncated: false });
  expect(store.state.connection).toBe('online');
  store.addToCart('gummy-bears');
  await store.checkout();

  const socket = FakeWebSocket.latest;
  socket.deliver(event('1', 'OrderCreated', {}, orderView().createdAt));
  socket.deliver(event('2', 'PaymentAccepted', { amountCents: 598, paymentId: 'p' }));
  socket.deliver(event('3', 'DeliveryStarted', { workerName: 'Ada', workerId: 'w', attempt: 1, etaSeconds: 60 }));

  const order = store.state.orders[0];
  expect(order?.steps.map((step) => step.name)).toEqual(['OrderCreated', 'PaymentAccepted', 'DeliveryStarted']);
  expect(order?.status).toBe('delivering');
  expect(order?.cancellable).toBe(false);
  expect(store.state.feed.map((item) => item.title)).toEqual(['On the way', 'Payment accepted', 'Order placed']);
  expect(storage.getItem('sweetgiggles.lastEventId')).toBe('3');
});

test('after a dropped connection the store resubscribes from the last event it saw', async () => {
  const store = createStore();
  await store.start();
  const first = FakeWebSocket.latest;
  first.open();
  expect(first.sent).toEqual([{ type: 'subscribe', customerId: store.state.customerId }]);
  first.deliver({ type: 'subscribed', customerId: store.state.customerId, lastEventId: '4', truncated: false });
  first.deliver(event('5', 'OrderCreated'));
  first.drop();
  expect(store.state.connection).toBe('reconnecting');

  await vi.waitFor(() => expect(FakeWebSocket.all).toHaveLength(2));
  FakeWebSocket.latest.open();
  expect(FakeWebSocket.latest.sent).toEqual([{ type: 'subscribe', customerId: store.state.customerId, lastEventId: '5' }]);
});

test('an event about an order this page does not know yet fetches that order', async () => {
  shop.order(orderView({ status: 'paid' }));
  const store = createStore();
  await store.start();
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.deliver(event('1', 'PaymentAccepted', { amountCents: 598, paymentId: 'p' }));
  await vi.waitFor(() => expect(store.state.orders[0]?.items).toHaveLength(1));
  expect(store.state.orders[0]?.steps.map((step) => step.name)).toEqual(['OrderCreated', 'PaymentAccepted']);
});

test('an event about the order being placed does not fetch it: the checkout’s answer brings it', async () => {
  let answer: (value: { status: number; body: unknown }) => void = () => {};
  shop.on('POST', '/api/orders', () => new Promise((resolve) => (answer = resolve)));
  const store = createStore();
  await store.start();
  FakeWebSocket.latest.open();
  store.addToCart('gummy-bears');
  const checkout = store.checkout();
  FakeWebSocket.latest.deliver(event('1', 'OrderCreated', { items: orderView().items, totalCents: 598 }, orderView().createdAt));
  answer({ status: 201, body: orderView() });
  await checkout;
  expect(shop.requests.filter((request) => request.method === 'GET' && request.path.includes(orderId))).toEqual([]);
  expect(store.state.orders.map((order) => [order.orderId, order.status, order.steps.length])).toEqual([[orderId, 'created', 1]]);
});

test('an order heard of during a checkout that did not answer with it is fetched once the checkout ends', async () => {
  shop.order(orderView({ status: 'paid' }));
  shop.on('POST', '/api/orders', () => ({ status: 503, body: { error: { code: 'order_unavailable', message: 'later' } } }));
  const store = createStore();
  await store.start();
  FakeWebSocket.latest.open();
  store.addToCart('gummy-bears');
  const checkout = store.checkout();
  FakeWebSocket.latest.deliver(event('1', 'PaymentAccepted', { amountCents: 598, paymentId: 'p' }));
  await checkout;
  await vi.waitFor(() => expect(store.state.orders[0]?.items).toHaveLength(1));
  expect(store.state.checkoutProblem).toBeDefined();
});

test('cancelling too late says so and hides the cancel button', async () => {
  storage.setItem('sweetgiggles.orderIds', JSON.stringify([orderId]));
  shop.order(orderView()).on('DELETE', `/api/orders/${orderId}`, () => ({
    status: 409,
    body: { error: { code: 'not_cancellable', message: 'the order is being delivered' } },
  }));
  const store = createStore();
  await store.start();
  await store.cancelOrder(orderId);
  expect(store.state.orders[0]?.problem).toBe('Too late to cancel: this order is already on its way.');
});

test('a cancelled order shows its refund when it comes', async () => {
  storage.setItem('sweetgiggles.orderIds', JSON.stringify([orderId]));
  shop.order(orderView({ status: 'paid' })).on('DELETE', `/api/orders/${orderId}`, () => ({
    status: 200,
    body: orderView({ status: 'cancelled', cancellable: false }),
  }));
  const store = createStore();
  await store.start();
  await store.cancelOrder(orderId);
  expect(store.state.orders[0]).toMatchObject({ status: 'cancelled', cancellable: false });
  // Orders are shown and cancelled only for the customer who placed them: every call says who that is.
  const orderCalls = shop.requests.filter((request) => request.path === `/api/orders/${orderId}`);
  expect(orderCalls.map((request) => request.method)).toEqual(expect.arrayContaining(['GET', 'DELETE']));
  for (const request of orderCalls) expect(request.headers['customer-id']).toBe(store.state.customerId);
  FakeWebSocket.latest.open();
  FakeWebSocket.latest.deliver(event('9', 'PaymentRefunded', { amountCents: 598, paymentId: 'p' }));
  expect(store.state.orders[0]?.steps.at(-1)?.name).toBe('PaymentRefunded');
  expect(store.state.feed[0]?.detail).toBe('We refunded $5.98 to you.');
});

test('offers orders’ traces only when the shop says tracing is on, and not when it cannot say', async () => {
  const off = createStore();
  await off.start();
  expect(off.state.isTracing).toBe(false);
  off.stop();

  shop.on('GET', '/api/tracing', () => ({ status: 200, body: { enabled: true } }));
  const on = createStore();
  await on.start();
  expect(on.state.isTracing).toBe(true);
  on.stop();
});
