import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { partitions } from '../../scripts/lib/brokers.ts';
import { commandOf, flagValues, loadCompose, volumesOf } from './lib/compose.ts';
import { daprResources, daprVersion } from './lib/dapr.ts';
import { freePort, start, waitFor, type Started } from './lib/processes.ts';
import { readYamlDocuments, repoPath, repoRoot, type JsonObject } from './lib/repo.ts';

/**
 * The compose sidecar's own command line, run by a real daprd of the version the image pins, on
 * this machine: the container paths are mapped back to the repository files they mount, the
 * ports moved to free ones, Redis and RabbitMQ are the machine's, and the app id resolves to this
 * host through a private /etc/hosts (as the compose network's DNS resolves it between containers).
 */
const daprd = process.env.DAPRD ?? join(homedir(), '.dapr', 'bin', 'daprd');
const daprdVersion = existsSync(daprd) ? spawnSync(daprd, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
const privateHosts = process.platform === 'linux' && spawnSync('unshare', ['-m', 'true']).status === 0;
const skipReason = daprdVersion !== daprVersion ? `daprd ${daprVersion} is not installed at ${daprd} (npm run setup builds it)` : undefined;

describe.skipIf(skipReason !== undefined).each(['redis', 'rabbitmq'] as const)(
  `the compose sidecar command on a real daprd ${skipReason ?? ''}`.trim() + ' (PUBSUB=%s)',
  (broker) => {
    const app = 'order';
    const project = loadCompose(['docker-compose.yml'], { PUBSUB: broker });
    const sidecarService = project.services[`${app}-dapr`]!;
    const spans: string[] = [];
    const appRequests: string[] = [];
    let collector: Server;
    let stubApp: Server;
    let sidecar: Started;
    let work: string;
    let ports: { app: number; http: number; grpc: number; internal: number; metrics: number; collector: number };

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'sweetgiggles-compose-sidecar-'));
      ports = {
        app: await freePort(),
        http: await freePort(),
        grpc: await freePort(),
        internal: await freePort(),
        metrics: await freePort(),
        collector: await freePort(),
      };

      // A stand-in OTLP/HTTP collector and a stand-in app.
      collector = createServer((req, res) => {
        spans.push(`${req.method} ${req.url}`);
        req.resume().on('end', () => res.end());
      }).listen(ports.collector, '127.0.0.1');
      stubApp = createServer((req, res) => {
        appRequests.push(`${req.method} ${req.url}`);
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/dapr/subscribe' ? '[]' : '{"ok":true}');
      }).listen(ports.app, '127.0.0.1');

      const command = commandOf(sidecarService).slice(1);
      const mounts = volumesOf(sidecarService);
      const hostPath = (target: string) => {
        const mount = mounts.find((m) => target === m.target || target.startsWith(`${m.target}/`))!;
        return repoPath(mount.source + target.slice(mount.target.length));
      };
      // What must move on a shared machine: ports, and the collector and resolver addresses, which
      // in compose are other containers. The compose variant is rewritten only there.
      const internalPort = flagValues(command, '--dapr-internal-grpc-port')[0]!;
      const overlay = readYamlDocuments('observability/dapr-compose.yaml')[0]!;
      const spec = overlay.spec as JsonObject;
      ((spec.tracing as JsonObject).otel as JsonObject).endpointAddress = `127.0.0.1:${ports.collector}`;
      const resolver = (spec.nameResolution as JsonObject).configuration as JsonObject;
      expect(resolver.format).toBe(`{appid}:${internalPort}`);
      resolver.format = `{appid}:${ports.internal}`;
      const overlayFile = join(work, 'config.compose.yaml');
      writeFileSync(overlayFile, stringify(overlay));

      const replacements: Record<string, string> = {
        '--app-port': String(ports.app),
        '--dapr-http-port': String(ports.http),
        '--dapr-internal-grpc-port': String(ports.internal),
        '--metrics-port': String(ports.metrics),
      };
      const mapValue = (flag: string, value: string): string => {
        if (flag in replacements) return replacements[flag]!;
        if (flag === '--config' && value === '/dapr/config.compose.yaml') return overlayFile;
        if (flag === '--config' || flag === '--resources-path') return hostPath(value);
        return value;
      };
      const takesValue = new Set([...Object.keys(replacements), '--config', '--resources-path']);
      const args = command.map((word, i) => (i > 0 && takesValue.has(command[i - 1]!) ? mapValue(command[i - 1]!, word) : word));
      args.push('--dapr-grpc-port', String(ports.grpc));

      const composeEnv = sidecarService.environment as JsonObject;
      const env = {
        PATH: process.env.PATH,
        REDIS_HOST: String(composeEnv.REDIS_HOST).replace(/^redis:/, '127.0.0.1:'),
        REDIS_PASSWORD: String(composeEnv.REDIS_PASSWORD),
        // A database of the tests', not the one Compose names (the shop's).
        REDIS_DB: String(partitions.deploymentChecks.redisDb),
        RABBITMQ_URL: String(composeEnv.RABBITMQ_URL).replace('@rabbitmq:', '@127.0.0.1:'),
        // In a container daprd registers the container's address; a test host may have no
        // interface but loopback, where daprd cannot find one ("could not determine host IP").
        DAPR_HOST_IP: '127.0.0.1',
      };
      if (privateHosts) {
        const hosts = join(work, 'hosts');
        writeFileSync(hosts, `127.0.0.1 localhost ${app}\n::1 localhost\n`);
        sidecar = start('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hosts, daprd, ...args], env, repoRoot);
      } else {
        sidecar = start(daprd, args, env, repoRoot);
      }
      await waitFor(
        async () => ((await fetch(`http://127.0.0.1:${ports.http}/v1.0/healthz`)).status === 204 ? true : undefined),
        30_000,
        () => `daprd did not become healthy:\n${sidecar.output().slice(-3000)}`,
      );
    }, 120_000);

    afterAll(async () => {
      await sidecar?.stop();
      collector?.close();
      stubApp?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('loads exactly the components the mounted directories hold for this app', async () => {
      // The metadata API is outside dapr/config.yaml's API allowlist: read what loaded from the log.
      const loaded = [...sidecar.output().matchAll(/Component loaded: (\S+) \(([^/)]+)\//g)].map(([, name, type]) => ({
        name: name!,
        type: type!,
      }));
      const metadata = { components: loaded };
      expect((await fetch(`http://127.0.0.1:${ports.http}/v1.0/metadata`)).ok).toBe(false);
      const expected = daprResources(broker)
        .map(({ resource }) => resource)
        .filter((r) => r.kind === 'Component' && (!Array.isArray(r.scopes) || r.scopes.includes(app)))
        .map((r) => `${String((r.metadata as JsonObject).name)} ${String((r.spec as JsonObject).type)}`);
      expect(metadata.components.map((c) => `${c.name} ${c.type}`).sort()).toEqual(expected.sort());
      expect(sidecar.output()).toContain('Initialized name resolution to nameformat');
    });

    it('serves its app with the app port and app id from the compose file', async () => {
      await waitFor(
        async () => (appRequests.includes('GET /dapr/subscribe') ? true : undefined),
        10_000,
        () => appRequests.join(', '),
      );
    });

    it('listens for other sidecars on every address, and for its app on loopback only', () => {
      // Other containers reach the internal gRPC port through the compose network.
      expect(sidecar.output()).toContain(`Internal gRPC server is running on :${ports.internal}`);
      expect(sidecar.output()).toContain(`HTTP server listening on TCP address: 127.0.0.1:${ports.http}`);
    });

    it.skipIf(!privateHosts)('finds an app id with the nameformat resolver and the fixed internal gRPC port', async () => {
      const response = await fetch(`http://127.0.0.1:${ports.http}/v1.0/invoke/${app}/method/hello`);
      expect(response.status, sidecar.output().slice(-2000)).toBe(200);
      expect(appRequests).toContain('GET /hello');
    });

    it("sends traces over plain OTLP/HTTP to the compose variant's collector (dapr/config.yaml's protocol and isSecure kept)", async () => {
      const publish = await fetch(`http://127.0.0.1:${ports.http}/v1.0/publish/pubsub/dead-letters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"check":true}',
      });
      expect(publish.status, await publish.text()).toBe(204);
      await waitFor(
        async () => (spans.includes('POST /v1/traces') ? true : undefined),
        20_000,
        () => `no spans: ${spans.join(', ')}`,
      );
    });

    it('serves its metrics on the metrics port Prometheus scrapes', async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${ports.metrics}/`)).text();
      expect(metrics).toContain('dapr_');
    });
  },
);
