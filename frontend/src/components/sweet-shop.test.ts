import { html } from 'lit';
import { beforeEach, expect, test } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { FakeShop, FakeWebSocket, MemoryStorage } from '../testing/fakes.ts';
import { orderId, orderView, products } from '../testing/fixtures.ts';
import { mount, textOf } from '../testing/mount.ts';
import { NotificationSocket } from '../state/notification-socket.ts';
import { SavedSession } from '../state/saved-session.ts';
import { ShopApi } from '../state/shop-api.ts';
import { ShopStore } from '../state/shop-store.ts';
import './sweet-shop.ts';

let store: ShopStore;

beforeEach(async () => {
  FakeWebSocket.all.length = 0;
  const shop = new FakeShop()
    .on('GET', '/api/catalog', () => ({ status: 200, body: { products } }))
    .on('POST', '/api/orders', () => ({ status: 201, body: orderView() }));
  store = new ShopStore({
    api: new ShopApi('http://shop.test', shop.fetch),
    session: new SavedSession(new MemoryStorage()),
    connect: (options) =>
      new NotificationSocket({
        url: 'ws://shop.test/ws',
        createSocket: (url) => new FakeWebSocket(url) as unknown as WebSocket,
        ...options,
      }),
  });
  await mount(html`<sweet-shop .store=${store}></sweet-shop>`);
  await store.start();
});

test('a customer can shop with the keyboard alone and follow the order live', async () => {
  await expect.element(page.getByRole('heading', { name: 'Our candy' })).toBeVisible();
  (
    document.querySelector('sweet-shop')?.shadowRoot?.querySelector('candy-catalog')?.shadowRoot?.querySelector('button') as HTMLElement
  ).focus();
  await userEvent.keyboard('{Enter}');
  await userEvent.keyboard('{Enter}');
  await expect.poll(() => textOf(page.getByTestId('cart-total'))).toBe('$5.98');
  await expect.poll(() => textOf(page.getByRole('link', { name: /^Cart:/ }))).toBe('Cart: 2 candies, $5.98');
  await expect.poll(() => textOf(page.getByText('Gummy Bears added: 2 in your cart.'))).toBe('Gummy Bears added: 2 in your cart.');

  page.getByRole('button', { name: 'Buy now' }).element().focus();
  await userEvent.keyboard('{Enter}');
  await expect.element(page.getByRole('heading', { name: `Order ${orderId.slice(0, 8)}` })).toBeVisible();
  await expect.element(page.getByRole('button', { name: 'Cancel order' })).toBeVisible();

  FakeWebSocket.latest.open();
  FakeWebSocket.latest.deliver({ type: 'subscribed', customerId: store.state.customerId, truncated: false });
  await expect.poll(() => textOf(page.getByRole('status'))).toBe('Live updates on');
  FakeWebSocket.latest.deliver({
    type: 'event',
    id: '1',
    orderId,
    name: 'OrderCompleted',
    time: '2026-11-25T10:05:00.000Z',
    data: { orderId, customerId: store.state.customerId, occurredAt: '2026-11-25T10:05:00.000Z', totalCents: 598 },
  });
  await expect.poll(() => textOf(page.getByTestId('order-status'))).toBe('Delivered');
  await expect.element(page.getByRole('log', { name: 'Notifications' }).getByText('Enjoy your sweets!')).toBeVisible();
  expect(page.getByRole('button', { name: 'Cancel order' }).query()).toBeNull();
});
