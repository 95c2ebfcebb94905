import { join } from 'node:path';
import { emptyRedisDatabase, partitionAddresses, type PartitionName } from '../../scripts/lib/brokers.ts';
import { portPlan, repoRoot, startSystem as start, type Broker, type RunningSystem, type ServicePorts } from '../../scripts/lib/system.ts';
import { instantSimulation, oneAddressForAllClients } from '../../scripts/lib/simulation.ts';

export type { Broker, RunningSystem };
export { instantSimulation, oneAddressForAllClients };

export interface TestSystemOptions {
  broker: Broker;
  /** First of a block of 50 loopback ports this system may use. */
  basePort: number;
  env?: Record<string, string>;
  notifierReplicas?: number;
  /** Where the launcher says that it restarts a process (see SystemOptions.report). */
  report?: (line: string) => void;
  /** The part of the brokers the system uses (default: the tests'). */
  partition?: PartitionName;
  /** Redis (state, and pub/sub on Redis) and RabbitMQ of the test's own, instead of the machine's. */
  redisHost?: string;
  rabbitmqUrl?: string;
}

/**
 * Starts the real system for a test: real daprd sidecars, real services, the machine's Redis and
 * RabbitMQ (REDIS_HOST and RABBITMQ_URL override where they are) unless the test brings its own, in
 * the tests' partition of them (see `partitions`). Its Redis database is emptied first, so each
 * system starts as on a fresh broker, whatever the tests before it left behind. Logs go to
 * test-results/logs/.
 */
export async function startSystem(options: TestSystemOptions): Promise<RunningSystem> {
  const brokers = await partitionAddresses(options.partition ?? 'tests');
  if (options.redisHost) brokers.redisHost = options.redisHost;
  if (options.rabbitmqUrl) brokers.rabbitmqUrl = options.rabbitmqUrl;
  await emptyRedisDatabase(brokers.redisHost, brokers.redisDb);
  const replicas = Math.max(1, options.notifierReplicas ?? 1);
  const extraNotifiers: ServicePorts[] = Array.from({ length: replicas - 1 }, (_, i) => ({
    app: options.basePort + 4 + i,
    appInternal: options.basePort + 8 - i,
    daprHttp: options.basePort + 14 + i,
    daprGrpc: options.basePort + 24 + i,
    daprMetrics: options.basePort + 34 + i,
    daprInternalGrpc: options.basePort + 44 + i,
  }));
  return start({
    broker: options.broker,
    ports: portPlan(options.basePort),
    extraNotifiers,
    env: { ...instantSimulation, ...oneAddressForAllClients, STATIC_DIR: join(repoRoot, 'frontend', 'dist'), ...options.env },
    output: { dir: join(repoRoot, 'test-results', 'logs', `${options.broker}-${options.basePort}`) },
    name: `test-${options.basePort}`,
    ...brokers,
    ...(options.report ? { report: options.report } : {}),
  });
}
