import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderView } from '@sweetgiggles/contracts';
import { ShopClient } from '../support/shop-client.ts';
import { newTraceparent, spanCounts, waitForTrace, type SpanView } from './support/jaeger.ts';
import { startObservedSystem, type ObservedSystem } from './support/observed-system.ts';
import { describeWithObservability } from './support/tools.ts';

const runs = [
  { broker: 'redis', basePort: 25000, observabilityBasePort: 25050 },
  { broker: 'rabbitmq', basePort: 25100, observabilityBasePort: 25150 },
] as const;

/** What a whole saga must leave in its trace: every service's own spans and its sidecar's, and each pub/sub hop. */
const expectedInTrace: { what: string; matches: (span: SpanView) => boolean }[] = [
  ...(['notifier', 'order', 'payment', 'delivery'] as const).flatMap((service) => [
    { what: `${service}'s own spans`, matches: (span: SpanView) => span.service === service && span.origin === 'app' },
    { what: `${service}'s sidecar spans`, matches: (span: SpanView) => span.service === service && span.origin === 'sidecar' },
  ]),
  ...['orders', 'payments', 'deliveries'].map((topic) => ({
    what: `a sidecar delivering from topic ${topic}`,
    matches: (span: SpanView) => span.origin === 'sidecar' && span.operation === `pubsub/${topic}`,
  })),
  ...[
    ['payment', 'OrderCreated'],
    ['delivery', 'PaymentAccepted'],
    ['delivery', 'WorkerAcceptedJob'],
    ['order', 'DeliveryCompleted'],
    ['notifier', 'OrderCompleted'],
  ].map(([service, event]) => ({
    what: `${service} consuming ${event}`,
    matches: (span: SpanView) => span.service === service && span.operation === `consume ${event}`,
  })),
];

function missingFrom(spans: SpanView[]): string[] {
  return expectedInTrace.filter((expected) => !spans.some(expected.matches)).map((expected) => expected.what);
}

describeWithObservability('one trace per order in a real Jaeger', () => {
  describe.each(runs)('on $broker', ({ broker, basePort, observabilityBasePort }) => {
    let observed: ObservedSystem;
    let shop: ShopClient;

    beforeAll(async () => {
      observed = await startObservedSystem({ broker, basePort, observabilityBasePort });
      shop = new ShopClient(observed.system.shopUrl);
    });

    afterAll(async () => {
      await observed?.stop();
    });

    it('follows an order from the browser through every service, sidecar and pub/sub hop in one trace', async () => {
      const browser = newTraceparent();
      const response = await fetch(`${shop.baseUrl}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: browser.traceparent },
        body: JSON.stringify({ customerId: `trace-${broker}`, items: [{ sku: 'gummy-bears', quantity: 2 }] }),
      });
      expect(response.status).toBe(201);
      const placed = (await response.json()) as OrderView;
      shop.remember(placed);
      const ended = await shop.waitForEnd(placed.orderId, 60_000);
      expect(ended.status).toBe('completed');

      // Spans reach Jaeger in batches, a child sometimes before its parent: wait for the whole tree.
      const orphans = (spans: SpanView[]) => {
        const known = new Set([browser.spanId, ...spans.map((span) => span.spanId)]);
        return spans.filter((span) => !span.parentId || !known.has(span.parentId));
      };
      const spans = await waitForTrace(
        observed.observability.jaegerUrl,
        browser.traceId,
        (found) => missingFrom(found).length === 0 && orphans(found).length === 0,
        30_000,
      );
      const counts = spanCounts(spans);
      console.info(`trace ${browser.traceId} on ${broker}: ${spans.length} spans`, counts);
      expect(missingFrom(spans), `the trace has ${JSON.stringify(counts)}`).toEqual([]);
      // One tree, rooted at the browser's span: no span hangs off a parent outside the trace.
      expect(orphans(spans).map((span) => `${span.service} ${span.operation}`)).toEqual([]);

      // And it is this order's trace: every event consumed in it was about this order.
      const consumed = spans.filter((span) => span.origin === 'app' && span.operation.startsWith('consume '));
      expect(new Set(consumed.map((span) => span.tags['sweetgiggles.order_id']))).toEqual(new Set([placed.orderId]));
    });
  });
});
