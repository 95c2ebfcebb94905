import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParkedDeadLetterSummary } from '@sweetgiggles/contracts';
import { runDeadLetters } from '../../scripts/dead-letters.ts';
import { NotificationClient } from '../../scripts/lib/notification-client.ts';
import type { OperatorAccess } from '../../scripts/lib/operator-access.ts';
import { Faults } from '../support/faults.ts';
import { quickRetries } from '../support/resiliency.ts';
import { happyPath, sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { readMetric, ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker, type RunningSystem } from '../support/system.ts';

const brokers: { broker: Broker; basePort: number }[] = [
  { broker: 'redis', basePort: 27400 },
  { broker: 'rabbitmq', basePort: 27500 },
];

/**
 * An event that fails until its retries run out is parked, its order shown stuck and left alone by
 * the stall watch; once the fault is fixed, the operator's replay carries the order to its end, once.
 */
describe.each(brokers)('dead letters on $broker', ({ broker, basePort }) => {
  let faults: Faults;
  let system: RunningSystem;
  let shop: ShopClient;
  let access: OperatorAccess;
  const orderMetric = (name: string) => readMetric(`${system.appUrl('order')}/metrics`, name);
  /** Runs `npm run dead-letters -- …` against this system, returning its exit code and what it printed. */
  const operator = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await runDeadLetters(args, access, (line) => lines.push(line));
    return { code, output: lines.join('\n') };
  };
  const parked = async (): Promise<ParkedDeadLetterSummary[]> => {
    const response = await fetch(`${access.orderSidecarUrl}/v1.0/invoke/order/method/operator/dead-letters`, {
      headers: { 'dapr-api-token': access.daprApiToken },
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { deadLetters: ParkedDeadLetterSummary[] }).deadLetters;
  };

  beforeAll(async () => {
    faults = new Faults(basePort);
    system = await startSystem({
      broker,
      basePort,
      daprResourcesDir: quickRetries(basePort),
      // A short stall period, to see that the watch leaves a stuck order alone.
      env: { SWEETGIGGLES_FAULTS_DIR: faults.dir, STALL_AFTER_MS: '1000' },
    });
    shop = new ShopClient(system.shopUrl);
    access = { orderSidecarUrl: system.sidecarUrl('order'), daprApiToken: system.sidecarHeaders('order')['dapr-api-token']! };
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('parks an event whose retries ran out, shows its order stuck, and replays it to one end', async () => {
    const customer = (who: string) => `dl-${broker}-${who}-${randomUUID().slice(0, 8)}`;
    const waitForParked = async (count: number) => {
      const deadline = Date.now() + 30_000;
      while ((await parked()).length < count && Date.now() < deadline) await delay(250);
      return parked();
    };

    // Each customer watches their order's notifications, as the storefront does.
    const [a, b] = [customer('a'), customer('b')];
    const sockets = await Promise.all([a, b].map((customerId) => NotificationClient.open(system.shopUrl, { customerId })));

    // The payment service fails OrderCreated (the order service's own event, on `orders`)...
    faults.failAt('payment:OrderCreated');
    const first = await shop.placeOrder(a, [{ sku: 'gummy-bears', quantity: 1 }]);
    expect((await waitForParked(1)).map((letter) => letter.id)).toEqual([`${first.orderId}.OrderCreated`]);
    faults.stopFailing('payment:OrderCreated');
    // ...and the delivery service fails PaymentAccepted (the payment service's, on `payments`).
    faults.failAt('delivery:PaymentAccepted');
    const second = await shop.placeOrder(b, [{ sku: 'gummy-bears', quantity: 1 }]);
    const letters = await waitForParked(2);

    // Parked, each once, with what is known of it.
    expect(letters).toEqual([
      expect.objectContaining({ id: `${first.orderId}.OrderCreated`, type: 'OrderCreated', topic: 'orders', source: 'order' }),
      expect.objectContaining({ id: `${second.orderId}.PaymentAccepted`, type: 'PaymentAccepted', topic: 'payments', source: 'payment' }),
    ]);
    for (const letter of letters) expect(letter.reason).toBe('retries exhausted');
    expect(await orderMetric('sweetgiggles_dead_letters_parked')).toBe(2);
    const listing = await operator('list');
    expect(listing.code).toBe(0);
    for (const letter of letters) expect(listing.output).toContain(letter.id);

    // Visible: the shop API shows each order stuck where it stopped, and nothing drives it blindly.
    for (const [order, status, event] of [
      [first, 'created', 'OrderCreated'],
      [second, 'paid', 'PaymentAccepted'],
    ] as const) {
      const stuck = await shop.getOrder(order.orderId);
      expect(stuck.status).toBe(status);
      expect(stuck.stuck).toMatchObject({ event });
    }
    const redriven = await orderMetric('sweetgiggles_orders_redriven_total');
    await delay(3_000);
    expect(await orderMetric('sweetgiggles_orders_redriven_total')).toBe(redriven);
    expect(await parked()).toHaveLength(2);

    // Replayed once the fault is fixed: one by its id, the rest all at once.
    faults.stopFailing('delivery:PaymentAccepted');
    expect(await operator('replay', letters[0]!.id)).toEqual({ code: 0, output: `replayed ${letters[0]!.id}` });
    expect(await operator('replay', '--all')).toEqual({ code: 0, output: `replayed 1\n  replayed ${letters[1]!.id}` });
    for (const order of [first, second]) {
      // Every step recorded too: on RabbitMQ a step's event can reach the order service after the
      // order's end, as the queues of two topics keep no order between them.
      const settled = await shop.waitFor(
        order.orderId,
        (view) =>
          view.status === 'completed' &&
          sagaViolations(view.history).length === 0 &&
          happyPath.every((name) => view.history.some((entry) => entry.name === name)),
        60_000,
      );
      expect(settled.history.map((entry) => entry.name)).toEqual(happyPath);
      expect(settled.stuck).toBeUndefined();
    }
    expect(await parked()).toEqual([]);
    expect(await orderMetric('sweetgiggles_dead_letters_parked')).toBe(0);
    expect(await orderMetric('sweetgiggles_dead_letters_replayed_total')).toBe(2);

    // Ended once: a while later nothing more has happened to either order, and each customer was
    // told of every step once, the replayed one included.
    await delay(2_000);
    for (const [i, order] of [first, second].entries()) {
      expect((await shop.getOrder(order.orderId)).history.map((entry) => entry.name)).toEqual(happyPath);
      await sockets[i]!.waitForEnd(order.orderId, 10_000);
      expect(sockets[i]!.events.map((event) => event.name).sort()).toEqual([...happyPath].sort());
      sockets[i]!.close();
    }

    // A replay of a letter that is not parked is a 404, and a crafted id never leaves the script.
    const unknown = await fetch(
      `${access.orderSidecarUrl}/v1.0/invoke/order/method/operator/dead-letters/${encodeURIComponent(letters[0]!.id)}/replay`,
      { method: 'POST', headers: { 'dapr-api-token': access.daprApiToken } },
    );
    expect(unknown.status).toBe(404);
    await unknown.body?.cancel();
    expect((await operator('replay', letters[0]!.id)).code).toBe(1);
    expect((await operator('replay', '../../v1.0/state/orderstore/x')).code).toBe(2);
  });

  it('keeps the operator routes off the shop port and away from callers without the token', async () => {
    for (const path of ['/operator/dead-letters', '/api/../operator/dead-letters', '/api/operator/dead-letters']) {
      const response = await fetch(`${system.shopUrl}${path}`);
      expect(response.status, path).toBe(404);
      await response.body?.cancel();
    }
    const withoutToken = await fetch(`${system.sidecarUrl('order')}/v1.0/invoke/order/method/operator/dead-letters`);
    expect(withoutToken.status).toBe(401);
    await withoutToken.body?.cancel();
    const direct = await fetch(`${system.appUrl('order')}/operator/dead-letters`);
    expect(direct.status).toBe(401);
    await direct.body?.cancel();
  });
});
