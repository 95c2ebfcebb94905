import { describe, expect, it } from 'vitest';
import { formatReport, runBenchmark, sagaHops } from '../../scripts/lib/benchmark.ts';

/**
 * `npm run bench` in miniature, so it cannot rot: a few orders and a few floor chains per broker.
 * It checks that everything is measured, not how fast: the figures come from the full run.
 */
describe('the benchmark', () => {
  it('measures the saga and its floor on both brokers', async () => {
    const reports = await runBenchmark({
      brokers: ['redis', 'rabbitmq'],
      rates: [4],
      seconds: 1,
      customers: 2,
      basePort: 23800,
      timeoutMs: 60_000,
    });
    expect(reports.map((r) => r.broker)).toEqual(['redis', 'rabbitmq']);
    for (const { broker, saga, floor, perOrder } of reports) {
      for (const [what, rows] of [
        ['saga', saga],
        ['floor', floor],
      ] as const) {
        expect(rows, `${broker} ${what}`).toHaveLength(1);
        const [row] = rows;
        expect(row!.started, `${broker} ${what}`).toBe(4);
        expect(row!.ended, `${broker} ${what}`).toBe(4);
        expect(row!.failures, `${broker} ${what}`).toBe(0);
        expect(row!.endP50).toBeGreaterThan(0);
        expect(row!.endP99).toBeGreaterThanOrEqual(row!.endP50);
        expect(row!.requestP50).toBeGreaterThan(0);
        expect(row!.cpuSidecars).toBeGreaterThan(0);
        // The brokers listen on this machine's loopback: their process is found, so its CPU is counted.
        expect(row!.cpuBroker, `${broker} ${what}`).toBeTypeOf('number');
      }
      expect(saga[0]!.cpuApps).toBeGreaterThan(0);
      // Every order crosses at least the saga's hops, each a publish and a delivery.
      expect(perOrder.published).toBeGreaterThanOrEqual(sagaHops);
      expect(perOrder.delivered).toBeGreaterThanOrEqual(sagaHops);
    }
    expect(formatReport(reports)).toContain('floor');
  });
});
