import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  commandOf,
  composeSchemaValidator,
  dependenciesOf,
  flagValues,
  loadCompose,
  publishedPortsOf,
  volumesOf,
  type ComposeProject,
} from './lib/compose.ts';
import { daprResources, daprVersion, valueAt } from './lib/dapr.ts';
import { parseDockerfile, parseEnv } from './lib/dockerfile.ts';
import { isObject, parseYamlDocuments, readText, repoPath, type JsonObject } from './lib/repo.ts';

const brokers = ['redis', 'rabbitmq'] as const;
const base = (env: Record<string, string> = {}) => loadCompose(['docker-compose.yml'], env);
const validate = composeSchemaValidator();

/**
 * Each service's port for its sidecar, as its image sets it (Dockerfile stage `service-<name>`):
 * ENV INTERNAL_PORT for the notifier, whose PORT is the shop's, else ENV PORT.
 */
const imageEnv = new Map(
  parseDockerfile(readText('Dockerfile'))
    .stages.filter((stage) => stage.name?.startsWith('service-'))
    .map(
      (stage) =>
        [stage.name!.slice('service-'.length), new Map(stage.instructions.filter((i) => i.keyword === 'ENV').flatMap(parseEnv))] as const,
    ),
);
const imagePorts = new Map([...imageEnv].map(([app, env]) => [app, Number(env.get('INTERNAL_PORT') ?? env.get('PORT'))] as const));

/** The built services (the apps) and, for each, the sidecar whose network namespace it joins. */
function appsAndSidecars(project: ComposeProject): { app: string; sidecar: string; service: JsonObject; daprd: JsonObject }[] {
  return Object.entries(project.services)
    .filter(([, service]) => service.build !== undefined)
    .map(([app, service]) => {
      const sidecar = String(service.network_mode ?? '').replace(/^service:/, '');
      return { app, sidecar, service, daprd: project.services[sidecar] ?? {} };
    });
}

