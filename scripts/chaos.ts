// `npm run chaos`: under a steady flow of orders, each fault on a fresh system on each broker, then a
// check of every accepted order: one table, and a non-zero exit if any order was duplicated or stuck.
// Options (environment): CHAOS_BROKERS (default redis,rabbitmq); CHAOS_FAULTS, names or groups such as
// kill-9 or sigterm (default all, see scripts/lib/chaos-faults.ts); CHAOS_RATE orders/s (default 5);
// CHAOS_SECONDS of orders before and at least after each fault (default 5).
import { join } from 'node:path';
import { checkBrokers } from './lib/brokers.ts';
import { selectFaults } from './lib/chaos-faults.ts';
import { chaosHeader, formatChaosRow, formatChaosTable, isClean, type ChaosRow } from './lib/chaos-report.ts';
import { runChaos } from './lib/chaos.ts';
import { launchSystem } from './lib/launch.ts';
import { ShopApi } from './lib/shop-api.ts';
import { repoRoot, type Broker } from './lib/system.ts';

const brokers = (process.env['CHAOS_BROKERS'] ?? 'redis,rabbitmq').split(',') as Broker[];
const faults = selectFaults(process.env['CHAOS_FAULTS']);
const rate = Number(process.env['CHAOS_RATE'] ?? 5);
const seconds = Number(process.env['CHAOS_SECONDS'] ?? 5);
const basePort = 24600;

for (const broker of brokers) await checkBrokers(broker);
console.log(
  `Chaos: ${faults.length} faults on ${brokers.join(' and ')}, each on a fresh system, ${rate} orders/s for ${seconds} s before and at least ${seconds} s after it; simulated work off.`,
);
console.log(chaosHeader);
const rows: ChaosRow[] = [];
let failed = false;
for (const broker of brokers) {
  for (const fault of faults) {
    try {
      const [row] = await runChaos({
        broker,
        faults: [fault],
        rate,
        leadMs: seconds * 1000,
        afterMs: seconds * 1000,
        recoveryBoundMs: 120_000,
        basePort,
        // Processes are killed in the benchmark's partition of the machine's brokers; brokers are
        // restarted and cut only where the run has its own (see runChaos).
        start: (options) =>
          launchSystem({
            ...options,
            partition: 'benchmark',
            name: `chaos-${basePort}`,
            logsDir: join(repoRoot, '.cache', 'chaos', 'logs', `${broker}-${fault.name.replace(':', '-')}`),
          }),
        shop: (url) => new ShopApi(url),
      });
      rows.push(row!);
      console.log(formatChaosRow(row!));
    } catch (error) {
      failed = true;
      console.error(`${fault.name} on ${broker} could not be run: ${(error as Error).message}`);
    }
  }
}
console.log(`\n${formatChaosTable(rows)}`);
process.exit(failed || !rows.every(isClean) ? 1 : 0);
