import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { happyPath } from '../../scripts/lib/saga-rules.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';
import { launchChromium, pageErrors, screenshot } from './support/chromium.ts';
import { isUnbrokenSequence } from '../../scripts/lib/notification-client.ts';
import { SocketWatch } from './support/socket-watch.ts';
import { buildStorefront } from './support/storefront.ts';

/**
 * A customer in headless Chromium against the real running system: the storefront as built, served
 * by the real notifier, real daprd sidecars and the real saga on Redis.
 */
describe('the storefront, end to end', () => {
  let system: RunningSystem;
  let browser: Browser;
  let removeBuild: (() => void) | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    const storefront = await buildStorefront();
    removeBuild = storefront.remove;
    // A driver search and a pick-up that take a moment, so a customer can cancel and a socket can drop mid-way.
    system = await startSystem({
      broker: 'redis',
      basePort: 23400,
      env: { STATIC_DIR: storefront.dir, WORKER_SEARCH_DELAY_MS: '1000', PICKUP_DELAY_MS: '2500' },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    removeBuild?.();
  });

  /** A new visitor: a fresh browser profile, so a new customer id in localStorage. */
  async function visit(): Promise<{ page: Page; errors: string[]; socket: SocketWatch }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    const errors = pageErrors(page);
    const socket = await SocketWatch.attach(page);
    await page.goto(system.shopUrl);
    await page.getByText('Live updates on').waitFor();
    return { page, errors, socket };
  }

  const status = (page: Page) => page.getByTestId('order-status');
  const step = (page: Page, title: string) => page.locator('order-timeline li', { hasText: title });
  const until = (what: () => unknown, value: unknown, timeout = 60_000) => expect.poll(what, { timeout, interval: 200 }).toBe(value);

  async function buy(page: Page, items: [name: string, quantity: number][]): Promise<void> {
    for (const [name, quantity] of items) {
      await page.getByRole('button', { name: `Add ${name} to cart` }).click();
      if (quantity > 1) {
        await page.getByLabel(`Quantity of ${name}`).fill(String(quantity));
        await page.getByLabel(`Quantity of ${name}`).press('Tab');
      }
    }
    await page.getByRole('button', { name: 'Buy now' }).click();
    await page.locator('order-card').first().waitFor();
  }

  test('a customer fills a cart, buys, and sees the order reach completed in the timeline', async () => {
    const { page, errors, socket } = await visit();
    await page.getByRole('button', { name: 'Add Gummy Bears to cart' }).click();
    await page.getByRole('button', { name: 'Add Gummy Bears to cart' }).click();
    await page.getByRole('button', { name: 'Add Candy Canes to cart' }).click();
    await page.getByRole('button', { name: 'One more Candy Canes' }).click();
    await until(() => page.getByTestId('cart-total').textContent(), '$9.96');
    await screenshot(page, 'e2e-1-cart');

    await page.getByRole('button', { name: 'Buy now' }).click();
    await until(() => status(page).textContent(), 'Delivered');
    const titles = await page.locator('order-timeline li .title').allTextContents();
    expect(titles).toEqual([
      'Order placed',
      'Payment accepted',
      'Looking for a driver',
      'Driver found',
      'Driver on board',
      'On the way',
      'Delivered',
      'Order complete',
    ]);
    expect(await page.locator('order-timeline li time').first().textContent()).toMatch(/\d/);
    await until(() => page.locator('notification-feed li').count(), 8);
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    expect(await page.getByTestId('cart-total').textContent()).toBe('$0.00');
    await screenshot(page, 'e2e-2-completed');
    expect(isUnbrokenSequence(socket.events.map((event) => event.id))).toBe(true);

    // A reload shows the same customer's order, from localStorage and the shop API.
    await page.reload();
    await until(() => status(page).textContent(), 'Delivered');
    expect(errors).toEqual([]);
  });

  test('a declined payment shows as cancelled', async () => {
    const { page } = await visit();
    await buy(page, [['Chocolate Truffles', 99]]);
    await until(() => status(page).textContent(), 'Cancelled');
    await step(page, 'Payment declined').waitFor();
    await step(page, 'Order cancelled').waitFor();
    expect(await step(page, 'Order cancelled').textContent()).toContain('because the payment was declined');
    await screenshot(page, 'e2e-3-declined');
  });

  test('cancelling before delivery shows a refund', async () => {
    const { page } = await visit();
    await buy(page, [['Toffee Crunch', 1]]);
    await step(page, 'Payment accepted').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await until(() => status(page).textContent(), 'Cancelled');
    await step(page, 'Money refunded').waitFor({ timeout: 30_000 });
    expect(await page.locator('notification-feed li', { hasText: 'We refunded $5.49 to you.' }).count()).toBe(1);
    expect(await step(page, 'On the way').count()).toBe(0);
    await screenshot(page, 'e2e-4-refunded');
  });

  test('dropping the page’s socket loses no notification', async () => {
    const { page, socket } = await visit();
    await buy(page, [['Sour Worms', 3]]);
    await step(page, 'Looking for a driver').waitFor({ timeout: 30_000 });
    socket.drop(2_500);
    await page.getByText('Reconnecting… updates will catch up').waitFor();
    await screenshot(page, 'e2e-5-reconnecting');
    await until(() => status(page).textContent(), 'Delivered');
    await until(() => socket.events.length, 8, 30_000);
    expect(socket.connections).toBeGreaterThan(1);
    expect(isUnbrokenSequence(socket.events.map((event) => event.id))).toBe(true);
    expect(await page.locator('notification-feed li').count()).toBe(8);
  });

  test('killing and restarting the notifier loses no notification', async () => {
    const { page, socket } = await visit();
    await buy(page, [['Gumdrops', 2]]);
    await step(page, 'Looking for a driver').waitFor({ timeout: 30_000 });
    await system.crash('notifier');
    await page.getByText('Reconnecting… updates will catch up').waitFor();
    await system.revive('notifier');
    await until(() => status(page).textContent(), 'Delivered', 90_000);
    await until(() => socket.events.length, 8, 60_000);
    expect(isUnbrokenSequence(socket.events.map((event) => event.id))).toBe(true);
    expect(socket.events.map((event) => event.name)).toEqual(happyPath);
    await screenshot(page, 'e2e-6-after-notifier-restart');
  });
});
