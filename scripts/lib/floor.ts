import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import type { Attempt } from './measure.ts';
import { repoRoot, stopProcess, type Broker } from './system.ts';

/** The floor's app id, and the topic its hops travel on: its queue on RabbitMQ is `floor-floor`. */
export const floorAppId = 'floor';
export const floorTopic = 'floor';

/**
 * The floor the saga is measured against: one app that does no work, relaying a message through
 * `hops` pub/sub hops of its own daprd (each delivery publishes the next hop and answers SUCCESS once
 * the sidecar has published it, as a saga step does). Same daprd build, same pub/sub component and
 * Resiliency policy, same broker: what is left is the cost of Dapr and the broker themselves.
 */
export class Floor {
  readonly hops: number;
  readonly #ports: { app: number; http: number; grpc: number; metrics: number; internal: number };
  readonly #broker: Broker;
  readonly #env: Record<string, string>;
  readonly #pending = new Map<string, (at: number) => void>();
  #server?: Server;
  #daprd?: ChildProcess;

  constructor(options: { broker: Broker; basePort: number; hops: number; env: Record<string, string> }) {
    this.hops = options.hops;
    this.#broker = options.broker;
    this.#env = options.env;
    const base = options.basePort;
    this.#ports = { app: base, http: base + 1, grpc: base + 2, metrics: base + 3, internal: base + 4 };
  }

  get sidecarPid(): number | undefined {
    return this.#daprd?.pid;
  }

  get metricsUrl(): string {
    return `http://127.0.0.1:${this.#ports.metrics}/metrics`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        void this.#handle(req.method ?? 'GET', req.url ?? '/', body).then(([status, answer]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer));
        });
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#ports.app, '127.0.0.1', resolve));

    const dir = join(repoRoot, '.cache', 'bench', `floor-${this.#broker}`);
    const resources = join(dir, 'resources');
    mkdirSync(resources, { recursive: true });
    // The broker's own pub/sub component, unchanged but for who may use it: this app is not one of the shop's.
    const component = parse(readFileSync(join(repoRoot, 'components', this.#broker, 'pubsub.yaml'), 'utf8')) as {
      scopes?: string[];
      spec: { metadata: { name: string }[] };
    };
    delete component.scopes;
    component.spec.metadata = component.spec.metadata.filter((m) => !/^(publishingScopes|subscriptionScopes|allowedTopics)$/.test(m.name));
    writeFileSync(join(resources, 'pubsub.yaml'), stringify(component));
    writeFileSync(join(resources, 'resiliency.yaml'), readFileSync(join(repoRoot, 'dapr', 'resources', 'resiliency.yaml')));
    const log = createWriteStream(join(dir, 'daprd.log'), { flags: 'a' });
    this.#daprd = spawn(
      join(homedir(), '.dapr', 'bin', 'daprd'),
      [
        ...['--app-id', floorAppId, '--app-port', String(this.#ports.app), '--app-protocol', 'http'],
        ...['--dapr-http-port', String(this.#ports.http), '--dapr-grpc-port', String(this.#ports.grpc)],
        ...['--dapr-internal-grpc-port', String(this.#ports.internal), '--metrics-port', String(this.#ports.metrics)],
        ...['--resources-path', resources, '--config', join(repoRoot, 'dapr', 'config.yaml'), '--log-level', 'warn'],
        // On loopback, as the shop's sidecars are under the launcher.
        ...['--app-channel-address', '127.0.0.1', '--dapr-listen-addresses', '127.0.0.1'],
        ...['--dapr-internal-grpc-listen-address', '127.0.0.1', '--metrics-listen-address', '127.0.0.1'],
      ],
      { cwd: dir, env: { ...process.env, ...this.#env, DAPR_HOST_IP: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    this.#daprd.stdout?.pipe(log);
    this.#daprd.stderr?.pipe(log);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.#daprd.exitCode !== null) throw new Error(`the floor's daprd exited with ${this.#daprd.exitCode}; see ${dir}/daprd.log`);
      const ready = await fetch(`http://127.0.0.1:${this.#ports.http}/v1.0/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      await delay(250);
    }
    // The subscription is live once a chain makes it through.
    for (let i = 0; i < 40; i++) {
      const { endMs } = await this.chain(`warm-${i}`, 5_000);
      if (endMs !== undefined) return;
    }
    throw new Error(`the floor relay did not deliver; see ${dir}/daprd.log`);
  }

  /** Relays one chain through every hop; `endMs` is the time from its first publish to its last delivery. */
  async chain(id: string, timeoutMs: number): Promise<Attempt> {
    const startedAt = performance.now();
    const ended = new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.#pending.set(id, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
    const published = await this.#publish(id, 1);
    const requestMs = published ? performance.now() - startedAt : undefined;
    if (!published) this.#pending.get(id)?.(NaN);
    const at = await ended;
    return { requestMs, endMs: requestMs === undefined || at === undefined ? undefined : at - startedAt };
  }

  async stop(): Promise<void> {
    await stopProcess(this.#daprd, 'SIGTERM', 10_000);
    await new Promise((resolve) => (this.#server ? this.#server.close(resolve) : resolve(undefined)));
  }

  async #publish(id: string, hop: number): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.#ports.http}/v1.0/publish/pubsub/${floorTopic}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, hop }),
      });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  async #handle(method: string, url: string, body: string): Promise<[number, unknown]> {
    if (method === 'GET' && url === '/dapr/subscribe') return [200, [{ pubsubname: 'pubsub', topic: floorTopic, route: '/hop' }]];
    if (method === 'GET' && url === '/dapr/config') return [200, {}];
    if (method !== 'POST' || url !== '/hop') return [404, {}];
    const { data } = JSON.parse(body) as { data: { id: string; hop: number } };
    if (data.hop < this.hops) return [200, { status: (await this.#publish(data.id, data.hop + 1)) ? 'SUCCESS' : 'RETRY' }];
    this.#pending.get(data.id)?.(performance.now());
    this.#pending.delete(data.id);
    return [200, { status: 'SUCCESS' }];
  }
}
