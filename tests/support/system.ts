import { join } from 'node:path';
import { startFreshSystem, type FreshSystemOptions } from '../../scripts/lib/fresh-system.ts';
import { repoRoot, type Broker, type RunningSystem } from '../../scripts/lib/system.ts';
import { instantSimulation, oneAddressForAllClients } from '../../scripts/lib/simulation.ts';

export type { Broker, RunningSystem };
export { instantSimulation, oneAddressForAllClients };

export type TestSystemOptions = Omit<FreshSystemOptions, 'partition' | 'name' | 'logsDir'> & {
  /** The part of the brokers the system uses (default: the tests'). */
  partition?: FreshSystemOptions['partition'];
};

/**
 * Starts the real system for a test (see `startFreshSystem`): in the tests' partition of the
 * machine's brokers (REDIS_HOST and RABBITMQ_URL override where they are) unless the test brings its
 * own, logs in test-results/logs/.
 */
export function startSystem(options: TestSystemOptions): Promise<RunningSystem> {
  return startFreshSystem({
    ...options,
    partition: options.partition ?? 'tests',
    name: `test-${options.basePort}`,
    logsDir: join(repoRoot, 'test-results', 'logs', `${options.broker}-${options.basePort}`),
  });
}
