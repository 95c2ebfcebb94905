import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';

/** The launcher behind `npm start` restarts what dies, as Compose's restart policy and Kubernetes do. */
describe('the launcher', () => {
  let system: RunningSystem;
  let shop: ShopClient;
  const said: string[] = [];

  beforeAll(async () => {
    system = await startSystem({ broker: 'redis', basePort: 23800, report: (line) => said.push(line) });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function waitForNewProcess(name: 'payment' | 'notifier', role: 'app' | 'sidecar', old: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const pid = system.pid(name, role);
      if (pid !== undefined && pid !== old) return;
      await delay(100);
    }
    throw new Error(`${name}'s ${role} was not started again`);
  }

  it('calls a service ready only once its sidecar calls it again, as after a stall its sidecar took for a failure', async () => {
    // Frozen past three health probes, the order app is taken for unhealthy, and its sidecar refuses
    // to call it until a later probe passes, seconds after the app answers again.
    const order = system.pid('order')!;
    process.kill(order, 'SIGSTOP');
    await delay(16_000);
    process.kill(order, 'SIGCONT');
    await system.revive('order');
    const answer = await fetch(`${system.shopUrl}/api/orders/00000000-0000-4000-8000-000000000000`);
    expect(answer.status, await answer.text()).toBe(404);
    expect(system.pid('order')).toBe(order);
  });

  it('starts a service killed with SIGKILL again, says so, and an order placed afterwards completes', async () => {
    const killed = system.pid('payment')!;
    process.kill(killed, 'SIGKILL');
    await waitForNewProcess('payment', 'app', killed);
    expect(said.some((line) => line.includes('payment') && line.includes('SIGKILL'))).toBe(true);

    const order = await shop.placeOrder('supervised', [{ sku: 'gummy-bears', quantity: 1 }]);
    expect((await shop.waitForEnd(order.orderId, 120_000)).status).toBe('completed');
  });

  it('starts a killed sidecar again too, and the shop keeps working', async () => {
    const killed = system.pid('notifier', 'sidecar')!;
    process.kill(killed, 'SIGKILL');
    await waitForNewProcess('notifier', 'sidecar', killed);
    expect(said.some((line) => line.includes("notifier's daprd"))).toBe(true);

    const deadline = Date.now() + 60_000;
    let order;
    while (!order && Date.now() < deadline) {
      order = await shop.placeOrder('supervised-2', [{ sku: 'jelly-beans', quantity: 1 }]).catch(() => undefined);
      if (!order) await delay(500);
    }
    expect(order).toBeDefined();
    expect((await shop.waitForEnd(order!.orderId, 120_000)).status).toBe('completed');
  });
});