describe('docker-compose.yml', () => {
  it.each([{}, ...brokers.map((broker) => ({ PUBSUB: broker }))])('validates against the Compose specification schema with %o', (env) => {
    expect(validate(base(env).document)).toEqual([]);
  });

  it('is checked by a schema that catches mistakes (a misspelt key, a bad duration)', () => {
    const document = structuredClone(base().document);
    const order = (document.services as JsonObject).order as JsonObject;
    order.restrat = 'always';
    (order.healthcheck as JsonObject).interval = '5 seconds';
    const problems = validate(document).join('\n');
    expect(problems).toContain('restrat');
    expect(problems).toContain('/services/order/healthcheck/interval');
  });

  it('with the external-network override merged in, still validates and attaches the shop to that network', () => {
    const project = loadCompose(['docker-compose.yml', 'docker-compose.external-network.yml'], { EXTERNAL_NETWORK: 'proxy' });
    expect(validate(project.document)).toEqual([]);
    const networks = project.document.networks as JsonObject;
    const attached = Object.keys(project.services['notifier-dapr']!.networks as JsonObject);
    const external = attached.filter((name) => (networks[name] as JsonObject | undefined)?.external === true);
    expect(external).toHaveLength(1);
    expect((networks[external[0]!] as JsonObject).name).toBe('proxy');
    // The sidecar keeps its place on the project's own network, where the other sidecars find it.
    expect(attached).toContain('default');
  });

  it('refuses the external-network override without EXTERNAL_NETWORK, naming the variable', () => {
    expect(() => loadCompose(['docker-compose.yml', 'docker-compose.external-network.yml'])).toThrow(/EXTERNAL_NETWORK/);
  });

  it('builds the four services from the one Dockerfile, each with its own SERVICE', () => {
    const built = appsAndSidecars(base()).map(({ app, service }) => {
      const build = service.build as JsonObject;
      expect(build.context).toBe('.');
      return [app, (build.args as JsonObject).SERVICE];
    });
    expect(Object.fromEntries(built)).toEqual({ order: 'order', payment: 'payment', delivery: 'delivery', notifier: 'notifier' });
    for (const [app] of built) expect(imagePorts.has(String(app)), `Dockerfile stage service-${String(app)}`).toBe(true);
  });

  it('gives every service a daprd sidecar with its app id and app port, sharing one network namespace', () => {
    for (const { app, sidecar, daprd } of appsAndSidecars(base())) {
      expect(sidecar, `${app}'s network_mode`).toBe(`${app}-dapr`);
      expect(daprd.image, `${sidecar}'s image`).toBe(`daprio/daprd:${daprVersion}`);
      const command = commandOf(daprd);
      expect(command[0]).toBe('./daprd');
      expect(flagValues(command, '--app-id')).toEqual([app]);
      expect(flagValues(command, '--app-port')).toEqual([String(imagePorts.get(app))]);
      // The app calls its sidecar at DAPR_HOST:DAPR_HTTP_PORT (127.0.0.1 in the shared namespace).
      expect(flagValues(command, '--dapr-http-port')).toEqual([String((base().services[app]!.environment as JsonObject).DAPR_HTTP_PORT)]);
      // The sidecar owns the namespace, so other containers find the app id as a network alias.
      expect((((daprd.networks as JsonObject).default as JsonObject).aliases as string[]) ?? []).toContain(app);
    }
  });

  it('mounts the shared Dapr resources into every sidecar, read-only, and points daprd at them', () => {
    for (const broker of brokers) {
      for (const { sidecar, daprd } of appsAndSidecars(base({ PUBSUB: broker }))) {
        const mounts = volumesOf(daprd);
        const sourceOf = (target: string) => mounts.find((m) => m.target === target || target.startsWith(`${m.target}/`));
        const command = commandOf(daprd);
        const resourcePaths = flagValues(command, '--resources-path');
        const configs = flagValues(command, '--config');
        const sources = [...resourcePaths, ...configs].map((target) => {
          const mount = sourceOf(target);
          expect(mount, `${sidecar}: ${target} is mounted`).toBeDefined();
          expect(mount!.readOnly, `${sidecar}: ${target} is read-only`).toBe(true);
          return mount!.source.replace(/^\.\//, '') + target.slice(mount!.target.length);
        });
        expect(sources, sidecar).toEqual([
          'components/common',
          `components/${broker}`,
          'dapr/resources',
          'dapr/config.yaml',
          'observability/dapr-compose.yaml',
        ]);
        for (const source of sources.slice(0, 3)) expect(statSync(repoPath(source)).isDirectory(), source).toBe(true);
        for (const source of sources.slice(3)) expect(statSync(repoPath(source)).isFile(), source).toBe(true);
      }
    }
  });

  it('defaults the broker to Redis', () => {
    const daprd = base().services['order-dapr']!;
    expect(volumesOf(daprd).map((m) => m.source)).toContain('./components/redis');
  });

  it('fixes every sidecar internal gRPC port to the one the nameformat resolver dials', () => {
    for (const { sidecar, daprd } of appsAndSidecars(base())) {
      expect(flagValues(commandOf(daprd), '--dapr-internal-grpc-port'), sidecar).toEqual(['50002']);
    }
  });

  it('sets the environment the components read through envRef', () => {
    for (const broker of brokers) {
      const envRefs = new Set(
        daprResources(broker).flatMap(({ resource }) =>
          (((resource.spec as JsonObject | undefined)?.metadata as JsonObject[] | undefined) ?? []).flatMap((item) =>
            item.envRef ? [String(item.envRef)] : [],
          ),
        ),
      );
      expect(envRefs.size, broker).toBeGreaterThan(0);
      for (const { sidecar, daprd } of appsAndSidecars(base({ PUBSUB: broker }))) {
        const environment = daprd.environment as JsonObject;
        for (const name of envRefs) expect(environment, `${sidecar} sets ${name}`).toHaveProperty(name);
      }
    }
    const environment = base().services['order-dapr']!.environment as JsonObject;
    expect(environment.REDIS_HOST).toBe('redis:6379');
    expect(environment.RABBITMQ_URL).toBe('amqp://guest:guest@rabbitmq:5672');
  });

  it('pins every image it does not build to a version', () => {
    for (const [name, service] of Object.entries(base().services)) {
      if (service.build !== undefined) continue;
      const image = String(service.image);
      const tag = /^(?:[^/]+\/)*[^:/]+:([^:/@]+)$/.exec(image)?.[1];
      expect(tag, `${name}: ${image} has a tag`).toBeDefined();
      expect(tag, `${name}: ${image}`).not.toBe('latest');
      expect(tag, `${name}: ${image} names a version`).toMatch(/\d+\.\d+/);
    }
  });

  it('publishes no host port twice, and the shop on 8080', () => {
    const published = Object.entries(base().services).flatMap(([name, service]) => publishedPortsOf(service).map((p) => ({ name, ...p })));
    const seen = new Map<string, string>();
    for (const port of published) {
      // A port bound on every address collides with the same port on any single address.
      for (const key of [`${port.hostIp}:${port.hostPort}/${port.protocol}`, `*:${port.hostPort}/${port.protocol}`]) {
        const wildcard = port.hostIp === '0.0.0.0' || key.startsWith('*');
        if (!wildcard) continue;
        expect(seen.get(key), `${port.name} and ${seen.get(key)} both publish ${port.hostPort}`).toBeUndefined();
        seen.set(key, port.name);
      }
    }
    expect(published.filter((p) => p.hostPort === 8080)).toEqual([expect.objectContaining({ name: 'notifier-dapr', containerPort: 8080 })]);
  });

  it('has no port used twice inside a shared network namespace', () => {
    for (const { app, sidecar, daprd } of appsAndSidecars(base())) {
      const command = commandOf(daprd);
      // daprd's listeners: HTTP API, gRPC API (default 50001), internal gRPC, metrics.
      const ports = [
        ...new Set([imagePorts.get(app), Number(imageEnv.get(app)?.get('PORT'))]),
        Number(flagValues(command, '--dapr-http-port')[0] ?? 3500),
        Number(flagValues(command, '--dapr-grpc-port')[0] ?? 50001),
        Number(flagValues(command, '--dapr-internal-grpc-port')[0]),
        Number(flagValues(command, '--metrics-port')[0] ?? 9090),
      ];
      expect(new Set(ports).size, `${app} + ${sidecar}: ${ports.join(', ')}`).toBe(ports.length);
    }
  });

  it('gives every service a readiness healthcheck and the drain time to stop', () => {
    for (const { app, service } of appsAndSidecars(base())) {
      const test = ((service.healthcheck as JsonObject).test as string[]).join(' ');
      expect(test, app).toContain('/readyz');
      expect(service.stop_signal, app).toBe('SIGTERM');
      const drainMs = Number((service.environment as JsonObject).DRAIN_MS);
      expect(drainMs, app).toBe(10_000);
      expect(seconds(String(service.stop_grace_period)), app).toBeGreaterThanOrEqual(drainMs / 1000 + 10);
    }
  });

  it('gives every sidecar the time its inbound retries may take to shut down, within its stop grace period', () => {
    // A sidecar stops after its app; deliveries its app did not take are still being retried, and
    // daprd waits for them before it exits (or gives up and exits 1 after its graceful shutdown).
    const retries = longestRetrySeconds('pubsub', 'inbound');
    expect(retries).toBeGreaterThan(20);
    for (const { sidecar, daprd } of appsAndSidecars(base())) {
      const graceful = Number(flagValues(commandOf(daprd), '--dapr-graceful-shutdown-seconds')[0]);
      expect(graceful, sidecar).toBeGreaterThanOrEqual(retries);
      expect(seconds(String(daprd.stop_grace_period)), sidecar).toBeGreaterThanOrEqual(graceful + 5);
    }
  });

  it("sends every app's spans to the collector its sidecar traces to, over OTLP/HTTP", () => {
    const project = base();
    const collector = String(valueAt(loadCompose(['observability/dapr-compose.yaml']).document, 'spec.tracing.otel.endpointAddress'));
    const [host, port] = collector.split(':');
    expect(String(project.services[host!]?.image)).toMatch(/^jaegertracing\//);
    expect(port).toBe('4318');
    for (const { app, service } of appsAndSidecars(project)) {
      const environment = service.environment as JsonObject;
      expect(environment.OTEL_EXPORTER_OTLP_ENDPOINT, app).toBe(`http://${collector}`);
      expect(environment, app).not.toHaveProperty('OTEL_SDK_DISABLED');
      expect(environment, app).not.toHaveProperty('OTEL_TRACES_EXPORTER');
    }
  });

  it('stops every app before its sidecar, so in-flight work drains through a live sidecar', () => {
    // Compose stops services in reverse dependency order: a service stops before what it depends on.
    const project = base();
    for (const { app, sidecar } of appsAndSidecars(project)) {
      expect(dependenciesOf(project.services[app]!).has(sidecar), `${app} depends on ${sidecar}`).toBe(true);
      expect(dependsTransitively(project, sidecar, app), `${sidecar} must not depend on ${app}`).toBe(false);
    }
  });

  it('waits for what each service needs: dependencies exist, have healthchecks where awaited, and form no cycle', () => {
    const project = base();
    for (const [name, service] of Object.entries(project.services)) {
      for (const [dependency, condition] of dependenciesOf(service)) {
        const target = project.services[dependency];
        expect(target, `${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') {
          const healthcheck = target!.healthcheck as JsonObject | undefined;
          expect(healthcheck?.test, `${dependency} needs a healthcheck (awaited by ${name})`).toBeDefined();
        }
      }
      expect(dependsTransitively(project, name, name), `${name} is in a dependency cycle`).toBe(false);
    }
    // Every sidecar waits for healthy brokers; the shop waits for a ready order service.
    for (const { sidecar, daprd } of appsAndSidecars(project)) {
      expect(dependenciesOf(daprd).get('redis'), sidecar).toBe('service_healthy');
      expect(dependenciesOf(daprd).get('rabbitmq'), sidecar).toBe('service_healthy');
    }
    expect(dependenciesOf(project.services.notifier!).get('order')).toBe('service_healthy');
  });

  it('runs Redis, RabbitMQ, Jaeger, Prometheus, Grafana and cAdvisor', () => {
    const images = Object.values(base().services).map((service) => String(service.image).split(':')[0]);
    for (const image of ['redis', 'rabbitmq', 'jaegertracing/jaeger', 'prom/prometheus', 'grafana/grafana', 'gcr.io/cadvisor/cadvisor']) {
      expect(images).toContain(image);
    }
  });

  it('mounts only files that exist', () => {
    for (const [name, service] of Object.entries(base().services)) {
      for (const { source } of volumesOf(service)) {
        if (!source.startsWith('./')) continue;
        expect(existsSync(repoPath(source)), `${name} mounts ${source}`).toBe(true);
      }
    }
  });

  it('lets Prometheus scrape every service and sidecar at names and ports that exist on the compose network', () => {
    const project = base();
    const config = loadCompose(['observability/prometheus.yml']).document;
    const targets = (config.scrape_configs as JsonObject[]).flatMap((job) =>
      ((job.static_configs as JsonObject[]) ?? []).flatMap((c) =>
        (c.targets as string[]).map((t) => ({ job: String(job.job_name), target: t })),
      ),
    );
    const aliases = new Map<string, string>();
    for (const [name, service] of Object.entries(project.services)) {
      aliases.set(name, name);
      if (isObject(service.networks))
        for (const network of Object.values(service.networks))
          for (const alias of ((network as JsonObject | null)?.aliases as string[]) ?? []) aliases.set(alias, name);
    }
    for (const { app, sidecar } of appsAndSidecars(project)) {
      expect(targets).toContainEqual({ job: 'services', target: `${app}:${imagePorts.get(app)}` });
      expect(targets).toContainEqual({
        job: 'dapr-sidecars',
        target: `${app}:${flagValues(commandOf(project.services[sidecar]!), '--metrics-port')[0]}`,
      });
    }
    for (const { target } of targets) {
      const host = target.split(':')[0]!;
      if (host !== 'localhost') expect(aliases.has(host), `${target} resolves on the compose network`).toBe(true);
    }
  });
});

/**
 * The longest a component's retry policy in dapr/resources/resiliency.yaml can keep retrying: an
 * exponential policy waits min(maxInterval, initialInterval·multiplier^n) before retry n, each wait
 * randomized by ±randomizationFactor (Dapr's defaults, from cenkalti/backoff: 500 ms, 1.5, 0.5).
 */
function longestRetrySeconds(component: string, direction: 'inbound' | 'outbound'): number {
  const [resiliency] = parseYamlDocuments(readText('dapr/resources/resiliency.yaml'), 'resiliency.yaml');
  const spec = resiliency!.spec as JsonObject;
  const name = String(valueAt(spec, `targets.components.${component}.${direction}.retry`));
  const policy = ((spec.policies as JsonObject).retries as JsonObject)[name] as JsonObject;
  expect(policy.policy).toBe('exponential');
  const initial = policy.initialInterval ? seconds(String(policy.initialInterval)) : 0.5;
  const multiplier = Number(policy.multiplier ?? 1.5);
  const randomization = Number(policy.randomizationFactor ?? 0.5);
  const maxInterval = seconds(String(policy.maxInterval));
  let total = 0;
  for (let n = 0; n < Number(policy.maxRetries); n++) total += Math.min(maxInterval, initial * multiplier ** n) * (1 + randomization);
  return total;
}

function seconds(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as 'ms' | 's' | 'm' | 'h'];
  }
  return total;
}

function dependsTransitively(project: ComposeProject, from: string, to: string, seen = new Set<string>()): boolean {
  for (const dependency of dependenciesOf(project.services[from] ?? {}).keys()) {
    if (dependency === to) return true;
    if (seen.has(dependency)) continue;
    seen.add(dependency);
    if (dependsTransitively(project, dependency, to, seen)) return true;
  }
  return false;
}
