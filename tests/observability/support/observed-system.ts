import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { brokerAddresses } from '../../../scripts/lib/brokers.ts';
import {
  observabilityPortPlan,
  scrapeTargetsOf,
  startObservability,
  type RunningObservability,
} from '../../../scripts/lib/observability.ts';
import { portPlan, repoRoot, startSystem, type Broker, type RunningSystem } from '../../../scripts/lib/system.ts';
import { instantSimulation } from '../../support/system.ts';

export interface ObservedSystem {
  system: RunningSystem;
  observability: RunningObservability;
  /** Stops the system, then Jaeger and Prometheus. */
  stop(): Promise<void>;
}

export interface ObservedSystemOptions {
  broker: Broker;
  /** First of 40 ports for the system (see portPlan). */
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
 * apps through OTEL_EXPORTER_OTLP_ENDPOINT, every daprd through a Configuration overlay) and its
 * metrics scraped every second by that Prometheus.
 */
export async function startObservedSystem(options: ObservedSystemOptions): Promise<ObservedSystem> {
  const name = `${options.broker}-${options.basePort}`;
  const dataDir = testDataDir(name);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const ports = portPlan(options.basePort);
  const observability = await startObservability({
    targets: scrapeTargetsOf(ports),
    ports: observabilityPortPlan(options.observabilityBasePort),
    dataDir,
    scrapeInterval: '1s',
  });
  try {
    const system = await startTestSystem({
      broker: options.broker,
      basePort: options.basePort,
      dataDir,
      daprConfigPath: observability.daprConfigPath,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: observability.otlpEndpoint, ...options.env },
    });
    return {
      system,
      observability,
      stop: async () => {
        await system.stop();
        await observability.stop();
      },
    };
  } catch (error) {
    await observability.stop();
    throw error;
  }
}

/**
 * Starts the real system like tests/support/system.ts does (zero simulated delays, logs in
 * `<dataDir>/logs`), with every daprd reading `daprConfigPath` over dapr/config.yaml.
 */
export function startTestSystem(options: {
  broker: Broker;
  basePort: number;
  dataDir: string;
  daprConfigPath: string;
  env?: Record<string, string>;
}): Promise<RunningSystem> {
  return startSystem({
    broker: options.broker,
    ports: portPlan(options.basePort),
    daprdPath: daprdWithOverlay(options.dataDir, options.daprConfigPath),
    env: { ...instantSimulation, STATIC_DIR: join(repoRoot, 'frontend', 'dist'), ...options.env },
    output: { dir: join(options.dataDir, 'logs') },
    name: `test-${options.basePort}`,
    redisHost: brokerAddresses.redis,
    rabbitmqUrl: brokerAddresses.rabbitmq,
  });
}

/**
 * A daprd launcher that adds a second `--config`: the system launcher passes only dapr/config.yaml,
 * which sends daprd's spans to localhost:4318, and the tests' Jaeger listens on a port of their own.
 * Standalone daprd applies each --config file over the one before.
 */
export function daprdWithOverlay(dir: string, overlay: string): string {
  const daprd = join(homedir(), '.dapr', 'bin', 'daprd');
  const path = join(dir, 'daprd');
  writeFileSync(path, `#!/bin/sh\nexec '${daprd}' "$@" --config '${overlay}'\n`);
  chmodSync(path, 0o755);
  return path;
}
