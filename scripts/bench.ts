// `npm run bench`: places orders at a steady rate against the real system (simulated delays zero,
// no declines) on Redis and on RabbitMQ, and reports throughput, POST-to-terminal latency and where
// the time goes between the saga's events.
// Options (environment): BENCH_RATE orders/s (default 5), BENCH_SECONDS (default 20), BENCH_BROKERS,
// BENCH_POLL_MS (how often each order is read back, default 500).
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { OrderView } from '@sweetgiggles/contracts';
import { ShopClient } from '../tests/support/shop-client.ts';
import { startSystem, type Broker } from '../tests/support/system.ts';

const rate = Number(process.env['BENCH_RATE'] ?? 5);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 20);
const brokers = (process.env['BENCH_BROKERS'] ?? 'redis,rabbitmq').split(',') as Broker[];
const pollMs = Number(process.env['BENCH_POLL_MS'] ?? 500);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function bench(broker: Broker, basePort: number) {
  const system = await startSystem({ broker, basePort, env: { LOG_LEVEL: 'warn' } });
  const shop = new ShopClient(system.shopUrl);
  try {
    const results: { latencyMs: number; order: OrderView }[] = [];
    let failedRequests = 0;
    // Polls until the order ends; a failed request is counted and tried again, as a client would.
    const waitForEnd = async (orderId: string): Promise<OrderView | undefined> => {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        const order = await shop.getOrder(orderId).catch(() => {
          failedRequests += 1;
          return undefined;
        });
        if (order && (order.status === 'completed' || order.status === 'cancelled')) return order;
        await delay(pollMs);
      }
      return undefined;
    };
    const pending: Promise<void>[] = [];
    const started = Date.now();
    const total = Math.round(rate * seconds);
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      await delay(Math.max(0, due - Date.now()));
      pending.push(
        (async () => {
          const postedAt = Date.now();
          const order = await shop
            .placeOrder(`bench-${randomUUID().slice(0, 8)}`, [{ sku: 'gummy-bears', quantity: 1 }], randomUUID())
            .catch(() => {
              failedRequests += 1;
              return undefined;
            });
          const ended = order && (await waitForEnd(order.orderId));
          if (ended) results.push({ latencyMs: Date.now() - postedAt, order: ended });
        })(),
      );
    }
    await Promise.all(pending);
    const elapsed = (Date.now() - started) / 1000;
    const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
    const hops = new Map<string, number[]>();
    for (const { order } of results) {
      order.history.forEach((entry, i) => {
        const previous = order.history[i - 1];
        if (!previous) return;
        const hop = `${previous.name} → ${entry.name}`;
        hops.set(hop, [...(hops.get(hop) ?? []), Date.parse(entry.time) - Date.parse(previous.time)]);
      });
    }
    const completedAt = results.map((r) => Date.parse(r.order.updatedAt)).sort((a, b) => a - b);
    const window = ((completedAt.at(-1) ?? 0) - (completedAt[0] ?? 0)) / 1000;
    console.log(
      `\n${broker}: ${results.length}/${total} orders ended; the run took ${elapsed.toFixed(1)} s; ${failedRequests} failed HTTP requests`,
    );
    console.log(
      `  throughput: ${(results.length / window).toFixed(2)} orders/s completed (first to last completion, ${window.toFixed(1)} s), offered ${rate}/s`,
    );
    console.log(
      `  POST → terminal seen by polling every ${pollMs} ms (ms): p50 ${percentile(latencies, 50)}  p95 ${percentile(latencies, 95)}  p99 ${percentile(latencies, 99)}`,
    );
    console.log('  mean time between consecutive events (ms):');
    for (const [hop, values] of hops) {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      console.log(`    ${hop.padEnd(48)} ${mean.toFixed(0).padStart(6)}  (n=${values.length})`);
    }
  } finally {
    await system.stop();
  }
}

console.log(`Benchmark: ${rate} orders/s for ${seconds} s on ${brokers.join(' and ')}, simulated delays zero.`);
for (const [i, broker] of brokers.entries()) await bench(broker, 24100 + i * 100);
