import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { OrderView } from '@sweetgiggles/contracts';
import { serviceNames } from '../../scripts/lib/ports.ts';
import { instantSimulation } from '../../scripts/lib/simulation.ts';
import { repoRoot } from '../../scripts/lib/system.ts';
import { newTraceparent, spanCounts, waitForTrace, type SpanView } from '../observability/support/jaeger.ts';
import { eventually, targets } from '../observability/support/prometheus.ts';
import { OrderFlow } from '../../scripts/lib/order-flow.ts';
import { ShopClient } from '../support/shop-client.ts';
import { dockerAvailability, hasImage } from '../support/docker.ts';
import { ComposeProject } from './support/compose-project.ts';

/**
 * `docker compose up --build --wait` for real, on Redis and on RabbitMQ: the shop serves orders to
 * the end, every app and sidecar reports to Jaeger and Prometheus, and `docker compose stop` drains
 * every app through its live sidecar with nothing exiting non-zero. Each broker runs as a Compose
 * project of its own, with its ports published on loopback at ports no other suite uses; the images
 * are built once, by the first.
 */
const runs = [
  { broker: 'redis', ports: { shop: 27800, jaeger: 27801, prometheus: 27802 }, brokerGoneFirst: false },
  // On RabbitMQ the broker stops first, with work in flight, as when it fails: the sidecars then
  // hold deliveries they can neither hand over nor give back, and must still stop in time.
  { broker: 'rabbitmq', ports: { shop: 27810, jaeger: 27811, prometheus: 27812 }, brokerGoneFirst: true },
] as const;

/** Services that may have no image here (no registry, and no local stand-in): left out, and their scrape target with them. */
const optional = ['grafana', 'cadvisor'];
const images = (parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> })
  .services;

const docker = await dockerAvailability();
if (process.env['CI'] === 'true' && !(docker.engine && docker.compose)) {
  throw new Error(
    `The Compose suite runs in CI and needs a Docker engine with Compose v2 (${docker.engine ? 'docker compose is missing' : 'no engine answers'}): run scripts/deploy/docker-engine.sh, as setup does with CI=true.`,
  );
}
const leftOut: string[] = [];
for (const service of optional) if (docker.engine && !(await hasImage(images[service]!.image))) leftOut.push(service);

function overrideFor(ports: (typeof runs)[number]['ports']): string {
  const environment = Object.entries(instantSimulation)
    .map(([key, value]) => `      ${key}: '${value}'`)
    .join('\n');
  return [
    'services:',
    '  notifier-dapr:',
    `    ports: !override ['127.0.0.1:${ports.shop}:8080']`,
    '  jaeger:',
    `    ports: !override ['127.0.0.1:${ports.jaeger}:16686']`,
    '  prometheus:',
    `    ports: !override ['127.0.0.1:${ports.prometheus}:9090']`,
    ...['rabbitmq', 'grafana', 'cadvisor'].flatMap((service) => [`  ${service}:`, '    ports: !reset []']),
    // No waiting and no chance in the simulated world: every order completes, promptly.
    ...serviceNames.flatMap((app) => [`  ${app}:`, '    environment:', environment]),
    '',
  ].join('\n');
}

let built = false;

