import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { observabilityPortPlan, prometheusConfigFor, scrapeTargetsOf, startObservability } from '../../scripts/lib/observability.ts';
import { portPlan, repoRoot } from '../../scripts/lib/system.ts';
import { jaegerServices, newTraceparent, readTrace } from './support/jaeger.ts';
import { testDataDir } from './support/observed-system.ts';
import { eventually } from './support/prometheus.ts';
import { describeWithObservability, observabilityTools } from './support/tools.ts';

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function isFree(port: number): Promise<boolean> {
  try {
    const server = await listen(port);
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

describeWithObservability('a local Jaeger and Prometheus', () => {
  it('start on loopback ports, take spans over OTLP/HTTP, answer queries, and stop', async () => {
    const ports = observabilityPortPlan(25410);
    const observability = await startObservability({ targets: scrapeTargetsOf(portPlan(25440)), ports, dataDir: testDataDir('lib-start') });
    try {
      expect(observability).toMatchObject({
        jaegerUrl: `http://127.0.0.1:${ports.jaegerQuery}`,
        prometheusUrl: `http://127.0.0.1:${ports.prometheus}`,
        otlpEndpoint: `http://127.0.0.1:${ports.otlpHttp}`,
      });
      const { traceId, spanId } = newTraceparent();
      const now = BigInt(Date.now()) * 1_000_000n;
      const span = { traceId, spanId, name: 'probe', kind: 2, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000_000n) };
      const sent = await fetch(`${observability.otlpEndpoint}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceSpans: [
            {
              resource: { attributes: [{ key: 'service.name', value: { stringValue: 'probe' } }] },
              scopeSpans: [{ scope: { name: 'probe' }, spans: [span] }],
            },
          ],
        }),
      });
      expect(sent.status).toBe(200);
      expect(
        await eventually(
          () => readTrace(observability.jaegerUrl, traceId),
          (spans) => spans.length === 1,
          10_000,
        ),
      ).toMatchObject([{ service: 'probe', operation: 'probe' }]);
      expect(await jaegerServices(observability.jaegerUrl)).toContain('probe');

      const up = await fetch(`${observability.prometheusUrl}/api/v1/query?query=up{job="prometheus"}`);
      expect(((await up.json()) as { status: string }).status).toBe('success');
      const overlay = parse(readFileSync(observability.daprConfigPath, 'utf8')) as { spec: { tracing: { otel: Record<string, unknown> } } };
      expect(overlay.spec.tracing.otel).toEqual({ endpointAddress: `127.0.0.1:${ports.otlpHttp}`, isSecure: false, protocol: 'http' });
    } finally {
      await observability.stop();
      await observability.stop();
    }
    for (const port of Object.values(ports).filter(Boolean)) expect(await isFree(port), `port ${port} is free again`).toBe(true);
  });

  it('refuses to start when a port is taken, naming it, and leaves nothing running', async () => {
    const ports = observabilityPortPlan(25420);
    const blocker = await listen(ports.prometheus);
    try {
      await expect(
        startObservability({ targets: { services: [], sidecars: [] }, ports, dataDir: testDataDir('lib-taken') }),
      ).rejects.toThrow(`ports already in use (another Jaeger or Prometheus running?): prometheus ${ports.prometheus}`);
      for (const port of Object.values(ports).filter((port) => port && port !== ports.prometheus)) expect(await isFree(port)).toBe(true);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('writes a Prometheus configuration that promtool accepts, with the given targets', () => {
    const tools = observabilityTools();
    if (!tools.ready) return;
    const promtool = [join(dirname(tools.prometheus), 'promtool'), 'promtool'].find((path) => spawnSync(path, ['--version']).status === 0);
    expect(promtool, 'promtool comes with Prometheus').toBeDefined();
    const file = join(testDataDir('lib-config'), 'prometheus.yml');
    const ports = observabilityPortPlan(25430);
    writeFileSync(file, prometheusConfigFor(scrapeTargetsOf(portPlan(25450)), ports, '2s'));
    for (const config of [file, join(repoRoot, 'observability', 'prometheus.local.yml')]) {
      const checked = spawnSync(promtool!, ['check', 'config', config], { encoding: 'utf8' });
      expect(checked.status, `${config}: ${checked.stdout}${checked.stderr}`).toBe(0);
    }
    const config = parse(readFileSync(file, 'utf8')) as {
      global: Record<string, string>;
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.global.scrape_interval).toBe('2s');
    expect(Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((s) => s.targets)]))).toEqual({
      // The notifier's metrics are on its internal port (base+9), not the shop's.
      services: ['127.0.0.1:25459', '127.0.0.1:25451', '127.0.0.1:25452', '127.0.0.1:25453'],
      'dapr-sidecars': ['127.0.0.1:25480', '127.0.0.1:25481', '127.0.0.1:25482', '127.0.0.1:25483'],
      prometheus: [`127.0.0.1:${ports.prometheus}`],
    });
  });

  it('are found by the install script, which installs nothing twice', () => {
    const started = Date.now();
    const run = spawnSync('bash', [join(repoRoot, 'scripts', 'install-observability.sh')], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Jaeger all-in-one [\d.]+ is installed/);
    expect(run.stdout).toMatch(/Prometheus is installed/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the local Prometheus configuration', () => {
  it('has the scrape jobs of the compose one, so the dashboards read both the same way', () => {
    type Config = { scrape_configs: { job_name: string; metrics_path?: string }[] };
    const jobs = (file: string) =>
      Object.fromEntries(
        (parse(readFileSync(join(repoRoot, 'observability', file), 'utf8')) as Config).scrape_configs.map((job) => [
          job.job_name,
          job.metrics_path ?? '/metrics',
        ]),
      );
    const local = jobs('prometheus.local.yml');
    const compose = jobs('prometheus.yml');
    expect(local.services).toBe(compose.services);
    expect(local['dapr-sidecars']).toBe(compose['dapr-sidecars']);
  });
});
