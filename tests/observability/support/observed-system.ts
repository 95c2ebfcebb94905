import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  observabilityPortPlan,
  scrapeTargetsOf,
  startObservability,
  type RunningObservability,
} from '../../../scripts/lib/observability.ts';
import { startFreshSystem } from '../../../scripts/lib/fresh-system.ts';
import { portPlan, repoRoot, type Broker, type RunningSystem } from '../../../scripts/lib/system.ts';

export interface TestSystem {
  system: RunningSystem;
  /** Stops the system. */
  stop(): Promise<void>;
}

export interface ObservedSystem extends TestSystem {
  observability: RunningObservability;
}

export interface ObservedSystemOptions {
  broker: Broker;
  /** First of 50 ports for the system (see portPlan). */
  basePort: number;
  /** First of 3 ports for Jaeger and Prometheus (see observabilityPortPlan). */
  observabilityBasePort: number;
  env?: Record<string, string>;
}

/** Where a test's Jaeger, Prometheus and system write their configuration, data and logs. */
export function testDataDir(name: string): string {
  return join(repoRoot, 'test-results', 'observability', name);
}

/**
 * Starts a real Jaeger and Prometheus, then the real system with its spans going to that Jaeger (the
 * apps through OTEL_EXPORTER_OTLP_ENDPOINT, every daprd through a Configuration overlay), the
 * notifier reading traces back from it (JAEGER_QUERY_URL), and its metrics scraped every second by
 * that Prometheus.
 */
export async function startObservedSystem(options: ObservedSystemOptions): Promise<ObservedSystem> {
  const dataDir = testDataDir(`${options.broker}-${options.basePort}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const observability = await startObservability({
    targets: scrapeTargetsOf(portPlan(options.basePort)),
    ports: observabilityPortPlan(options.observabilityBasePort),
    dataDir,
    scrapeInterval: '1s',
  });
  try {
    const { system, stop } = await startTestSystem({
      broker: options.broker,
      basePort: options.basePort,
      dataDir,
      daprConfigPath: observability.daprConfigPath,
      // As under OBSERVABILITY=1 npm start: the notifier reads orders' traces back from this Jaeger.
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: observability.otlpEndpoint, JAEGER_QUERY_URL: observability.jaegerUrl, ...options.env },
    });
    return {
      system,
      observability,
      stop: async () => {
        await stop();
        await observability.stop();
      },
    };
  } catch (error) {
    await observability.stop();
    throw error;
  }
}

/**
 * Starts the real system as on a fresh broker, like tests/support/system.ts does (zero simulated
 * delays, the tests' partition of the brokers, logs in `<dataDir>/logs`), with every daprd reading
 * `daprConfigPath` over dapr/config.yaml.
 */
export async function startTestSystem(options: {
  broker: Broker;
  basePort: number;
  dataDir: string;
  daprConfigPath: string;
  env?: Record<string, string>;
}): Promise<TestSystem> {
  const system = await startFreshSystem({
    broker: options.broker,
    basePort: options.basePort,
    partition: 'tests',
    name: `test-${options.basePort}`,
    logsDir: join(options.dataDir, 'logs'),
    daprConfigOverlays: [options.daprConfigPath],
    ...(options.env ? { env: options.env } : {}),
  });
  return { system, stop: () => system.stop() };
}
