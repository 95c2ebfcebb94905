import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { repoRoot, stopProcess, type ServiceName, type ServicePorts } from './system.ts';

/**
 * The loopback ports of a local Jaeger and Prometheus; 0 lets the kernel pick a free one. Jaeger's
 * other listeners (its legacy collector protocols, query gRPC, admin) always take a free port: nothing
 * here uses them.
 */
export interface ObservabilityPorts {
  /** Jaeger's OTLP/HTTP receiver: where the services and daprd send spans. */
  otlpHttp: number;
  otlpGrpc: number;
  /** Jaeger's UI and query API (`/api/traces`, `/api/services`). */
  jaegerQuery: number;
  prometheus: number;
}

/**
 * The usual ports: Jaeger's defaults, and Prometheus on 9099 because `npm start` gives the sidecars'
 * metrics 9090 to 9093.
 */
export function standardObservabilityPorts(): ObservabilityPorts {
  return { otlpHttp: 4318, otlpGrpc: 4317, jaegerQuery: 16686, prometheus: 9099 };
}

/**
 * Three consecutive ports from `base` (OTLP/HTTP, Jaeger's query API, Prometheus), for tests. Keep
 * them below Linux's ephemeral range (32768-60999), where a closed client socket in TIME-WAIT can
 * hold a port for a minute.
 */
export function observabilityPortPlan(base: number): ObservabilityPorts {
  return { otlpHttp: base, jaegerQuery: base + 1, prometheus: base + 2, otlpGrpc: 0 };
}

/** What Prometheus scrapes, as `host:port`: the apps' `/metrics` and the sidecars' metrics ports. */
export interface ScrapeTargets {
  services: string[];
  sidecars: string[];
}

/** The scrape targets of a system started with these ports (see `RunningSystem.options.ports`). */
export function scrapeTargetsOf(ports: Record<ServiceName, ServicePorts>, extraReplicas: ServicePorts[] = []): ScrapeTargets {
  const all = [...Object.values(ports), ...extraReplicas];
  return {
    // An app's metrics are where its sidecar calls it: the notifier's internal port, not the shop's.
    services: all.map((p) => `127.0.0.1:${p.appInternal ?? p.app}`),
    sidecars: all.map((p) => `127.0.0.1:${p.daprMetrics}`),
  };
}

export interface ObservabilityOptions {
  targets: ScrapeTargets;
  /** Defaults to `standardObservabilityPorts()`. */
  ports?: ObservabilityPorts;
  /** Generated configuration, Prometheus's database and the logs go here. */
  dataDir: string;
  /** How often Prometheus scrapes (a Prometheus duration); defaults to the template's 5s. */
  scrapeInterval?: string;
  /** Defaults to `findObservabilityTools()`. */
  jaegerPath?: string;
  prometheusPath?: string;
  readyTimeoutMs?: number;
}

