import { describe, expect, it } from 'vitest';
import { chaosFaults, selectFaults } from '../../scripts/lib/chaos-faults.ts';
import { formatChaosTable, recoveredS } from '../../scripts/lib/chaos-report.ts';
import { runChaos } from '../../scripts/lib/chaos.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem, type Broker } from '../support/system.ts';

const brokers: { broker: Broker; basePort: number }[] = [
  { broker: 'redis', basePort: 26200 },
  { broker: 'rabbitmq', basePort: 26300 },
];

/** The broker is away for 3 s here (8 s in `npm run chaos`): long enough for every connection to fail. */
const faults = selectFaults('kill-9:order-daprd,kill-9:delivery,connections-cut,broker-restart', chaosFaults(3_000));

/**
 * The short form of `npm run chaos`: under 3 orders/s on brokers of the test's own (so that
 * restarting them disturbs nobody), a sidecar and an app killed with SIGKILL, every broker connection
 * cut, and the broker restarted, one after another on one system, each once it has recovered from the
 * one before. Every accepted order must settle exactly once: no second charge, refund, delivery or end.
 */
describe.each(brokers)('chaos on $broker', ({ broker, basePort }) => {
  it('ends every accepted order exactly once through crashes, cut connections and a broker restart', async () => {
    const rows = await runChaos({
      broker,
      faults,
      rate: 3,
      leadMs: 2_000,
      afterMs: 1_000,
      recoveryBoundMs: 60_000,
      basePort,
      start: startSystem,
      shop: (url) => new ShopClient(url),
    });
    console.log(`[chaos] ${broker}\n${formatChaosTable(rows)}`);
    expect(rows.map((row) => row.fault)).toEqual(faults.map((fault) => fault.name));
    for (const row of rows) {
      expect(row.orders, row.fault).toBeGreaterThan(0);
      expect(row.duplicates, `${row.fault}: duplicated orders`).toEqual([]);
      expect(row.stuck, `${row.fault}: orders that never settled`).toEqual([]);
      expect(recoveredS(row), `${row.fault}: time to recover`).toBeDefined();
    }
  });
});
