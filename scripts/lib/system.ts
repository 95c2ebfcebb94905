import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { RunningObservability } from './observability.ts';
import { serviceNames, type ServiceName, type ServicePorts } from './ports.ts';

/** The repository root, whatever the caller's working directory. */
export const repoRoot = resolve(import.meta.dirname, '../..');

export type Broker = 'redis' | 'rabbitmq';
export * from './ports.ts';
export interface SystemOptions {
  broker: Broker;
  /** Ports per service; see `portPlan`. */
  ports: Record<ServiceName, ServicePorts>;
  /** Replicas beyond the first, by service: the ports of each (see `replicaPorts`). */
  extraReplicas?: Partial<Record<ServiceName, ServicePorts[]>>;
  /** Environment for every app (simulation settings, log level). */
  env?: Record<string, string>;
  /** Where process output goes: a directory of log files, or the launcher's own terminal. */
  output: { dir: string } | 'inherit';
  daprdPath?: string;
  /** Dapr Configuration files read over dapr/config.yaml, in order (daprd applies each over the one before). */
  daprConfigOverlays?: string[];
  /** A directory read instead of dapr/resources (the Resiliency policy): tests that need retries to run out soon. */
  daprResourcesDir?: string;
  redisHost?: string;
  /** The Redis database for state and streams (default 0). */
  redisDb?: number;
  rabbitmqUrl?: string;
  /** How long to wait for every service to become ready. */
  readyTimeoutMs?: number;
  /** Names this system's working directory (`.cache/run/<name>`); distinct systems need distinct names. */
  name?: string;
  /** Restart an app or sidecar that exits on its own (default true), as Compose and Kubernetes would. */
  supervise?: boolean;
  /** Where the supervisor says what it does; defaults to the terminal (stderr). */
  report?: (line: string) => void;
  /** The Jaeger and Prometheus this system reports to (see `launchSystem`): stopped after the system. */
  observability?: RunningObservability;
}

type Role = 'app' | 'sidecar';

interface Instance {
  name: ServiceName;
  replica: number;
  label: string;
  ports: ServicePorts;
  /** Fresh for every run: app → sidecar (`DAPR_API_TOKEN`) and sidecar → app (`APP_API_TOKEN`). */
  tokens: { dapr: string; app: string };
  app?: ChildProcess;
  sidecar?: ChildProcess;
  /** Unexpected exits in a row, per role, for the restart back-off. */
  failures: Record<Role, number>;
}

/** A secret nobody can guess, new at every start. */
const newToken = () => randomBytes(32).toString('hex');

/**
 * A running SweetGiggles: every service as a Node process with its own real daprd sidecar, on the
 * chosen broker. Used by `npm start`, the tests and the benchmark.
 */
