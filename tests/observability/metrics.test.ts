import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceNames } from '../../scripts/lib/system.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { cadvisorContainerMetrics, expandGrafanaVariables, metricNames, promQueries, readDashboards } from './support/dashboards.ts';
import { startObservedSystem, type ObservedSystem } from './support/observed-system.ts';
import { eventually, exposedNames, query, queryValue, targets } from './support/prometheus.ts';
import { describeWithObservability } from './support/tools.ts';

/**
 * Dashboard panels whose series appear only after something these tests do not cause: a dead
 * letter, a WebSocket closed by the notifier, a failed request or event.
 */
const panelsThatNeedTrouble = new Set([
  'Dead letters',
  'WebSocket disconnects',
  'HTTP errors',
  'Event retries and drops',
  'Sidecar API errors',
]);

describeWithObservability('metrics in a real Prometheus', () => {
  let observed: ObservedSystem;
  let shop: ShopClient;
  let prometheus: string;

  beforeAll(async () => {
    observed = await startObservedSystem({ broker: 'redis', basePort: 25200, observabilityBasePort: 25250 });
    shop = new ShopClient(observed.system.shopUrl);
    prometheus = observed.observability.prometheusUrl;
    // Each wave: an order that completes and one above the card limit, which is declined. Counters
    // with labels appear at their first increment, which rate() and increase() cannot see: the
    // second wave, a few scrapes later, is what the dashboards show.
    for (const wave of ['a', 'b']) {
      const orders = await Promise.all([
        shop.placeOrder(`metrics-${wave}-1`, [{ sku: 'gummy-bears', quantity: 1 }]),
        shop.placeOrder(`metrics-${wave}-2`, [{ sku: 'chocolate-truffles', quantity: 60 }]),
      ]);
      const ended = await Promise.all(orders.map((order) => shop.waitForEnd(order.orderId, 60_000)));
      expect(ended.map((order) => order.status)).toEqual(['completed', 'cancelled']);
      await delay(3_000);
    }
  });

  afterAll(async () => {
    await observed?.stop();
  });

  it('scrapes every app and every sidecar', async () => {
    const all = await eventually(
      () => targets(prometheus),
      (found) => found.filter((target) => target.health === 'up').length === 9,
      20_000,
    );
    const { ports } = observed.system.options;
    expect(
      all
        .map(({ job, instance, health, lastError }) => ({ job, instance, health, lastError }))
        .sort((a, b) => a.instance.localeCompare(b.instance)),
    ).toEqual(
      [
        // Each app's metrics are where its sidecar calls it: the notifier's internal port, not the shop's.
        ...serviceNames.map((name) => ({
          job: 'services',
          instance: `127.0.0.1:${ports[name].appInternal ?? ports[name].app}`,
          health: 'up',
          lastError: '',
        })),
        ...serviceNames.map((name) => ({
          job: 'dapr-sidecars',
          instance: `127.0.0.1:${ports[name].daprMetrics}`,
          health: 'up',
          lastError: '',
        })),
        { job: 'prometheus', instance: prometheus.replace('http://', ''), health: 'up', lastError: '' },
      ].sort((a, b) => a.instance.localeCompare(b.instance)),
    );
  });

  /**
   * Each series, summed as Prometheus answers it, equals what the app counts itself on its own
   * `/metrics`, and is at least `atLeast`.
   */
  async function readsBack(app: 'order' | 'delivery', series: [name: string, labels: Record<string, string>, atLeast: number][]) {
    const url = `${observed.system.appUrl(app)}/metrics`;
    for (const [name, labels, atLeast] of series) {
      const selector = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
      const expr = `sum(${name}${selector.length > 0 ? `{${selector.join(',')}}` : ''})`;
      const expected = await readMetric(url, name, labels);
      expect(expected, expr).toBeGreaterThanOrEqual(atLeast);
      expect(
        await eventually(
          () => queryValue(prometheus, expr),
          (value) => value === expected,
          15_000,
        ),
        expr,
      ).toBe(expected);
    }
  }

  it('reads the order counters and the saga histogram back as the order service counts them', async () => {
    await readsBack('order', [
      ['sweetgiggles_orders_placed_total', {}, 2],
      ['sweetgiggles_orders_ended_total', { status: 'completed' }, 2],
      ['sweetgiggles_orders_ended_total', { status: 'cancelled', reason: 'payment_declined' }, 1],
      ['sweetgiggles_saga_duration_seconds_count', {}, 2],
    ]);
    const p50 = await queryValue(prometheus, 'histogram_quantile(0.5, sum by (le) (sweetgiggles_saga_duration_seconds_bucket))');
    const mean = await queryValue(
      prometheus,
      'sum(sweetgiggles_saga_duration_seconds_sum) / sum(sweetgiggles_saga_duration_seconds_count)',
    );
    // With no simulated delays a saga takes milliseconds; some orders here wait for a declined payment.
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThan(60);
    expect(mean).toBeGreaterThan(0);
    const declined = await queryValue(prometheus, 'sum(sweetgiggles_payments_total{outcome="declined"})');
    expect(declined).toBeGreaterThanOrEqual(1);
  });

  it('reads the delivery counters back as the delivery service counts them', async () => {
    await readsBack('delivery', [
      ['sweetgiggles_deliveries_started_total', {}, 2],
      ['sweetgiggles_deliveries_ended_total', { outcome: 'completed' }, 2],
      ['sweetgiggles_worker_searches_total', { outcome: 'accepted' }, 2],
    ]);
  });

  it('reads the sidecars: API calls, pub/sub deliveries and state operations per app', async () => {
    const byApp = async (expr: string) => Object.fromEntries((await query(prometheus, expr)).map((s) => [s.metric.app_id, s.value]));
    const api = await byApp('sum by (app_id) (dapr_http_server_request_count)');
    const delivered = await byApp('sum by (app_id) (dapr_component_pubsub_ingress_count{process_status="success"})');
    const state = await byApp('sum by (app_id) (dapr_component_state_count{success="true"})');
    for (const name of serviceNames) {
      expect(api[name], `${name}'s sidecar API calls`).toBeGreaterThan(0);
      expect(delivered[name], `${name}'s pub/sub deliveries`).toBeGreaterThan(0);
      expect(state[name], `${name}'s state operations`).toBeGreaterThan(0);
    }
  });

  it('evaluates every dashboard query, and the shop and services panels show data', async () => {
    const empty: string[] = [];
    for (const dashboard of Object.values(readDashboards())) {
      for (const { where, panel, expr } of promQueries(dashboard)) {
        const samples = await query(prometheus, expandGrafanaVariables(expr, dashboard));
        const expectsData = dashboard.uid !== 'sweetgiggles-containers' && !panelsThatNeedTrouble.has(panel?.title ?? '');
        if (expectsData && samples.filter((s) => Number.isFinite(s.value)).length === 0) empty.push(where);
      }
    }
    expect(empty).toEqual([]);
  });

  it('reads in its dashboards only metrics that the services and sidecars expose, or cAdvisor documents', async () => {
    const { ports } = observed.system.options;
    const exposed = new Set<string>(cadvisorContainerMetrics);
    for (const name of serviceNames) {
      for (const url of [`${observed.system.sidecarAppUrl(name)}/metrics`, `http://127.0.0.1:${ports[name].daprMetrics}/`]) {
        for (const metric of exposedNames(await (await fetch(url)).text())) exposed.add(metric);
      }
    }
    const unknown = Object.values(readDashboards()).flatMap((dashboard) =>
      promQueries(dashboard).flatMap(({ where, expr }) =>
        metricNames(expr)
          .filter((name) => !exposed.has(name))
          .map((name) => `${where}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
  });
});
