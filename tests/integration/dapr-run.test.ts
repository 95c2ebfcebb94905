import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { brokerAddresses, checkReachable, emptyRedisDatabase, partitions } from '../../scripts/lib/brokers.ts';
import { repoRoot } from '../../scripts/lib/system.ts';
import { sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { ShopClient } from '../support/shop-client.ts';
import { instantSimulation } from '../support/system.ts';

const dapr = join(homedir(), '.dapr', 'bin', 'dapr');
const template = join(repoRoot, 'dapr', 'dapr.yaml');

/**
 * The template's standard ports are those of `npm start`, which may be serving beside the tests: the
 * test runs the template as it is but for its ports, each moved out of the way (8080 → 18080,
 * 3500 → 13500, 50001 → 20001, …) into ranges no other test uses.
 */
const moved = (port: number) => (port >= 50_000 ? port - 30_000 : port + 10_000);

interface TemplateApp {
  appDirPath: string;
  appPort: number;
  daprHTTPPort: number;
  daprGRPCPort: number;
  metricsPort: number;
  env?: Record<string, string>;
}
interface Template {
  common: { resourcesPaths: string[]; configFilePath: string };
  apps: TemplateApp[];
}

/** A copy of the template with every port moved and every relative path made absolute, in a directory of its own. */
function templateOnOtherPorts(): string {
  const from = dirname(template);
  const copy = parse(readFileSync(template, 'utf8')) as Template;
  copy.common.resourcesPaths = copy.common.resourcesPaths.map((path) => resolve(from, path));
  copy.common.configFilePath = resolve(from, copy.common.configFilePath);
  for (const app of copy.apps) {
    app.appDirPath = resolve(from, app.appDirPath);
    app.appPort = moved(app.appPort);
    app.daprHTTPPort = moved(app.daprHTTPPort);
    app.daprGRPCPort = moved(app.daprGRPCPort);
    app.metricsPort = moved(app.metricsPort);
    for (const name of ['PORT', 'INTERNAL_PORT'] as const) {
      if (app.env?.[name]) app.env[name] = String(moved(Number(app.env[name])));
    }
  }
  const file = join(mkdtempSync(join(tmpdir(), 'sweetgiggles-dapr-run-')), 'dapr.yaml');
  writeFileSync(file, stringify(copy));
  return file;
}

const shopUrl = `http://127.0.0.1:${moved(8080)}`;
const orderAppUrl = `http://127.0.0.1:${moved(3001)}`;
const notifierSidecarUrl = `http://127.0.0.1:${moved(3500)}`;
const shop = new ShopClient(shopUrl);
// The template takes both Dapr tokens from the environment, as a user's shell would export them.
const tokens = { DAPR_API_TOKEN: randomBytes(32).toString('hex'), APP_API_TOKEN: randomBytes(32).toString('hex') };

describe('the multi-app run template', () => {
  let cli: ChildProcess;
  const runTemplate = templateOnOtherPorts();

  beforeAll(async () => {
    const busy = await checkReachable('the shop port', new URL(shopUrl).host, 500).then(
      () => true,
      () => false,
    );
    if (busy) throw new Error(`${shopUrl} is in use: the test runs the template there`);
    // DAPR_HOST_IP: the address the sidecars register; a test machine may have no interface but
    // loopback, where daprd cannot guess one (npm start's launcher sets the same). The CLI passes its
    // environment to the apps too: the simulation without chance (the demo declines one payment in ten).
    // REDIS_DB: the tests' own database, never the shop's.
    await emptyRedisDatabase(brokerAddresses.redis, partitions.tests.redisDb);
    cli = spawn(dapr, ['run', '-f', runTemplate], {
      cwd: repoRoot,
      env: { ...process.env, ...instantSimulation, ...tokens, DAPR_HOST_IP: '127.0.0.1', REDIS_DB: String(partitions.tests.redisDb) },
      stdio: 'ignore',
      detached: true,
    });
    for (let i = 0; i < 120; i++) {
      const ready = await fetch(`${shopUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      const orderReady = await fetch(`${orderAppUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      // The order sidecar refuses calls to its app until a health probe passes (see the launcher's
      // readiness in scripts/lib/system.ts): the shop is up once the notifier's calls get through.
      const orderCallable = await fetch(`${notifierSidecarUrl}/v1.0/invoke/order/method/healthz`, {
        headers: { 'dapr-api-token': tokens.DAPR_API_TOKEN },
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (ready && orderReady && orderCallable) return;
      await delay(500);
    }
    throw new Error('`dapr run -f dapr/dapr.yaml` did not bring the shop up within 60 s');
  });

  afterAll(async () => {
    spawnSync(dapr, ['stop', '-f', runTemplate], { cwd: repoRoot, stdio: 'ignore', timeout: 30_000 });
    if (cli && cli.exitCode === null) {
      process.kill(-cli.pid!, 'SIGTERM');
      await Promise.race([once(cli, 'exit'), delay(10_000)]);
    }
    rmSync(dirname(runTemplate), { recursive: true, force: true });
  });

  it('starts the shop with `dapr run -f`, and an order completes', async () => {
    const order = await shop.placeOrder('dapr-run', [{ sku: 'lollipop-swirl', quantity: 2 }]);
    const ended = await shop.waitForEnd(order.orderId, 120_000);
    expect(ended.status).toBe('completed');
    expect(sagaViolations(ended.history)).toEqual([]);
  });

  it('keeps the sidecar API behind the Dapr API token, and the subscriptions off the shop port', async () => {
    expect((await fetch(`${notifierSidecarUrl}/v1.0/metadata`)).status).toBe(401);
    const forged = await fetch(`${orderAppUrl}/events/payment-accepted`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'forged', type: 'PaymentAccepted', source: 'x', data: {} }),
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`${shopUrl}/dapr/subscribe`)).status).toBe(404);
  });
});
