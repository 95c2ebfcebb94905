import { join } from 'node:path';
import { emptyRedisDatabase, partitionAddresses, type PartitionName } from './brokers.ts';
import { instantSimulation, oneAddressForAllClients } from './simulation.ts';
import {
  portPlan,
  replicaPorts,
  repoRoot,
  serviceNames,
  startSystem,
  type Broker,
  type RunningSystem,
  type ServiceName,
} from './system.ts';

export interface FreshSystemOptions {
  broker: Broker;
  /** First of a block of 50 loopback ports this system may use. */
  basePort: number;
  /** The part of the brokers the system uses (see `partitions`). */
  partition: PartitionName;
  /** Names the system's working directory (see `SystemOptions.name`). */
  name: string;
  /** Where each process's log goes. */
  logsDir: string;
  /** Over the instant simulation every fresh system has. */
  env?: Record<string, string>;
  /** How many replicas of each service run (default one; see `replicaPorts` for their ports). */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Where the launcher says that it restarts a process (see SystemOptions.report). */
  report?: (line: string) => void;
  /** Redis (state, and pub/sub on Redis) and RabbitMQ of the caller's own, instead of the machine's. */
  redisHost?: string;
  rabbitmqUrl?: string;
  /** A directory read instead of dapr/resources (see SystemOptions.daprResourcesDir). */
  daprResourcesDir?: string;
  /** Configuration files every daprd reads over dapr/config.yaml (see SystemOptions.daprConfigOverlays). */
  daprConfigOverlays?: string[];
}

/**
 * Starts the real system as on a fresh broker, for a test, the chaos suite or anything else that
 * judges what it does: real daprd sidecars and services with every simulated delay at zero, on the
 * machine's Redis and RabbitMQ in `partition` (or the caller's own brokers), its Redis database
 * emptied first, whatever ran there before.
 */
export async function startFreshSystem(options: FreshSystemOptions): Promise<RunningSystem> {
  const brokers = await partitionAddresses(options.partition);
  if (options.redisHost) brokers.redisHost = options.redisHost;
  if (options.rabbitmqUrl) brokers.rabbitmqUrl = options.rabbitmqUrl;
  await emptyRedisDatabase(brokers.redisHost, brokers.redisDb);
  const extraReplicas = Object.fromEntries(
    serviceNames.map((name) => [
      name,
      Array.from({ length: Math.max(1, options.replicas?.[name] ?? 1) - 1 }, (_, i) => replicaPorts(options.basePort, name, i + 1)),
    ]),
  );
  return startSystem({
    broker: options.broker,
    ports: portPlan(options.basePort),
    extraReplicas,
    env: { ...instantSimulation, ...oneAddressForAllClients, STATIC_DIR: join(repoRoot, 'frontend', 'dist'), ...options.env },
    output: { dir: options.logsDir },
    name: options.name,
    ...brokers,
    ...(options.report ? { report: options.report } : {}),
    ...(options.daprResourcesDir ? { daprResourcesDir: options.daprResourcesDir } : {}),
    ...(options.daprConfigOverlays ? { daprConfigOverlays: options.daprConfigOverlays } : {}),
  });
}
