import { join } from 'node:path';
import { partitionAddresses, type PartitionAddresses } from './brokers.ts';
import { Floor } from './floor.ts';
import { launchSystem } from './launch.ts';
import { cpuMs, listenerPid, ms, openLoop, readCounters, waitForQuiet, type RateResult } from './measure.ts';
import { ShopLoad } from './shop-load.ts';
import { repoRoot, serviceNames, type Broker, type RunningSystem } from './system.ts';

/** The saga's sequential pub/sub hops from a POST to the terminal event on the socket: 8 publishes, 8 deliveries. */
export const sagaHops = 8;

export interface BenchmarkOptions {
  brokers: Broker[];
  /** Offered rates, lowest first; a broker stops climbing at the first rate it does not sustain. */
  rates: number[];
  seconds: number;
  customers: number;
  /** First of a block of 100 loopback ports per broker. */
  basePort: number;
  /** How long an order or chain may take before it counts as a failure. */
  timeoutMs: number;
}

type ProcessKind = 'app' | 'sidecar' | 'broker';
type MeasuredProcess = { label: string; kind: ProcessKind; pid: number };

export interface RateRow extends RateResult {
  /** CPU time per ended unit, in ms. */
  cpuApps: number;
  cpuSidecars: number;
  /** Undefined when the broker runs on another machine. */
  cpuBroker: number | undefined;
  /** CPU time per ended unit of each process, in ms. */
  cpuByProcess: Record<string, number>;
}

export interface BrokerReport {
  broker: Broker;
  saga: RateRow[];
  floor: RateRow[];
  /** Per order at the first rate, summed over every sidecar. */
  perOrder: { sidecarCalls: number; published: number; delivered: number; stateCalls: number };
}

const counters = [
  'dapr_http_server_request_count',
  'dapr_component_pubsub_egress_count',
  'dapr_component_pubsub_ingress_count',
  'dapr_component_state_count',
];

async function sumCounters(urls: string[]): Promise<Record<string, number>> {
  const all = await Promise.all(urls.map((url) => readCounters(url, counters)));
  return Object.fromEntries(counters.map((name) => [name, all.reduce((sum, c) => sum + (c[name] ?? 0), 0)]));
}

/** Runs `at(rate)` for each rate, lowest first, with CPU time of the given processes; stops after the first unsustained rate. */
async function climb(
  rates: number[],
  processes: () => MeasuredProcess[],
  at: (rate: number) => Promise<RateResult>,
  ownCpu: boolean,
): Promise<RateRow[]> {
  const rows: RateRow[] = [];
  for (const rate of rates) {
    const cpu = () => {
      const byProcess: Record<string, number> = {};
      const kinds: Record<string, ProcessKind> = {};
      for (const p of processes()) {
        byProcess[p.label] = cpuMs(p.pid);
        kinds[p.label] = p.kind;
      }
      if (ownCpu) {
        const usage = process.cpuUsage();
        byProcess['relay app'] = (usage.user + usage.system) / 1000;
        kinds['relay app'] = 'app';
      }
      return { byProcess, kinds };
    };
    const before = cpu();
    const result = await at(rate);
    const after = cpu();
    const per = Math.max(1, result.ended);
    const cpuByProcess = Object.fromEntries(
      Object.entries(after.byProcess).map(([label, value]) => [label, (value - (before.byProcess[label] ?? value)) / per]),
    );
    const sum = (kind: ProcessKind) =>
      Object.entries(cpuByProcess)
        .filter(([label]) => after.kinds[label] === kind)
        .reduce((total, [, value]) => total + value, 0);
    const hasBroker = Object.values(after.kinds).includes('broker');
    rows.push({
      ...result,
      cpuApps: sum('app'),
      cpuSidecars: sum('sidecar'),
      cpuBroker: hasBroker ? sum('broker') : undefined,
      cpuByProcess,
    });
    if (!result.sustained) break;
  }
  return rows;
}

