import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { events, topics } from '../../services/contracts/src/events.ts';
import { serviceNames, type ServiceName } from '../../scripts/lib/system.ts';
import { rawRequest, traversalPaths } from '../../services/notifier/src/testing/raw-http.ts';
import { TestClient } from '../../services/notifier/src/testing/ws-client.ts';
import { fetchChecked } from '../support/api-contract.ts';
import { happyPath } from '../../scripts/lib/saga-rules.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

/** What only the sidecar's own API would answer with: a traversal that shows one of these got through. */
const sidecarMarkers = ['"appConnectionProperties"', '"components"', '"runtimeVersion"', '"subscriptions"', 'invalid api token'];

/** Sends bytes on a fresh TCP connection and returns what comes back until the server closes it. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

const upgrade = (target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;

/** Opens a socket and reports how the notifier answered: open, or refused with an HTTP status. */
function tryOpen(url: string): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    socket.once('error', () => resolve({ status: 0 }));
  });
}

describe.each<{ broker: Broker; basePort: number }>([
  { broker: 'redis', basePort: 23700 },
  { broker: 'rabbitmq', basePort: 23750 },
])('a hostile client against the real system on $broker', ({ broker, basePort }) => {
  let system: RunningSystem;
  let shop: ShopClient;
  const restarts: string[] = [];
  const pids = new Map<string, number | undefined>();

  beforeAll(async () => {
    system = await startSystem({
      broker,
      basePort,
      env: { WS_MAX_CONNECTIONS_PER_ADDRESS: '5', WS_MAX_HANDSHAKES_PER_MINUTE: '60', WS_SUBSCRIBE_TIMEOUT_MS: '1000' },
      report: (line) => restarts.push(line),
    });
    shop = new ShopClient(system.shopUrl);
    for (const name of serviceNames) for (const role of ['app', 'sidecar'] as const) pids.set(`${name} ${role}`, system.pid(name, role));
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('never lets a path, in any encoding, reach the sidecar API through the shop', async () => {
    for (const path of traversalPaths) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const answer = await rawRequest(
          system.shopUrl,
          method,
          path,
          { 'content-type': 'application/json' },
          method === 'POST' ? '{}' : undefined,
        );
        expect(answer.status, `${method} ${path}`).toBeLessThan(500);
        for (const marker of sidecarMarkers) expect(answer.body, `${method} ${path}`).not.toContain(marker);
      }
    }
    expect((await rawRequest(system.shopUrl, 'GET', '/api/%E0')).status).toBe(400);
  });

  it("keeps each sidecar's API to its app: no token, no answer; with it, only state, publish and invocation", async () => {
    for (const name of serviceNames) {
      expect((await fetch(`${system.sidecarUrl(name)}/v1.0/metadata`)).status).toBe(401);
      expect((await fetch(`${system.sidecarUrl(name)}/v1.0/shutdown`, { method: 'POST' })).status).toBe(401);
      const withToken = await fetch(`${system.sidecarUrl(name)}/v1.0/metadata`, { headers: system.sidecarHeaders(name) });
      expect(withToken.ok).toBe(false);
      await withToken.body?.cancel();
      const shutdown = await fetch(`${system.sidecarUrl(name)}/v1.0/shutdown`, { method: 'POST', headers: system.sidecarHeaders(name) });
      expect(shutdown.ok).toBe(false);
      await shutdown.body?.cancel();
    }
  });

  it('lets no service publish on a topic that is not its own', async () => {
    const order = await shop.placeOrder(`hostile-${broker}-topics`, [{ sku: 'gummy-bears', quantity: 1 }]);
    for (const [name, topic] of [
      ['notifier', 'payments'],
      ['order', 'payments'],
      ['payment', 'deliveries'],
      ['delivery', 'orders'],
    ] as [ServiceName, string][]) {
      const published = await fetch(`${system.sidecarUrl(name)}/v1.0/publish/pubsub/${topic}`, {
        method: 'POST',
        headers: { 'content-type': 'application/cloudevents+json', ...system.sidecarHeaders(name) },
        body: JSON.stringify({
          specversion: '1.0',
          id: randomUUID(),
          source: name,
          type: 'PaymentDeclined',
          data: { orderId: order.orderId },
        }),
      });
      expect(published.status, `${name} → ${topic}`).toBe(403);
      await published.body?.cancel();
    }
  });

  it('refuses forged CloudEvents without the app API token on every app port, and they change nothing', async () => {
    const order = await shop.placeOrder(`hostile-${broker}-forged`, [{ sku: 'gummy-bears', quantity: 1 }]);
    // Every step of the happy path recorded: an event of another topic may reach the order after its
    // end (RabbitMQ keeps no order across queues). Then let the last events reach every subscriber.
    const ended = await shop.waitFor(
      order.orderId,
      (o) => o.status === 'completed' && happyPath.every((name) => o.history.some((entry) => entry.name === name)),
      120_000,
    );
    await delay(2_000);
    const consumedBefore = new Map<ServiceName, number>();
    for (const name of serviceNames)
      consumedBefore.set(name, await readMetric(`${system.sidecarAppUrl(name)}/metrics`, 'sweetgiggles_events_consumed_total'));
    const victim = `victim-${broker}`;
    const forged = (type: string, data: object) =>
      JSON.stringify({ specversion: '1.0', id: randomUUID(), source: 'attacker', type, datacontenttype: 'application/json', data });
    const cancelled = { orderId: order.orderId, customerId: victim, occurredAt: new Date().toISOString(), reason: 'customer_request' };
    const targets: [ServiceName, string][] = [
      ['order', '/events/payment-declined'],
      ['payment', '/events/order-cancelled'],
      ['delivery', '/events/order-cancellation-requested'],
      ['notifier', '/events/order-cancelled'],
      ['notifier', '/broadcast/events/order-cancelled'],
      ['order', '/events/not-handled'],
      ['order', '/events/dead-letter'],
      // The operator's routes: a replay of every parked dead letter, a republish of a kept event.
      ['order', '/operator/dead-letters/replay'],
      ['payment', '/operator/republish'],
      ['delivery', '/operator/republish'],
    ];
    for (const [name, route] of targets) {
      for (const headers of [{}, { 'dapr-api-token': 'guessed' }, system.sidecarHeaders(name)]) {
        const response = await fetch(`${system.sidecarAppUrl(name)}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents+json', ...headers },
          body: forged('OrderCancelled', cancelled),
        });
        expect(response.status, `${name} ${route}`).toBe(401);
        await response.body?.cancel();
      }
      expect((await fetch(`${system.sidecarAppUrl(name)}/dapr/subscribe`)).status).toBe(401);
    }
    // The shop's port has no event or operator routes at all.
    for (const route of [
      '/events/order-cancelled',
      '/broadcast/events/order-cancelled',
      '/dapr/subscribe',
      '/metrics',
      '/operator/dead-letters/replay',
      '/operator/republish',
    ]) {
      const response = await rawRequest(
        system.shopUrl,
        route === '/dapr/subscribe' || route === '/metrics' ? 'GET' : 'POST',
        route,
        {
          'content-type': 'application/json',
        },
        route.startsWith('/events') || route.startsWith('/broadcast') ? forged('OrderCancelled', cancelled) : undefined,
      );
      expect(response.status, route).toBe(404);
    }
    await delay(1_000);
    for (const name of serviceNames) {
      expect(await readMetric(`${system.sidecarAppUrl(name)}/metrics`, 'sweetgiggles_events_consumed_total'), name).toBe(
        consumedBefore.get(name),
      );
    }
    expect(await shop.getOrder(order.orderId)).toEqual(ended);
    const watcher = await TestClient.open(`${system.shopUrl.replace('http', 'ws')}/ws`);
    await watcher.subscribe(victim);
    await delay(300);
    expect(watcher.eventIds).toEqual([]);
    watcher.socket.close();
  });

  it('keeps metric labels to fixed sets, whatever a delivery says its topic or type is', async () => {
    for (let i = 0; i < 50; i++) {
      const marker = `label-bomb-${i}-${randomUUID()}`;
      for (const route of ['/events/not-handled', '/events/dead-letter']) {
        const response = await fetch(`${system.sidecarAppUrl('order')}${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents+json', ...system.appApiHeaders('order') },
          body: JSON.stringify({ specversion: '1.0', id: marker, source: marker, type: marker, topic: marker, data: {} }),
        });
        expect(response.status).toBe(200);
        await response.body?.cancel();
      }
    }
    const text = await (await fetch(`${system.sidecarAppUrl('order')}/metrics`)).text();
    expect(text).not.toContain('label-bomb');
    // Every value of the labels a delivery could sway comes from the contract or a fixed fallback.
    const allowed: Record<string, Set<string>> = {
      topic: new Set([...Object.values(topics), 'unknown']),
      event: new Set([...Object.keys(events), 'invalid']),
      type: new Set([...Object.keys(events), 'invalid']),
    };
    const series = text.split('\n').filter((line) => /^sweetgiggles_(events_consumed|dead_letters)_total\{/.test(line));
    expect(series.length).toBeGreaterThan(0);
    for (const line of series) {
      for (const [, label, value] of line.matchAll(/(\w+)="([^"]*)"/g)) {
        if (allowed[label!]) expect(allowed[label!]!.has(value!), line).toBe(true);
      }
    }
  });

  it('answers malformed WebSocket upgrades with a 400 or a refusal, and stays up', async () => {
    const port = Number(new URL(system.shopUrl).port);
    for (const target of ['//a:99999/ws', '//ws', 'http://[::1/ws', '*', 'ws', '/%E0/ws']) {
      const answer = await rawExchange(port, upgrade(target));
      expect(answer, target).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    for (const extra of ['Sec-WebSocket-Version: 99\r\n', 'Origin: https://evil.example\r\n']) {
      const answer = await rawExchange(port, upgrade('/ws', extra).replace('Sec-WebSocket-Version: 13\r\n', ''));
      expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    }
    const noKey = upgrade('/ws').replace(/Sec-WebSocket-Key: [^\r]*\r\n/, '');
    expect(await rawExchange(port, noKey)).toMatch(/^HTTP\/1\.1 400 /);
    expect((await fetch(`${system.shopUrl}/healthz`)).ok).toBe(true);
  });

  it('closes a socket that sends an oversized frame', async () => {
    const client = await TestClient.open(`${system.shopUrl.replace('http', 'ws')}/ws`);
    client.send(JSON.stringify({ type: 'subscribe', customerId: 'x', padding: 'x'.repeat(200_000) }));
    expect((await client.closed).code).toBe(1009);
  });

  it('closes a socket that never subscribes', async () => {
    const client = await TestClient.open(`${system.shopUrl.replace('http', 'ws')}/ws`);
    const started = Date.now();
    expect((await client.closed).code).toBe(1008);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('caps the sockets one address may hold', async () => {
    const url = `${system.shopUrl.replace('http', 'ws')}/ws`;
    const attempts = await Promise.all(Array.from({ length: 12 }, () => tryOpen(url)));
    const opened = attempts.filter((attempt) => attempt.socket);
    expect(opened.length).toBeLessThanOrEqual(5);
    expect(attempts.filter((attempt) => attempt.status === 429).length).toBeGreaterThanOrEqual(7);
    for (const attempt of opened) attempt.socket?.terminate();
    await delay(300);
  });

  it('shows and cancels an order only for the customer who placed it', async () => {
    const order = await shop.placeOrder(`owner-${broker}`, [{ sku: 'gummy-bears', quantity: 1 }]);
    for (const headers of [{}, { 'customer-id': 'someone-else' }, { 'customer-id': `owner-${broker}x` }]) {
      const read = await fetchChecked(`${system.shopUrl}/api/orders/${order.orderId}`, { headers });
      expect(read.status).toBe(404);
      expect(JSON.stringify(read.body)).not.toContain(`owner-${broker}`);
      const cancel = await fetchChecked(`${system.shopUrl}/api/orders/${order.orderId}`, { method: 'DELETE', headers });
      expect(cancel.status).toBe(404);
    }
    const ended = await shop.waitForEnd(order.orderId, 120_000);
    expect(ended.status).toBe('completed');
  });

  it('limits how fast one address may open sockets', async () => {
    // Last, as it spends this address's budget for a minute.
    const url = `${system.shopUrl.replace('http', 'ws')}/ws`;
    let opened = 0;
    let refused = false;
    while (!refused && opened <= 60) {
      const attempt = await tryOpen(url);
      refused = attempt.status === 429;
      if (attempt.socket) opened += 1;
      attempt.socket?.terminate();
    }
    expect(refused).toBe(true);
    expect(opened).toBeLessThan(60);
  });

  it('after all of that, every process is the one it started with, and an order still completes', async () => {
    for (const name of serviceNames) {
      for (const role of ['app', 'sidecar'] as const) {
        const pid = system.pid(name, role);
        expect(pid, `${name} ${role}`).toBe(pids.get(`${name} ${role}`));
        expect(() => process.kill(pid!, 0)).not.toThrow();
      }
    }
    expect(restarts).toEqual([]);
    const order = await shop.placeOrder(`hostile-${broker}-last`, [{ sku: 'jelly-beans', quantity: 2 }]);
    expect((await shop.waitForEnd(order.orderId, 120_000)).status).toBe('completed');
  });
});
