import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { catalog } from '@sweetgiggles/contracts';
import { launchChromium, pageErrors, screenshot } from './support/chromium.ts';
import { buildStorefront } from './support/storefront.ts';

/**
 * The storefront as it ships: built by Vite into a scratch folder and opened in Chromium, with only
 * the catalog API behind it. A build that passes while the page breaks (decorators left in the
 * bundle, a missing element) fails here, without starting the whole system.
 */
let outDir: string;
let removeBuild: () => void;
let server: Server;
let shopUrl: string;
let browser: Browser;

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

beforeAll(async () => {
  ({ dir: outDir, remove: removeBuild } = await buildStorefront());
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/api/catalog')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ products: catalog }));
    if (path.startsWith('/api/'))
      return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"no"}}');
    const file = join(outDir, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(outDir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  removeBuild?.();
});

test('the built storefront shows the whole catalog with its artwork and a working cart', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = pageErrors(page);
  await page.goto(shopUrl);

  await expect.poll(() => page.locator('candy-catalog li').count(), { timeout: 15_000 }).toBe(catalog.length);
  expect(await page.locator('candy-catalog li svg[data-shape]').count()).toBe(catalog.length);
  await page.getByRole('button', { name: 'Add Gummy Bears to cart' }).click();
  await page.getByRole('button', { name: 'Add Gummy Bears to cart' }).click();
  await expect.poll(() => page.getByTestId('cart-total').textContent()).toBe('$5.98');
  await screenshot(page, 'storefront-catalog', { fullPage: true });
  // The socket has no notifier behind it here: the page says so instead of failing.
  await expect.poll(() => page.locator('connection-status').getAttribute('state')).toBe('reconnecting');
  expect(errors.filter((error) => !/WebSocket|404/.test(error))).toEqual([]);
  await page.close();
});

test('the built trace page loads, and says so when the shop has no trace to show', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = pageErrors(page);
  // No tracing behind this server: the trace answers 404, as the notifier's does for someone else's order.
  await page.goto(`${shopUrl}/trace.html?order=6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d`);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
    .toBe('Behind the scenes of order 6f1c2a8e');
  await expect.poll(() => page.getByRole('status').textContent()).toBe('This order is not one of yours, or it does not exist.');
  expect(errors.filter((error) => !/404/.test(error))).toEqual([]);
  await page.close();
});

test('the storefront is usable on a phone', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(shopUrl);
  await expect.poll(() => page.locator('candy-catalog li').count(), { timeout: 15_000 }).toBe(catalog.length);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, 'storefront-phone');
  await page.close();
});

test('the shipped JavaScript stays small', () => {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/src="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
  const gzipped = scripts.reduce((total, script) => total + gzipSync(readFileSync(join(outDir, script))).length, 0);
  expect(scripts.length).toBeGreaterThan(0);
  expect(gzipped).toBeLessThan(40 * 1024);
});

test('the storefront takes the shop’s rules without the schema library behind the services', () => {
  const assets = readdirSync(join(outDir, 'assets')).filter((file) => file.endsWith('.js'));
  expect(assets.length).toBeGreaterThan(0);
  // zod names every schema class it defines ("$ZodType", "$ZodString", …): none may be in the bundle.
  for (const file of assets) expect(readFileSync(join(outDir, 'assets', file), 'utf8'), file).not.toContain('$ZodType');
});