export class RunningSystem {
  readonly options: SystemOptions;
  readonly #instances: Instance[];
  #stopped = false;
  readonly #killAll = () => {
    for (const child of this.#instances.flatMap((i) => [i.app, i.sidecar])) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };

  constructor(options: SystemOptions) {
    this.options = options;
    // Children run in their own process groups, so they would outlive a launcher that exits without
    // stopping them (an uncaught error, a test runner torn down): take them along.
    process.once('exit', this.#killAll);
    const instance = (name: ServiceName, replica: number, ports: ServicePorts): Instance => ({
      name,
      replica,
      label: replica ? `${name}-${replica}` : name,
      ports,
      tokens: { dapr: newToken(), app: newToken() },
      failures: { app: 0, sidecar: 0 },
    });
    this.#instances = [
      ...serviceNames.map((name) => instance(name, 0, options.ports[name])),
      ...serviceNames.flatMap((name) => (options.extraReplicas?.[name] ?? []).map((ports, i) => instance(name, i + 1, ports))),
    ];
  }

  /** The Jaeger and Prometheus this system reports to, when it was launched with them. */
  get observability(): RunningObservability | undefined {
    return this.options.observability;
  }

  get shopUrl(): string {
    return `http://127.0.0.1:${this.options.ports.notifier.app}`;
  }

  /** Every notifier replica's URL, the first being `shopUrl`. */
  get notifierUrls(): string[] {
    return this.#instances.filter((i) => i.name === 'notifier').map((i) => `http://127.0.0.1:${i.ports.app}`);
  }

  /** The sidecar HTTP API of a service (its first replica). */
  sidecarUrl(name: ServiceName): string {
    return `http://127.0.0.1:${this.options.ports[name].daprHttp}`;
  }

  appUrl(name: ServiceName): string {
    return `http://127.0.0.1:${this.options.ports[name].app}`;
  }

  /** Where a service's sidecar calls it: the notifier's internal port, the app's port for the others. */
  sidecarAppUrl(name: ServiceName, replica = 0): string {
    const { ports } = this.#instance(name, replica);
    return `http://127.0.0.1:${ports.appInternal ?? ports.app}`;
  }

  /** The headers a caller needs for a service's sidecar API: its Dapr API token. */
  sidecarHeaders(name: ServiceName, replica = 0): Record<string, string> {
    return { 'dapr-api-token': this.#instance(name, replica).tokens.dapr };
  }

  /** The headers a service's sidecar sends its app (the app API token): for tests that stand in for a sidecar. */
  appApiHeaders(name: ServiceName, replica = 0): Record<string, string> {
    return { 'dapr-api-token': this.#instance(name, replica).tokens.app };
  }

  /** The process id of a service's app or sidecar, while it runs. */
  pid(name: ServiceName, role: Role = 'app', replica = 0): number | undefined {
    return this.#instance(name, replica)[role]?.pid;
  }

  /** The processes running now, by label (`order`, `order-daprd`, …): what the benchmark measures the CPU time of. */
  get processes(): { label: string; kind: 'app' | 'sidecar'; pid: number }[] {
    return this.#instances.flatMap(({ label, app, sidecar }) => [
      ...(app?.pid ? [{ label, kind: 'app' as const, pid: app.pid }] : []),
      ...(sidecar?.pid ? [{ label: `${label}-daprd`, kind: 'sidecar' as const, pid: sidecar.pid }] : []),
    ]);
  }

  async start(): Promise<void> {
    for (const instance of this.#instances) this.#launch(instance, 'both');
    await Promise.all(this.#instances.map((instance) => this.#waitReady(instance)));
  }

  /** Kills a service's app process (not its sidecar) with SIGKILL, as a crash would. */
  async crash(name: ServiceName, replica = 0): Promise<void> {
    const instance = this.#instance(name, replica);
    const app = instance.app;
    instance.app = undefined;
    await stopProcess(app, 'SIGKILL', 5_000);
  }

  /** Stops a service's app gracefully (SIGTERM) and starts it again, keeping its sidecar. */
  async restart(name: ServiceName, replica = 0): Promise<void> {
    const instance = this.#instance(name, replica);
    const app = instance.app;
    instance.app = undefined;
    await stopProcess(app, 'SIGTERM', 15_000);
    this.#launch(instance, 'app');
    await this.#waitReady(instance);
  }

  /** Starts a crashed app again, whether `crash` killed it or it died by itself. */
  async revive(name: ServiceName, replica = 0): Promise<void> {
    const instance = this.#instance(name, replica);
    const app = instance.app;
    if (!app || app.exitCode !== null || app.signalCode !== null) this.#launch(instance, 'app');
    await this.#waitReady(instance);
  }

  /** Whether `stop` has been called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops every app (SIGTERM, so they drain), then every sidecar. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(this.#instances.map((i) => stopProcess(i.app, 'SIGTERM', 15_000)));
    await Promise.all(this.#instances.map((i) => stopProcess(i.sidecar, 'SIGTERM', 10_000)));
    await this.options.observability?.stop();
    // Nothing is left to take along (and a process that starts many systems, as the chaos suite
    // does, would otherwise pile up listeners).
    process.off('exit', this.#killAll);
  }

  #instance(name: ServiceName, replica: number): Instance {
    const found = this.#instances.find((i) => i.name === name && i.replica === replica);
    if (!found) throw new Error(`no ${name} replica ${replica}`);
    return found;
  }

  #launch(instance: Instance, what: 'both' | Role): void {
    if (what !== 'app') this.#launchSidecar(instance);
    if (what !== 'sidecar') this.#launchApp(instance);
  }

  /**
   * A daprd whose every listener (HTTP and gRPC API, internal gRPC, metrics) is on loopback, which
   * wants the Dapr API token from its app and sends the app API token to it.
   */
  #launchSidecar(instance: Instance): void {
    const { options } = this;
    const { ports, name, label } = instance;
    const daprd = options.daprdPath ?? join(homedir(), '.dapr', 'bin', 'daprd');
    const sidecar = this.#spawn(
      `${label}-daprd`,
      daprd,
      [
        '--app-id',
        name,
        '--app-port',
        String(ports.appInternal ?? ports.app),
        '--app-channel-address',
        '127.0.0.1',
        '--dapr-listen-addresses',
        '127.0.0.1',
        '--dapr-internal-grpc-listen-address',
        '127.0.0.1',
        '--metrics-listen-address',
        '127.0.0.1',
        '--app-protocol',
        'http',
        '--dapr-http-port',
        String(ports.daprHttp),
        '--dapr-grpc-port',
        String(ports.daprGrpc),
        '--dapr-internal-grpc-port',
        String(ports.daprInternalGrpc),
        '--metrics-port',
        String(ports.daprMetrics),
        '--resources-path',
        join(repoRoot, 'components', 'common'),
        '--resources-path',
        join(repoRoot, 'components', options.broker),
        '--resources-path',
        options.daprResourcesDir ?? join(repoRoot, 'dapr', 'resources'),
        '--config',
        join(repoRoot, 'dapr', 'config.yaml'),
        ...(options.daprConfigOverlays ?? []).flatMap((overlay) => ['--config', overlay]),
        '--log-level',
        'warn',
        '--enable-app-health-check',
        '--app-health-check-path',
        '/healthz',
      ],
      {
        REDIS_HOST: options.redisHost ?? '127.0.0.1:6379',
        REDIS_DB: String(options.redisDb ?? 0),
        RABBITMQ_URL: options.rabbitmqUrl ?? 'amqp://guest:guest@127.0.0.1:5672',
        DAPR_API_TOKEN: instance.tokens.dapr,
        APP_API_TOKEN: instance.tokens.app,
        // The address daprd registers for the other sidecars: its internal gRPC is on loopback, so
        // that is it (and daprd need not guess one from the machine's interfaces, of which there may
        // be none but loopback).
        DAPR_HOST_IP: '127.0.0.1',
      },
    );
    instance.sidecar = sidecar;
    this.#supervise(instance, 'sidecar', sidecar);
  }

  #launchApp(instance: Instance): void {
    const { options } = this;
    const { ports, name, label } = instance;
    const app = this.#spawn(label, process.execPath, serviceCommand(name), {
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(ports.app),
      ...(ports.appInternal === undefined ? {} : { INTERNAL_PORT: String(ports.appInternal) }),
      DAPR_HTTP_PORT: String(ports.daprHttp),
      DAPR_API_TOKEN: instance.tokens.dapr,
      APP_API_TOKEN: instance.tokens.app,
    });
    instance.app = app;
    this.#supervise(instance, 'app', app);
  }

  /**
   * Starts an app or sidecar again when it exits while it should be running (a crash, a kill), after
   * a back-off that doubles with each exit in a row (0.5 s up to 30 s) and resets once it has stayed
   * up for a minute. Processes this class stops itself are detached first and left alone.
   */
  #supervise(instance: Instance, role: Role, child: ChildProcess): void {
    if (this.options.supervise === false) return;
    const started = Date.now();
    child.once('exit', (code, signal) => {
      if (this.#stopped || instance[role] !== child) return;
      if (Date.now() - started > 60_000) instance.failures[role] = 0;
      const backoffMs = Math.min(30_000, 500 * 2 ** instance.failures[role]);
      instance.failures[role] += 1;
      const what = role === 'app' ? instance.label : `${instance.label}'s daprd`;
      const report = this.options.report ?? ((line: string) => console.error(line));
      report(`${what} exited unexpectedly (${signal ?? `code ${code}`}); starting it again in ${backoffMs / 1000} s`);
      setTimeout(() => {
        if (this.#stopped || instance[role] !== child) return;
        this.#launch(instance, role);
      }, backoffMs).unref();
    });
  }

  /**
   * The sidecars' working directory: it holds their name-resolution database, so each system finds
   * only its own services.
   */
  get runDir(): string {
    return join(repoRoot, '.cache', 'run', this.options.name ?? 'default');
  }

  #spawn(label: string, command: string, args: string[], env: Record<string, string>): ChildProcess {
    const output = this.options.output;
    mkdirSync(this.runDir, { recursive: true });
    const child = spawn(command, args, {
      cwd: this.runDir,
      env: { ...process.env, ...env },
      stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops
      // the apps first (so they drain) and their sidecars after.
      detached: true,
    });
    if (output !== 'inherit') {
      mkdirSync(output.dir, { recursive: true });
      const file = createWriteStream(join(output.dir, `${label}.log`), { flags: 'a' });
      child.stdout?.pipe(file);
      child.stderr?.pipe(file);
    }
    return child;
  }

  async #waitReady(instance: Instance): Promise<void> {
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 60_000);
    const label = instance.label;
    while (Date.now() < deadline) {
      if (instance.app?.exitCode != null) throw new Error(`${label} exited with code ${instance.app.exitCode} while starting`);
      if (instance.sidecar?.exitCode != null)
        throw new Error(`${label}'s daprd exited with code ${instance.sidecar.exitCode} while starting`);
      const sidecar = `http://127.0.0.1:${instance.ports.daprHttp}`;
      if (
        (await isOk(`http://127.0.0.1:${instance.ports.app}/readyz`)) &&
        (await isOk(`${sidecar}/v1.0/healthz`)) &&
        // A sidecar takes its app for unhealthy until one of its health probes passes, and until then
        // refuses every call to it. Its first probe comes as soon as the app's port opens and may
        // time out on a loaded machine; the next one is 5 s later. Its app, called through it, answers
        // once it is past that.
        (await isOk(`${sidecar}/v1.0/invoke/${instance.name}/method/healthz`, { 'dapr-api-token': instance.tokens.dapr }))
      )
        return;
      await delay(250);
    }
    throw new Error(`${label} was not ready within ${this.options.readyTimeoutMs ?? 60_000} ms`);
  }
}

/**
 * How a service's Node process starts, here as in every run mode: OpenTelemetry is loaded first
 * (`--import`), so that its instrumentations see Express and http load.
 */
export function serviceCommand(name: ServiceName): string[] {
  return [
    '--import',
    pathToFileURL(join(repoRoot, 'services', 'platform', 'src', 'instrumentation.ts')).href,
    join(repoRoot, 'services', name, 'src', 'main.ts'),
  ];
}

async function isOk(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts a whole system and waits until every service is ready; stops what it started if that fails. */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const system = new RunningSystem(options);
  try {
    await system.start();
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}
