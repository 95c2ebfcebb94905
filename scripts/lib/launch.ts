import { join } from 'node:path';
import {
  brokerAddresses,
  emptyRabbitmqQueues,
  emptyRedisDatabase,
  partitionAddresses,
  partitions,
  rabbitmqUrlIn,
  type PartitionName,
} from './brokers.ts';
import { scrapeTargetsOf, startObservability, type ObservabilityPorts, type RunningObservability } from './observability.ts';
import { instantSimulation, oneAddressForAllClients } from './simulation.ts';
import {
  portPlan,
  replicaPorts,
  repoRoot,
  serviceNames,
  standardPorts,
  startSystem,
  type Broker,
  type RunningSystem,
  type ServiceName,
  type ServicePorts,
} from './system.ts';

export interface LaunchOptions {
  broker: Broker;
  /** First of a block of 50 loopback ports (see `portPlan`); without it, the standard ports of `npm start`. */
  basePort?: number;
  /**
   * The part of the shared brokers the system uses (see `partitions`), whose Redis database (and, on
   * RabbitMQ, the durable queues of its virtual host) is emptied first, so the system starts as on a
   * fresh broker. Without it, the shop's brokers as REDIS_HOST and RABBITMQ_URL say, kept as they are.
   */
  partition?: PartitionName;
  /** Redis (state, and pub/sub on Redis) and RabbitMQ of the caller's own, instead of the partition's. */
  redisHost?: string;
  rabbitmqUrl?: string;
  /**
   * `instant` (the default): every simulated delay at zero, no declines or aborts, and the WebSocket's
   * per-address limits raised for clients that all come from loopback, for whatever judges or measures
   * the system. `realistic`: the demo's delays and chances, the shop's limits.
   */
  simulation?: 'instant' | 'realistic';
  /** Environment for every app, over the simulation's. */
  env?: Record<string, string>;
  /** How many replicas of each service run (default one; see `replicaPorts` for their ports). */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Names the system's working directory (see `SystemOptions.name`). */
  name?: string;
  /** Where each process's log goes. */
  logsDir: string;
  /** A directory read instead of dapr/resources (see `SystemOptions.daprResourcesDir`). */
  daprResourcesDir?: string;
  /** Configuration files every daprd reads over dapr/config.yaml (see `SystemOptions.daprConfigOverlays`). */
  daprConfigOverlays?: string[];
  /** Where the launcher says that it restarts a process (see `SystemOptions.report`). */
  report?: (line: string) => void;
  /**
   * Also starts a Jaeger and a Prometheus for this system: every app and sidecar sends its spans to
   * that Jaeger, the notifier reads orders' traces back from it, and Prometheus scrapes every app and
   * sidecar. Both stop with the system.
   */
  observability?: { dataDir: string; ports?: ObservabilityPorts; scrapeInterval?: string };
}

/**
 * Starts the real system, the one way every caller does (`npm start`, the tests, the benchmark, the
 * chaos runs): each service as a Node process with its own real daprd, on the chosen broker, and
 * waits until every one is ready. Stops whatever it started when that fails.
 */
export async function launchSystem(options: LaunchOptions): Promise<RunningSystem> {
  const brokers = await brokersFor(options);
  const ports = options.basePort === undefined ? standardPorts() : portPlan(options.basePort);
  const extraReplicas = replicasBeyondTheFirst(options);
  const observability = options.observability
    ? await startObservability({
        targets: scrapeTargetsOf(ports, Object.values(extraReplicas).flat()),
        dataDir: options.observability.dataDir,
        ...(options.observability.ports ? { ports: options.observability.ports } : {}),
        ...(options.observability.scrapeInterval ? { scrapeInterval: options.observability.scrapeInterval } : {}),
      })
    : undefined;
  const simulation = options.simulation === 'realistic' ? {} : { ...instantSimulation, ...oneAddressForAllClients };
  try {
    return await startSystem({
      broker: options.broker,
      ports,
      extraReplicas,
      env: { ...simulation, STATIC_DIR: join(repoRoot, 'frontend', 'dist'), ...tracingEnv(observability), ...options.env },
      output: { dir: options.logsDir },
      ...brokers,
      ...(options.name ? { name: options.name } : {}),
      ...(options.report ? { report: options.report } : {}),
      ...(options.daprResourcesDir ? { daprResourcesDir: options.daprResourcesDir } : {}),
      daprConfigOverlays: [...(options.daprConfigOverlays ?? []), ...(observability ? [observability.daprConfigPath] : [])],
      ...(observability ? { observability } : {}),
    });
  } catch (error) {
    await observability?.stop();
    throw error;
  }
}

async function brokersFor(options: LaunchOptions): Promise<{ redisHost: string; redisDb: number; rabbitmqUrl: string }> {
  if (options.partition === undefined) {
    return {
      redisHost: options.redisHost ?? brokerAddresses.redis,
      redisDb: 0,
      rabbitmqUrl: options.rabbitmqUrl ?? brokerAddresses.rabbitmq,
    };
  }
  const brokers = await partitionAddresses(options.partition);
  if (options.redisHost) brokers.redisHost = options.redisHost;
  if (options.rabbitmqUrl) brokers.rabbitmqUrl = options.rabbitmqUrl;
  await emptyRedisDatabase(brokers.redisHost, brokers.redisDb);
  // The partition's own virtual host only: where it is missing, the system shares the shop's queues.
  const { rabbitmqVhost } = partitions[options.partition];
  if (options.broker === 'rabbitmq' && rabbitmqVhost !== '/' && brokers.rabbitmqUrl === rabbitmqUrlIn(rabbitmqVhost)) {
    await emptyRabbitmqQueues(brokers.rabbitmqUrl);
  }
  return brokers;
}

function replicasBeyondTheFirst(options: LaunchOptions): Partial<Record<ServiceName, ServicePorts[]>> {
  const { basePort, replicas } = options;
  if (basePort === undefined) {
    if (Object.values(replicas ?? {}).some((count) => count > 1)) throw new Error('replicas need a block of ports: give a basePort');
    return {};
  }
  return Object.fromEntries(
    serviceNames.map((name) => [
      name,
      Array.from({ length: Math.max(1, replicas?.[name] ?? 1) - 1 }, (_, i) => replicaPorts(basePort, name, i + 1)),
    ]),
  );
}

/** Where the apps send their spans, and where the notifier reads an order's trace back for the storefront's waterfall. */
function tracingEnv(observability: RunningObservability | undefined): Record<string, string> {
  return observability ? { OTEL_EXPORTER_OTLP_ENDPOINT: observability.otlpEndpoint, JAEGER_QUERY_URL: observability.jaegerUrl } : {};
}