describe.skipIf(!docker.engine || !docker.compose).each(runs)('docker compose on $broker', ({ broker, ports, brokerGoneFirst }) => {
  const project = new ComposeProject({
    name: `sweetgiggles-test-${broker}-${process.pid}`,
    env: { PUBSUB: broker },
    override: overrideFor(ports),
  });
  const shop = new ShopClient(`http://127.0.0.1:${ports.shop}`);
  const jaegerUrl = `http://127.0.0.1:${ports.jaeger}`;
  const prometheusUrl = `http://127.0.0.1:${ports.prometheus}`;
  let services: string[];

  beforeAll(async () => {
    const all = (await project.compose(['config', '--services'])).split('\n').filter(Boolean);
    services = all.filter((service) => !leftOut.includes(service));
    const started = Date.now();
    try {
      await project.compose(['up', ...(built ? [] : ['--build']), '--wait', '--wait-timeout', '240', ...services], 600_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\n${await project.diagnose()}`, { cause: error });
    }
    built = true;
    console.info(
      `compose on ${broker}: up in ${((Date.now() - started) / 1000).toFixed(1)} s (left out: ${leftOut.join(', ') || 'nothing'})`,
    );
  }, 660_000);

  afterAll(async () => {
    await project.down();
  }, 120_000);

  it('completes orders placed through the shop port', async () => {
    const flow = new OrderFlow(shop);
    flow.start(5, `compose-${broker}`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await flow.stop();
    expect(flow.refused).toEqual([]);
    expect(flow.accepted.length).toBeGreaterThanOrEqual(8);
    const { ended, open } = await flow.waitForAllSettled(60_000);
    expect(open).toEqual([]);
    expect(ended.map((order) => order.status)).toEqual(ended.map(() => 'completed'));
  });

  it("puts every app's and every sidecar's spans of one order in Jaeger, and the shop shows that trace", async () => {
    const browser = newTraceparent();
    const response = await fetch(`${shop.baseUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: browser.traceparent },
      body: JSON.stringify({ customerId: `compose-trace-${broker}`, items: [{ sku: 'gummy-bears', quantity: 1 }] }),
    });
    expect(response.status).toBe(201);
    const placed = (await response.json()) as OrderView;
    shop.remember(placed);
    expect((await shop.waitForEnd(placed.orderId, 60_000)).status).toBe('completed');
    const missing = (spans: Pick<SpanView, 'service' | 'origin'>[]) =>
      serviceNames.flatMap((service) =>
        (['app', 'sidecar'] as const)
          .filter((origin) => !spans.some((s) => s.service === service && s.origin === origin))
          .map((origin) => `${service}/${origin}`),
      );
    const spans = await waitForTrace(jaegerUrl, browser.traceId, (found) => missing(found).length === 0, 30_000);
    expect(missing(spans), `the trace has ${JSON.stringify(spanCounts(spans))}`).toEqual([]);
    // The storefront's "Behind the scenes" page reads the same trace through the shop's port.
    expect((await shop.tracing()).body).toEqual({ enabled: true });
    const shown = await eventually(
      () => shop.trace(placed.orderId),
      (answer) => answer.status === 200 && missing(answer.body.spans).length === 0,
      30_000,
    );
    expect(shown.status).toBe(200);
    expect(shown.body.traceId).toBe(browser.traceId);
    expect(missing(shown.body.spans)).toEqual([]);
  });

  it('lets Prometheus scrape every app, sidecar and itself', async () => {
    const running = new Set(services);
    const scraped = await eventually(
      () => targets(prometheusUrl),
      (found) => found.length > 0 && found.every((t) => t.health === 'up' || !running.has(t.instance.split(':')[0]!)),
      40_000,
    );
    const wanted = scraped.filter((t) => t.instance.startsWith('localhost:') || running.has(t.instance.split(':')[0]!));
    expect(wanted.filter((t) => t.health !== 'up').map((t) => `${t.job} ${t.instance}: ${t.lastError}`)).toEqual([]);
    for (const app of serviceNames) {
      expect(
        wanted
          .filter((t) => t.instance.startsWith(`${app}:`))
          .map((t) => t.job)
          .sort(),
        app,
      ).toEqual(['dapr-sidecars', 'services']);
    }
    expect(wanted.some((t) => t.job === 'prometheus')).toBe(true);
  });

  it('stops every app, drained, before its sidecar, and nothing exits non-zero', async () => {
    // Orders still arriving while Compose stops the project: the apps have work in flight.
    const flow = new OrderFlow(shop);
    flow.start(5, `compose-stop-${broker}`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    if (brokerGoneFirst) await project.compose(['stop', broker]);
    const stopping = project.compose(['stop'], 180_000);
    await flow.stop();
    await stopping;

    const containers = await project.containers();
    const failed = await Promise.all(
      containers
        .filter((c) => c.exitCode !== 0)
        .map(
          async (c) =>
            `${c.service} exited ${c.exitCode}; its log ends:\n${(await project.logs(c.service)).trim().split('\n').slice(-8).join('\n')}`,
        ),
    );
    expect(failed).toEqual([]);
    const stoppedAt = new Map(containers.map((c) => [c.service, c.finishedAt]));
    for (const app of serviceNames) {
      expect(stoppedAt.get(app)!, `${app} stopped before ${app}-dapr`).toBeLessThanOrEqual(stoppedAt.get(`${app}-dapr`)!);
      const log = await project.logs(app);
      expect(log, app).toContain('"msg":"shutting down"');
      expect(log, app).toContain('"msg":"stopped"');
      expect(log, app).not.toContain('in-flight work did not finish in time');
      expect(await project.logs(`${app}-dapr`), `${app}-dapr`).not.toContain('Graceful shutdown timeout exceeded');
    }
  });
});
