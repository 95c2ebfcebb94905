import { html } from 'lit';
import { expect, test } from 'vitest';
import { page } from 'vitest/browser';
import { mount, textOf } from '../testing/mount.ts';
import type { FeedItem } from '../state/shop-store.ts';
import type { NotificationFeed } from './notification-feed.ts';
import type { ConnectionStatus } from './connection-status.ts';
import './notification-feed.ts';
import './connection-status.ts';

const item: FeedItem = {
  id: '7',
  orderId: '0b7c1d9e-5a4f',
  name: 'DeliveryCompleted',
  time: '2026-11-25T10:00:00.000Z',
  title: 'Delivered',
  detail: 'Ada delivered your candy.',
};

test('the feed is a polite live region that shows the newest notifications', async () => {
  const feed = await mount<NotificationFeed>(html`<notification-feed></notification-feed>`);
  const log = page.getByRole('log', { name: 'Notifications' });
  await expect.element(log).toHaveAttribute('aria-live', 'polite');
  await expect.element(page.getByText('News about your orders will appear here.')).toBeVisible();

  feed.items = [item];
  await expect.element(log.getByText('Ada delivered your candy.')).toBeVisible();
  await expect.element(log.getByText('Delivered', { exact: true })).toBeVisible();
});

test('the connection state is shown in words', async () => {
  const status = await mount<ConnectionStatus>(html`<connection-status></connection-status>`);
  await expect.element(page.getByRole('status')).toHaveTextContent('Connecting…');
  status.state = 'online';
  await expect.element(page.getByRole('status')).toHaveTextContent('Live updates on');
  status.state = 'reconnecting';
  await expect.poll(() => textOf(page.getByRole('status'))).toMatch(/^Reconnecting/);
});
