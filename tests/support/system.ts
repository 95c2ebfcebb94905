import { join } from 'node:path';
import { launchSystem, type LaunchOptions } from '../../scripts/lib/launch.ts';
import { repoRoot, type Broker, type RunningSystem } from '../../scripts/lib/system.ts';
import { instantSimulation, oneAddressForAllClients } from '../../scripts/lib/simulation.ts';

export type { Broker, RunningSystem };
export { instantSimulation, oneAddressForAllClients };

export type TestSystemOptions = Omit<LaunchOptions, 'partition' | 'name' | 'logsDir' | 'basePort'> & {
  /** First of a block of 50 loopback ports: every test system has its own. */
  basePort: number;
  /** The part of the brokers the system uses (default: the tests'). */
  partition?: LaunchOptions['partition'];
  /** Where each process's log goes (default: test-results/logs/<broker>-<basePort>). */
  logsDir?: string;
};

/**
 * Starts the real system for a test with `launchSystem`: as on a fresh broker, in the tests' partition
 * of the shared brokers (REDIS_HOST and RABBITMQ_URL say where they are) unless the test brings its
 * own, with every simulated delay at zero.
 */
export function startSystem(options: TestSystemOptions): Promise<RunningSystem> {
  return launchSystem({
    ...options,
    partition: options.partition ?? 'tests',
    name: `test-${options.basePort}`,
    logsDir: options.logsDir ?? join(repoRoot, 'test-results', 'logs', `${options.broker}-${options.basePort}`),
  });
}
