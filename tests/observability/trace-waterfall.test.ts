import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { OrderTrace } from '@sweetgiggles/contracts';
import { fetchChecked } from '../support/api-contract.ts';
import { launchChromium, pageErrors, screenshot } from '../e2e/support/chromium.ts';
import { buildStorefront } from '../e2e/support/storefront.ts';
import { searchTraceIds, spanCounts, waitForTrace, type SpanView } from './support/jaeger.ts';
import { startObservedSystem, type ObservedSystem } from './support/observed-system.ts';
import { describeWithObservability } from './support/tools.ts';

const services = ['notifier', 'order', 'payment', 'delivery'] as const;
const topics = ['orders', 'payments', 'deliveries'] as const;

/** A sidecar delivering a message from the broker to its app: one pub/sub hop (daprd names it `pubsub/<topic>`). */
const isHop = (span: SpanView) => span.origin === 'sidecar' && /^pubsub\/[a-z-]+$/.test(span.operation);

/** Whether the whole saga has reached Jaeger: every service and sidecar, a hop on every topic, the end, and no orphan. */
function isComplete(spans: SpanView[]): boolean {
  const known = new Set(spans.map((span) => span.spanId));
  return (
    services.every((service) => ['app', 'sidecar'].every((origin) => spans.some((s) => s.service === service && s.origin === origin))) &&
    topics.every((topic) => spans.some((span) => isHop(span) && span.operation === `pubsub/${topic}`)) &&
    spans.some((span) => span.service === 'notifier' && span.operation === 'consume OrderCompleted') &&
    spans.filter((span) => span.parentId && !known.has(span.parentId)).length === 0
  );
}

describeWithObservability('an order’s trace as a waterfall in the storefront, from a real Jaeger', () => {
  let observed: ObservedSystem;
  let browser: Browser;
  let removeBuild: (() => void) | undefined;

  beforeAll(async () => {
    const storefront = await buildStorefront();
    removeBuild = storefront.remove;
    observed = await startObservedSystem({
      broker: 'redis',
      basePort: 25300,
      observabilityBasePort: 25350,
      env: { STATIC_DIR: storefront.dir },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await observed?.stop();
    removeBuild?.();
  });

  it('a customer buys, opens "Behind the scenes", and sees every service and sidecar and each pub/sub hop on one time axis', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page: Page = await context.newPage();
    const errors = pageErrors(page);
    await page.goto(observed.system.shopUrl);
    await page.getByText('Live updates on').waitFor();

    await page.getByRole('button', { name: 'Add Gummy Bears to cart' }).click();
    await page.getByRole('button', { name: 'Buy now' }).click();
    await expect.poll(() => page.getByTestId('order-status').textContent(), { timeout: 60_000, interval: 200 }).toBe('Delivered');
    const link = page.getByRole('link', { name: 'Behind the scenes' });
    const orderId = new URL((await link.getAttribute('href'))!, observed.system.shopUrl).searchParams.get('order')!;
    const customerId = await page.evaluate(() => localStorage.getItem('sweetgiggles.customerId'));

    // The trace in Jaeger itself, found by the order's OrderCreated, once every span has arrived.
    let traceIds: string[] = [];
    await expect
      .poll(
        async () =>
          (traceIds = await searchTraceIds(observed.observability.jaegerUrl, 'order', 'publish OrderCreated', {
            'sweetgiggles.order_id': orderId,
          })),
        {
          timeout: 30_000,
          interval: 1_000,
        },
      )
      .toHaveLength(1);
    // Complete, and no longer growing: spans leave each process in batches, every few seconds.
    let seen = { count: -1, since: Date.now() };
    const spans = await waitForTrace(
      observed.observability.jaegerUrl,
      traceIds[0]!,
      (found) => {
        if (found.length !== seen.count) seen = { count: found.length, since: Date.now() };
        return isComplete(found) && Date.now() - seen.since >= 6_000;
      },
      45_000,
    );
    console.info(`trace ${traceIds[0]} of order ${orderId}: ${spans.length} spans`, spanCounts(spans));
    expect(isComplete(spans), JSON.stringify(spanCounts(spans))).toBe(true);
    const hopsInJaeger = spans.filter(isHop);

    // What the shop serves the page: that trace, trimmed, as docs/openapi.yaml says.
    const answer = await fetchChecked(`${observed.system.shopUrl}/api/orders/${orderId}/trace`, {
      headers: { 'customer-id': customerId! },
    });
    expect(answer.status).toBe(200);
    const served = answer.body as OrderTrace;
    expect(served.traceId).toBe(traceIds[0]);
    expect(served.spans).toHaveLength(spans.length);
    expect(
      (await fetchChecked(`${observed.system.shopUrl}/api/orders/${orderId}/trace`, { headers: { 'customer-id': 'someone-else' } })).status,
    ).toBe(404);

    // The waterfall, reached from the order in the storefront.
    await link.click();
    await page.waitForURL(/\/trace\.html\?order=/);
    const rows = page.locator('trace-waterfall li');
    await expect.poll(() => rows.count(), { timeout: 30_000, interval: 200 }).toBe(spans.length);
    const drawn = await rows.evaluateAll((items) =>
      items.map((item) => {
        const track = item.querySelector('.track')!.getBoundingClientRect();
        const bar = item.querySelector('.bar')!.getBoundingClientRect();
        return {
          service: item.getAttribute('data-service'),
          origin: item.getAttribute('data-origin'),
          isHop: item.hasAttribute('data-hop'),
          name: item.querySelector('.name')?.textContent ?? '',
          durationUs: Number(item.getAttribute('data-duration-us')),
          // Where the bar sits on the shared axis, as a fraction of the track.
          left: (bar.left - track.left) / track.width,
          right: (bar.right - track.left) / track.width,
        };
      }),
    );
    for (const service of services) {
      for (const origin of ['app', 'sidecar']) {
        expect(
          drawn.some((row) => row.service === service && row.origin === origin),
          `a row for ${service}'s ${origin}`,
        ).toBe(true);
      }
    }
    // One bar per pub/sub hop, each of some duration, on every topic of the saga, inside the axis.
    const hops = drawn.filter((row) => row.isHop);
    expect(hops.map((row) => `${row.service} ${row.name}`).sort()).toEqual(
      hopsInJaeger.map((span) => `${span.service} ${span.operation}`).sort(),
    );
    for (const topic of topics)
      expect(
        hops.some((row) => row.name === `pubsub/${topic}`),
        `a hop on ${topic}`,
      ).toBe(true);
    for (const hop of hops) {
      expect(hop.durationUs).toBeGreaterThan(0);
      expect(hop.left).toBeGreaterThanOrEqual(0);
      expect(hop.right).toBeLessThanOrEqual(1.001);
      expect(hop.right).toBeGreaterThan(hop.left);
    }
    // Deliveries come after the order is created: their hops sit further right on the axis.
    const earliest = (topic: string) => Math.min(...hops.filter((row) => row.name === `pubsub/${topic}`).map((row) => row.left));
    expect(earliest('deliveries')).toBeGreaterThan(earliest('orders'));

    await expect.poll(() => page.getByText(`${hops.length} pub/sub hops`).count()).toBe(1);
    await screenshot(page, 'trace-waterfall');
    expect(errors).toEqual([]);
    await context.close();
  });
});