/** The whole benchmark for one broker: the saga at each rate, then the floor at the same rates. */
export async function benchmarkBroker(broker: Broker, options: BenchmarkOptions, basePort: number): Promise<BrokerReport> {
  let system: RunningSystem | undefined;
  let saga: RateRow[];
  let perOrder = { sidecarCalls: 0, published: 0, delivered: 0, stateCalls: 0 };
  const brokers = await partitionAddresses('benchmark');
  const brokerProcess = localBroker(broker, brokers);
  try {
    system = await launchSystem({
      broker,
      basePort,
      partition: 'benchmark',
      env: { LOG_LEVEL: 'warn' },
      logsDir: join(repoRoot, '.cache', 'bench', `logs-${broker}`),
      name: `bench-${basePort}`,
    });
    const running = system;
    const shop = new ShopLoad(running.shopUrl, options.customers);
    await shop.open();
    // One order first, so the first measured one does not pay for connections and JIT warm-up.
    for (let i = 0; i < 5; i++) await shop.order(i, options.timeoutMs);
    const metricsUrls = serviceNames.map((name) => `http://127.0.0.1:${running.options.ports[name].daprMetrics}/metrics`);
    await waitForQuiet(metricsUrls);
    let first = true;
    saga = await climb(
      options.rates,
      () => [...running.processes, ...brokerProcess],
      async (rate) => {
        const before = first ? await sumCounters(metricsUrls) : undefined;
        const result = await openLoop(rate, options.seconds, (i) => shop.order(i, options.timeoutMs));
        if (before) {
          // daprd records its metrics a moment after the call they count: let the last ones land.
          await waitForQuiet(metricsUrls, 1_000);
          const after = await sumCounters(metricsUrls);
          const per = (name: string) => (after[name]! - before[name]!) / Math.max(1, result.ended);
          perOrder = {
            sidecarCalls: per('dapr_http_server_request_count'),
            published: per('dapr_component_pubsub_egress_count'),
            delivered: per('dapr_component_pubsub_ingress_count'),
            stateCalls: per('dapr_component_state_count'),
          };
          first = false;
        }
        return result;
      },
      false,
    );
    shop.close();
  } finally {
    await system?.stop();
  }

  const floor = new Floor({
    broker,
    basePort: basePort + 60,
    hops: sagaHops,
    env: { REDIS_HOST: brokers.redisHost, REDIS_DB: String(brokers.redisDb), RABBITMQ_URL: brokers.rabbitmqUrl },
  });
  let floorRows: RateRow[];
  try {
    await floor.start();
    floorRows = await climb(
      options.rates,
      () => [...(floor.sidecarPid ? [{ label: 'floor-daprd', kind: 'sidecar' as const, pid: floor.sidecarPid }] : []), ...brokerProcess],
      (rate) => openLoop(rate, options.seconds, (i) => floor.chain(`chain-${Date.now()}-${i}`, options.timeoutMs)),
      true,
    );
  } finally {
    await floor.stop();
  }
  return { broker, saga, floor: floorRows, perOrder };
}

/**
 * The broker's own process when it listens on this machine's loopback, so its CPU time is counted
 * too: it serves every app and sidecar of the run (and nothing else, while the benchmark runs alone).
 */
function localBroker(broker: Broker, addresses: PartitionAddresses): MeasuredProcess[] {
  const url = new URL(broker === 'redis' ? `redis://${addresses.redisHost}` : addresses.rabbitmqUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return [];
  const pid = listenerPid(Number(url.port || (broker === 'redis' ? 6379 : 5672)));
  return pid ? [{ label: 'broker', kind: 'broker', pid }] : [];
}

export async function runBenchmark(options: BenchmarkOptions): Promise<BrokerReport[]> {
  const reports: BrokerReport[] = [];
  for (const [i, broker] of options.brokers.entries()) reports.push(await benchmarkBroker(broker, options, options.basePort + i * 100));
  return reports;
}

const highest = (rows: RateRow[]) => Math.max(0, ...rows.filter((r) => r.sustained).map((r) => r.offered));

/** The report as printed by `npm run bench`. */
export function formatReport(reports: BrokerReport[]): string {
  const lines: string[] = [];
  const header =
    '  what        offered/s  done/s  POST p50  POST p99  end p50  end p95  end p99  failures  CPU ms/unit apps+sidecars+broker';
  for (const { broker, saga, floor, perOrder } of reports) {
    lines.push(
      '',
      `${broker}: saga (POST → terminal event on the WebSocket) and floor (${sagaHops} bare hops, no-work app), times in ms`,
      header,
    );
    const row = (what: string, r: RateRow) =>
      `  ${what.padEnd(10)} ${String(r.offered).padStart(9)} ${r.completedPerSecond.toFixed(1).padStart(7)} ${ms(r.requestP50).padStart(9)} ${ms(r.requestP99).padStart(9)} ${ms(r.endP50).padStart(8)} ${ms(r.endP95).padStart(8)} ${ms(r.endP99).padStart(8)} ${String(r.failures).padStart(9)}  ${r.cpuApps.toFixed(1)} + ${r.cpuSidecars.toFixed(1)} + ${r.cpuBroker?.toFixed(1) ?? '-'}${r.sustained ? '' : '  (not sustained)'}`;
    for (const r of saga) lines.push(row('saga', r));
    for (const r of floor) lines.push(row('floor', r));
    lines.push(`  highest sustained rate (every unit ends, p99 < 1 s): saga ${highest(saga)}/s, floor ${highest(floor)}/s`);
    for (const s of saga) {
      const f = floor.find((r) => r.offered === s.offered);
      if (f)
        lines.push(
          `  at ${s.offered}/s the saga's end p50 is ${(s.endP50 / f.endP50).toFixed(1)}× the floor's, p99 ${(s.endP99 / f.endP99).toFixed(1)}×`,
        );
    }
    const cpuAt = saga[0]?.cpuByProcess ?? {};
    lines.push(
      `  CPU ms per order at ${saga[0]?.offered ?? '-'}/s: ${Object.entries(cpuAt)
        .map(([label, value]) => `${label} ${value.toFixed(1)}`)
        .join(', ')}`,
    );
    lines.push(
      `  per order (at ${saga[0]?.offered ?? '-'}/s, all sidecars): ${perOrder.sidecarCalls.toFixed(1)} app→sidecar calls, ${perOrder.stateCalls.toFixed(1)} state operations, ${perOrder.published.toFixed(1)} messages published, ${perOrder.delivered.toFixed(1)} delivered`,
    );
  }
  return lines.join('\n');
}
