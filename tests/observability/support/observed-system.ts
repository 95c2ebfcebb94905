import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { observabilityPortPlan, type RunningObservability } from '../../../scripts/lib/observability.ts';
import { repoRoot, type Broker, type RunningSystem } from '../../../scripts/lib/system.ts';
import { startSystem } from '../../support/system.ts';

export interface ObservedSystem {
  system: RunningSystem;
  observability: RunningObservability;
  /** Stops the system, then its Jaeger and Prometheus. */
  stop(): Promise<void>;
}

export interface ObservedSystemOptions {
  broker: Broker;
  /** First of 50 ports for the system (see portPlan). */
  basePort: number;
  /** First of 3 ports for Jaeger and Prometheus (see observabilityPortPlan). */
  observabilityBasePort: number;
  env?: Record<string, string>;
}

/** Where a test's Jaeger, Prometheus and system write their configuration, data and logs, emptied first. */
export function testDataDir(name: string): string {
  const dir = join(repoRoot, 'test-results', 'observability', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Starts the test system with a real Jaeger and Prometheus of its own (see `launchSystem`'s
 * `observability`), Prometheus scraping every second.
 */
export async function startObservedSystem(options: ObservedSystemOptions): Promise<ObservedSystem> {
  const dataDir = testDataDir(`${options.broker}-${options.basePort}`);
  const system = await startSystem({
    broker: options.broker,
    basePort: options.basePort,
    logsDir: join(dataDir, 'logs'),
    observability: { dataDir, ports: observabilityPortPlan(options.observabilityBasePort), scrapeInterval: '1s' },
    ...(options.env ? { env: options.env } : {}),
  });
  return { system, observability: system.observability!, stop: () => system.stop() };
}
