import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { InFlight, Sidecar, createLogger, createMetrics } from '@sweetgiggles/platform';
import { createApp } from './app.ts';
import { CausalOrder } from './causal-order.ts';
import { notificationHandlers } from './handlers/saga-events.ts';
import type { Notification } from './domain/customer-history.ts';
import { NotifierService } from './notifier-service.ts';
import { MemoryHistoryRepository } from './testing/memory-history-repository.ts';

const history = new MemoryHistoryRepository();
const pushed: [string, Notification][] = [];
let server: Server;
let baseUrl: string;
const token = 'notifier-app-token'.padEnd(40, '-');
const asSidecar = { 'dapr-api-token': token };

beforeAll(async () => {
  // No sidecar is called here: the subscriptions answer daprd, and the history is in memory.
  const sidecar = new Sidecar({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 100 });
  const app = createApp({
    sidecar,
    appApiToken: token,
    log: createLogger('notifier-test', 'silent'),
    metrics: createMetrics('notifier-test'),
    inFlight: new InFlight(),
    pubsubName: 'pubsub',
    broadcastPubsubName: 'pubsub-broadcast',
    handlers: notificationHandlers(
      new NotifierService({
        histories: history,
        causalOrder: new CausalOrder({ lookup: async () => false, maxWaitMs: 50 }),
        hub: { publish: (customerId, notification) => pushed.push([customerId, notification]) },
        clock: () => new Date('2026-11-25T10:01:00.000Z'),
        broadcastMaxAgeMs: 300_000,
      }),
    ),
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

interface Declaration {
  pubsubname: string;
  topic: string;
  routes: { rules: { match: string; path: string }[]; default: string };
  deadLetterTopic?: string;
}

const cloudEvent = (id: string, type: string, data: unknown) => ({
  specversion: '1.0',
  id,
  type,
  source: 'payment',
  datacontenttype: 'application/json',
  data,
});
const accepted = { orderId: 'o-1', customerId: 'mia', occurredAt: '2026-11-25T10:00:00.000Z', paymentId: 'p-1', amountCents: 899 };

async function post(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json', ...asSidecar },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

test('declares every saga topic on the durable component and on the broadcast one', async () => {
  const declarations = (await (await fetch(`${baseUrl}/dapr/subscribe`, { headers: asSidecar })).json()) as Declaration[];
  const byComponent = (name: string) => declarations.filter((declaration) => declaration.pubsubname === name);
  expect(
    byComponent('pubsub')
      .map((declaration) => declaration.topic)
      .sort(),
  ).toEqual(['deliveries', 'orders', 'payments']);
  expect(
    byComponent('pubsub-broadcast')
      .map((declaration) => declaration.topic)
      .sort(),
  ).toEqual(['deliveries', 'orders', 'payments']);
  for (const declaration of byComponent('pubsub')) expect(declaration.deadLetterTopic).toBe('dead-letters');
  for (const declaration of byComponent('pubsub-broadcast')) {
    expect(declaration.deadLetterTopic).toBeUndefined();
    for (const rule of declaration.routes.rules) expect(rule.path).toMatch(/^\/broadcast\/events\//);
  }
});

test('an event from either subscription is recorded once and pushed to its customer', async () => {
  const durable = byName(await declarations(), 'pubsub', 'PaymentAccepted');
  const broadcast = byName(await declarations(), 'pubsub-broadcast', 'PaymentAccepted');
  expect(await post(durable, cloudEvent('ce-1', 'PaymentAccepted', accepted))).toEqual({ status: 'SUCCESS' });
  expect(await post(broadcast, cloudEvent('ce-1', 'PaymentAccepted', accepted))).toEqual({ status: 'SUCCESS' });
  expect(pushed.map(([customerId, notification]) => [customerId, notification.seq, notification.name])).toEqual([
    ['mia', 1, 'PaymentAccepted'],
    ['mia', 1, 'PaymentAccepted'],
  ]);
  expect((await history.read('mia')).entries).toHaveLength(1);
});

test('a broadcast delivery of an old event is acknowledged but neither recorded nor pushed', async () => {
  const before = pushed.length;
  const old = { ...accepted, customerId: 'noor', occurredAt: '2026-11-25T09:00:00.000Z' };
  const broadcast = byName(await declarations(), 'pubsub-broadcast', 'PaymentAccepted');
  expect(await post(broadcast, cloudEvent('ce-old', 'PaymentAccepted', old))).toEqual({ status: 'SUCCESS' });
  expect(pushed.length).toBe(before);
  expect((await history.read('noor')).entries).toEqual([]);

  const durable = byName(await declarations(), 'pubsub', 'PaymentAccepted');
  expect(await post(durable, cloudEvent('ce-old', 'PaymentAccepted', old))).toEqual({ status: 'SUCCESS' });
  expect((await history.read('noor')).entries).toHaveLength(1);
});

test('an invalid event is dropped, not pushed', async () => {
  const before = pushed.length;
  const route = byName(await declarations(), 'pubsub-broadcast', 'PaymentAccepted');
  expect(await post(route, cloudEvent('ce-2', 'PaymentAccepted', { orderId: 'o-1' }))).toEqual({ status: 'DROP' });
  expect(pushed.length).toBe(before);
});

test('refuses a forged event without the app API token, and records nothing', async () => {
  const before = pushed.length;
  const route = byName(await declarations(), 'pubsub', 'PaymentAccepted');
  for (const headers of [{}, { 'dapr-api-token': 'guess' }]) {
    const response = await fetch(baseUrl + route, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', ...headers },
      body: JSON.stringify(cloudEvent('forged', 'PaymentAccepted', { ...accepted, customerId: 'victim' })),
    });
    expect(response.status).toBe(401);
  }
  expect(pushed.length).toBe(before);
  expect((await history.read('victim')).entries).toEqual([]);
});

test('serves neither the storefront nor the shop API on the sidecar port', async () => {
  expect((await fetch(`${baseUrl}/api/catalog`, { headers: asSidecar })).status).toBe(404);
  expect((await fetch(`${baseUrl}/`, { headers: asSidecar })).status).toBe(404);
});

async function declarations(): Promise<Declaration[]> {
  return (await (await fetch(`${baseUrl}/dapr/subscribe`, { headers: asSidecar })).json()) as Declaration[];
}

function byName(list: Declaration[], component: string, event: string): string {
  const rule = list
    .filter((declaration) => declaration.pubsubname === component)
    .flatMap((declaration) => declaration.routes.rules)
    .find((candidate) => candidate.match.includes(`"${event}"`));
  if (!rule) throw new Error(`no route for ${event} on ${component}`);
  return rule.path;
}
