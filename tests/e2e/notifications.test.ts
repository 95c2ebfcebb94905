import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { happyPath } from '../../scripts/lib/saga-rules.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';
import { isUnbrokenSequence, NotificationClient } from '../../scripts/lib/notification-client.ts';
import { repoRoot } from '../../scripts/lib/system.ts';

/**
 * The notifier's WebSocket side against the real system: real daprd sidecars, the real saga, two
 * notifier replicas sharing the history in notifierstore, on each broker.
 */
const brokers: { broker: Broker; basePort: number }[] = [
  { broker: 'redis', basePort: 23500 },
  { broker: 'rabbitmq', basePort: 23600 },
];
const hasBroadcast = (broker: Broker) => existsSync(join(repoRoot, 'components', broker, 'pubsub-broadcast.yaml'));

describe.each(brokers)('notifications on $broker', ({ broker, basePort }) => {
  let system: RunningSystem;
  let shop: ShopClient;
  const clients: NotificationClient[] = [];
  const customer = () => `ws-${broker}-${randomUUID().slice(0, 8)}`;
  const connect = async (url: string, options: Parameters<typeof NotificationClient.open>[1]) => {
    const client = await NotificationClient.open(url, options);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // Two replicas need the broadcast component; without it, one replica still gets every event.
    system = await startSystem({
      broker,
      basePort,
      replicas: { notifier: hasBroadcast(broker) ? 2 : 1 },
      env: { PICKUP_DELAY_MS: '1000', WS_ALLOWED_ORIGINS: 'http://localhost:5173' },
    });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await system?.stop();
  });

  it('pushes every step of the saga to the customer, in order, with ids 1, 2, 3, …', async () => {
    const customerId = customer();
    const client = await connect(system.shopUrl, { customerId });
    const order = await shop.placeOrder(customerId, [{ sku: 'gummy-bears', quantity: 2 }]);
    await client.waitForEnd(order.orderId);
    expect(client.events.map((event) => event.name)).toEqual(happyPath);
    expect(isUnbrokenSequence(client.events.map((event) => event.id))).toBe(true);
    expect(client.events[0]).toMatchObject({ orderId: order.orderId, data: { customerId, orderId: order.orderId } });
  });

  it('a client that reconnects with its last id gets what it missed, then live events, each once', async () => {
    const customerId = customer();
    const first = await connect(system.shopUrl, { customerId });
    const order = await shop.placeOrder(customerId, [{ sku: 'candy-canes', quantity: 1 }]);
    await first.waitFor(() => first.events.some((event) => event.name === 'PaymentAccepted'));
    first.close();
    const seen = first.events;
    const lastEventId = seen.at(-1)!.id;

    const again = await connect(system.shopUrl, { customerId, lastEventId });
    await again.waitForEnd(order.orderId);
    const ids = [...seen, ...again.events].map((event) => event.id);
    expect(isUnbrokenSequence(ids)).toBe(true);
    expect([...seen, ...again.events].map((event) => event.name)).toEqual(happyPath);
  });

  it.skipIf(!hasBroadcast(broker))('every replica pushes every event, with the same ids', async () => {
    const customerId = customer();
    const [one, two] = await Promise.all(system.notifierUrls.map((url) => connect(url, { customerId })));
    const orders = await Promise.all([1, 2, 3].map((quantity) => shop.placeOrder(customerId, [{ sku: 'jelly-beans', quantity }])));
    for (const client of [one!, two!]) for (const order of orders) await client.waitForEnd(order.orderId);
    await two!.waitFor(() => two!.events.length === one!.events.length, 10_000);
    const view = (client: NotificationClient) => client.events.map((event) => `${event.id}:${event.orderId}:${event.name}`);
    expect(view(two!)).toEqual(view(one!));
    expect(isUnbrokenSequence(one!.events.map((event) => event.id))).toBe(true);
  });

  it.skipIf(!hasBroadcast(broker))('a client that moves to another replica resumes there', async () => {
    const customerId = customer();
    const first = await connect(system.notifierUrls[0]!, { customerId });
    const order = await shop.placeOrder(customerId, [{ sku: 'rock-candy', quantity: 1 }]);
    await first.waitFor(() => first.events.length >= 2);
    first.close();
    const again = await connect(system.notifierUrls[1]!, { customerId, lastEventId: first.events.at(-1)!.id });
    await again.waitForEnd(order.orderId);
    expect(isUnbrokenSequence([...first.events, ...again.events].map((event) => event.id))).toBe(true);
  });

  it('a restarting notifier tells its clients to go away, and they resume after it', async () => {
    const customerId = customer();
    const first = await connect(system.shopUrl, { customerId });
    const order = await shop.placeOrder(customerId, [{ sku: 'maple-leaves', quantity: 1 }]);
    await first.waitFor(() => first.events.some((event) => event.name === 'PaymentAccepted'));
    const restarted = system.restart('notifier');
    expect(await first.closed).toBe(1001);
    await restarted;
    const again = await connect(system.shopUrl, { customerId, lastEventId: first.events.at(-1)!.id });
    await again.waitForEnd(order.orderId);
    const all = [...first.events, ...again.events];
    expect(isUnbrokenSequence(all.map((event) => event.id))).toBe(true);
    expect(all.map((event) => event.name)).toEqual(happyPath);
  });

  it('answers invalid messages with errors and refuses pages from other origins', async () => {
    const client = await connect(system.shopUrl, {});
    client.send('{oops');
    client.send({ type: 'subscribe', customerId: '../../etc' });
    await client.waitFor((messages) => messages.length === 2, 5_000);
    expect(client.messages.map((message) => message.type === 'error' && message.code)).toEqual(['invalid_json', 'invalid_message']);
    await connect(system.shopUrl, { customerId: customer() });

    await expect(NotificationClient.open(system.shopUrl, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await connect(system.shopUrl, { origin: 'http://localhost:5173', customerId: customer() });
  });
});