export interface RunningObservability {
  /** Jaeger's UI and query API. */
  jaegerUrl: string;
  prometheusUrl: string;
  /** The OTLP/HTTP base URL for the services' `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  otlpEndpoint: string;
  /**
   * A Dapr Configuration overlay that points daprd's tracing at this Jaeger: pass it as a second
   * `--config` after dapr/config.yaml (standalone daprd applies each file over the one before).
   */
  daprConfigPath: string;
  /** Where Jaeger's and Prometheus's output goes (`jaeger.log`, `prometheus.log`). */
  logDir: string;
  /** Stops Prometheus and Jaeger (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  stop(): Promise<void>;
}

/** Where the install script puts Jaeger, and where to look for both tools. */
export function findObservabilityTools(): { jaeger?: string; prometheus?: string } {
  const cacheHome = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const binDir = process.env.SWEETGIGGLES_BIN_DIR ?? join(cacheHome, 'sweetgiggles', 'bin');
  return {
    jaeger: firstExecutable([process.env.JAEGER_BIN, join(binDir, 'jaeger-all-in-one'), ...onPath('jaeger-all-in-one')]),
    prometheus: firstExecutable([process.env.PROMETHEUS_BIN, ...onPath('prometheus')]),
  };
}

/**
 * Starts Jaeger all-in-one (in-memory) and Prometheus as child processes on loopback ports, and
 * waits until both answer. Fails with a readable message when a tool is missing, a port is taken,
 * or a process exits or stays unready past the timeout; stops whatever it had started then.
 */
export async function startObservability(options: ObservabilityOptions): Promise<RunningObservability> {
  const ports = options.ports ?? standardObservabilityPorts();
  const tools = findObservabilityTools();
  const jaegerPath = options.jaegerPath ?? tools.jaeger;
  const prometheusPath = options.prometheusPath ?? tools.prometheus;
  if (!jaegerPath || !prometheusPath) {
    const missing = [jaegerPath ? undefined : 'Jaeger all-in-one', prometheusPath ? undefined : 'Prometheus'].filter(Boolean).join(' and ');
    throw new Error(`${missing} not installed: run bash scripts/install-observability.sh`);
  }
  const taken = [];
  for (const [name, port] of Object.entries(ports)) if (port !== 0 && !(await isPortFree(port))) taken.push(`${name} ${port}`);
  if (taken.length) throw new Error(`ports already in use (another Jaeger or Prometheus running?): ${taken.join(', ')}`);

  const logDir = join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const prometheusConfig = join(options.dataDir, 'prometheus.yml');
  writeFileSync(prometheusConfig, prometheusConfigFor(options.targets, ports, options.scrapeInterval));
  const daprConfigPath = join(options.dataDir, 'dapr-tracing.yaml');
  writeFileSync(daprConfigPath, daprTracingOverlay(ports.otlpHttp));

  const loopback = (port: number) => `127.0.0.1:${port}`;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGTERM', 10_000)));
  };
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  try {
    const jaeger = launch(
      jaegerPath,
      [
        `--collector.otlp.http.host-port=${loopback(ports.otlpHttp)}`,
        `--collector.otlp.grpc.host-port=${loopback(ports.otlpGrpc)}`,
        `--collector.grpc-server.host-port=${loopback(0)}`,
        `--collector.http-server.host-port=${loopback(0)}`,
        `--query.http-server.host-port=${loopback(ports.jaegerQuery)}`,
        `--query.grpc-server.host-port=${loopback(0)}`,
        `--admin.http.host-port=${loopback(0)}`,
        '--memory.max-traces=50000',
        '--log-level=warn',
      ],
      join(logDir, 'jaeger.log'),
      // Jaeger traces itself to localhost:4317 by default: no such spans (nor a 10 s wait on exit
      // to flush them when that port is not its own).
      { SPAN_STORAGE_TYPE: 'memory', OTEL_TRACES_SAMPLER: 'always_off' },
    );
    children.push(jaeger);
    const prometheus = launch(
      prometheusPath,
      [
        `--config.file=${prometheusConfig}`,
        `--storage.tsdb.path=${join(options.dataDir, 'prometheus-data')}`,
        '--storage.tsdb.retention.time=1d',
        `--web.listen-address=${loopback(ports.prometheus)}`,
        '--log.level=warn',
      ],
      join(logDir, 'prometheus.log'),
    );
    children.push(prometheus);

    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    await Promise.all([
      // Ready when both its query API and its OTLP receiver answer (an empty batch of spans).
      waitReady('Jaeger', jaeger, `http://${loopback(ports.jaegerQuery)}/api/services`, join(logDir, 'jaeger.log'), timeoutMs),
      waitReady('Jaeger', jaeger, `http://${loopback(ports.otlpHttp)}/v1/traces`, join(logDir, 'jaeger.log'), timeoutMs, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
      waitReady('Prometheus', prometheus, `http://${loopback(ports.prometheus)}/-/ready`, join(logDir, 'prometheus.log'), timeoutMs),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    jaegerUrl: `http://${loopback(ports.jaegerQuery)}`,
    prometheusUrl: `http://${loopback(ports.prometheus)}`,
    otlpEndpoint: `http://${loopback(ports.otlpHttp)}`,
    daprConfigPath,
    logDir,
    stop,
  };
}

/**
 * The Prometheus configuration for these targets: `observability/prometheus.local.yml` with each
 * job's targets replaced (jobs `services`, `dapr-sidecars`, `prometheus`) and its rule files found
 * where they are (the copy lives elsewhere).
 */
export function prometheusConfigFor(targets: ScrapeTargets, ports: ObservabilityPorts, scrapeInterval?: string): string {
  const config = parse(readFileSync(join(repoRoot, 'observability', 'prometheus.local.yml'), 'utf8')) as PrometheusConfig;
  if (config.rule_files) config.rule_files = config.rule_files.map((file) => resolve(repoRoot, 'observability', file));
  if (scrapeInterval) config.global = { ...config.global, scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval };
  const byJob: Record<string, string[]> = {
    services: targets.services,
    'dapr-sidecars': targets.sidecars,
    prometheus: [`127.0.0.1:${ports.prometheus}`],
  };
  for (const job of config.scrape_configs) {
    const jobTargets = byJob[job.job_name];
    if (!jobTargets) throw new Error(`observability/prometheus.local.yml: unexpected job ${job.job_name}`);
    job.static_configs = [{ targets: jobTargets }];
  }
  return stringify(config);
}

interface PrometheusConfig {
  global?: Record<string, string>;
  rule_files?: string[];
  scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[];
}

/** A Dapr Configuration overlay that sends daprd's spans to `127.0.0.1:<otlpHttp>` over OTLP/HTTP. */
export function daprTracingOverlay(otlpHttp: number): string {
  return stringify({
    apiVersion: 'dapr.io/v1alpha1',
    kind: 'Configuration',
    metadata: { name: 'sweetgiggles' },
    spec: { tracing: { samplingRate: '1', otel: { endpointAddress: `127.0.0.1:${otlpHttp}`, isSecure: false, protocol: 'http' } } },
  });
}

function launch(command: string, args: string[], logFile: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like the services: a Ctrl-C reaches the launcher, which stops it.
    detached: true,
  });
  const file = createWriteStream(logFile, { flags: 'a' });
  child.stdout?.pipe(file);
  child.stderr?.pipe(file);
  return child;
}

async function waitReady(
  name: string,
  child: ChildProcess,
  url: string,
  logFile: string,
  timeoutMs: number,
  init: RequestInit = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode} while starting:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`${name} was not ready within ${timeoutMs} ms (${url}):\n${tail(logFile)}`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

function onPath(name: string): string[] {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name));
}

function firstExecutable(candidates: (string | undefined)[]): string | undefined {
  return candidates.find((path) => {
    if (!path) return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
