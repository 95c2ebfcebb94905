import { join } from 'node:path';
import { emptyRedisDatabase, partitionAddresses, type PartitionName } from '../../scripts/lib/brokers.ts';
import {
  portPlan,
  replicaPorts,
  repoRoot,
  serviceNames,
  startSystem as start,
  type Broker,
  type RunningSystem,
  type ServiceName,
} from '../../scripts/lib/system.ts';
import { instantSimulation, oneAddressForAllClients } from '../../scripts/lib/simulation.ts';

export type { Broker, RunningSystem };
export { instantSimulation, oneAddressForAllClients };

export interface TestSystemOptions {
  broker: Broker;
  /** First of a block of 50 loopback ports this system may use. */
  basePort: number;
  env?: Record<string, string>;
  /** How many replicas of each service run (default one; see `replicaPorts` for their ports). */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Where the launcher says that it restarts a process (see SystemOptions.report). */
  report?: (line: string) => void;
  /** The part of the brokers the system uses (default: the tests'). */
  partition?: PartitionName;
  /** Redis (state, and pub/sub on Redis) and RabbitMQ of the test's own, instead of the machine's. */
  redisHost?: string;
  rabbitmqUrl?: string;
  /** A directory read instead of dapr/resources (see SystemOptions.daprResourcesDir). */
  daprResourcesDir?: string;
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
  const extraReplicas = Object.fromEntries(
    serviceNames.map((name) => [
      name,
      Array.from({ length: Math.max(1, options.replicas?.[name] ?? 1) - 1 }, (_, i) => replicaPorts(options.basePort, name, i + 1)),
    ]),
  );
  return start({
    broker: options.broker,
    ports: portPlan(options.basePort),
    extraReplicas,
    env: { ...instantSimulation, ...oneAddressForAllClients, STATIC_DIR: join(repoRoot, 'frontend', 'dist'), ...options.env },
    output: { dir: join(repoRoot, 'test-results', 'logs', `${options.broker}-${options.basePort}`) },
    name: `test-${options.basePort}`,
    ...brokers,
    ...(options.report ? { report: options.report } : {}),
    ...(options.daprResourcesDir ? { daprResourcesDir: options.daprResourcesDir } : {}),
  });
}
