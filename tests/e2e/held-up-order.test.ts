import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runDeadLetters } from '../../scripts/dead-letters.ts';
import type { OperatorAccess } from '../../scripts/lib/operator-access.ts';
import { Faults } from '../support/faults.ts';
import { quickRetries } from '../support/resiliency.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';
import { launchChromium, pageErrors, screenshot } from './support/chromium.ts';
import { buildStorefront } from './support/storefront.ts';

const basePort = 27600;

/**
 * A customer in headless Chromium whose order is held up by a dead letter: the storefront says so,
 * and shows the order delivered once the operator has replayed it.
 */
describe('a held-up order in the storefront', () => {
  let system: RunningSystem;
  let browser: Browser;
  let faults: Faults;
  let removeBuild: (() => void) | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    const storefront = await buildStorefront();
    removeBuild = storefront.remove;
    faults = new Faults(basePort);
    system = await startSystem({
      broker: 'redis',
      basePort,
      daprResourcesDir: quickRetries(basePort),
      env: { STATIC_DIR: storefront.dir, SWEETGIGGLES_FAULTS_DIR: faults.dir },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await system?.stop();
    removeBuild?.();
  });

  const until = (what: () => unknown, value: unknown, timeout = 30_000) => expect.poll(what, { timeout, interval: 200 }).toBe(value);

  test('says the order is held up while its event is parked, and shows it delivered after the replay', async () => {
    const access: OperatorAccess = {
      orderSidecarUrl: system.sidecarUrl('order'),
      daprApiToken: system.sidecarHeaders('order')['dapr-api-token']!,
    };
    const parked = async () => {
      const lines: string[] = [];
      await runDeadLetters(['list'], access, (line) => lines.push(line));
      return lines.join('\n');
    };
    faults.failAt('delivery:PaymentAccepted');
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = pageErrors(page);
    await page.goto(system.shopUrl);
    await page.getByText('Live updates on').waitFor();
    await page.getByRole('button', { name: 'Add Gummy Bears to cart' }).click();
    await page.getByRole('button', { name: 'Buy now' }).click();
    await until(() => page!.getByTestId('order-status').textContent(), 'Paid');
    await until(async () => (await parked()).includes('PaymentAccepted'), true);

    // The storefront learns of it from the shop API, here at the next visit.
    await page.reload();
    await page.getByTestId('order-stuck').waitFor();
    expect(await page.locator('order-card').getByRole('status').textContent()).toContain('could not handle “Payment accepted”');
    await screenshot(page, 'e2e-7-held-up');

    faults.stopFailing('delivery:PaymentAccepted');
    expect(await runDeadLetters(['replay', '--all'], access, () => undefined)).toBe(0);
    await until(() => page!.getByTestId('order-status').textContent(), 'Delivered');
    expect(await page.getByTestId('order-stuck').count()).toBe(0);
    await screenshot(page, 'e2e-8-delivered-after-replay');
    expect(errors).toEqual([]);
  });
});
