import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerAddresses, checkReachable, emptyRedisDatabase, partitions } from '../../scripts/lib/brokers.ts';
import { repoRoot } from '../../scripts/lib/system.ts';
import { sagaViolations } from '../../scripts/lib/saga-rules.ts';
import { ShopClient } from '../support/shop-client.ts';
import { instantSimulation } from '../support/system.ts';

const dapr = join(homedir(), '.dapr', 'bin', 'dapr');
const template = join(repoRoot, 'dapr', 'dapr.yaml');
const shop = new ShopClient('http://127.0.0.1:8080');
// The template takes both Dapr tokens from the environment, as a user's shell would export them.
const tokens = { DAPR_API_TOKEN: randomBytes(32).toString('hex'), APP_API_TOKEN: randomBytes(32).toString('hex') };

describe('the multi-app run template', () => {
  let cli: ChildProcess;

  beforeAll(async () => {
    const busy = await checkReachable('the shop port', '127.0.0.1:8080', 500).then(
      () => true,
      () => false,
    );
    if (busy) throw new Error('port 8080 is in use (is `npm start` running?): the run template uses the standard ports');
    // DAPR_HOST_IP: the address the sidecars register; a test machine may have no interface but
    // loopback, where daprd cannot guess one (npm start's launcher sets the same). The CLI passes its
    // environment to the apps too: the simulation without chance (the demo declines one payment in ten).
    // REDIS_DB: the tests' own database, never the shop's.
    await emptyRedisDatabase(brokerAddresses.redis, partitions.tests.redisDb);
    cli = spawn(dapr, ['run', '-f', template], {
      cwd: repoRoot,
      env: { ...process.env, ...instantSimulation, ...tokens, DAPR_HOST_IP: '127.0.0.1', REDIS_DB: String(partitions.tests.redisDb) },
      stdio: 'ignore',
      detached: true,
    });
    for (let i = 0; i < 120; i++) {
      const ready = await fetch('http://127.0.0.1:8080/readyz').then(
        (r) => r.ok,
        () => false,
      );
      const orderReady = await fetch('http://127.0.0.1:3001/readyz').then(
        (r) => r.ok,
        () => false,
      );
      if (ready && orderReady) return;
      await delay(500);
    }
    throw new Error('`dapr run -f dapr/dapr.yaml` did not bring the shop up within 60 s');
  });

  afterAll(async () => {
    spawnSync(dapr, ['stop', '-f', template], { cwd: repoRoot, stdio: 'ignore', timeout: 30_000 });
    if (cli && cli.exitCode === null) {
      process.kill(-cli.pid!, 'SIGTERM');
      await Promise.race([once(cli, 'exit'), delay(10_000)]);
    }
  });

  it('starts the shop with `dapr run -f`, and an order completes', async () => {
    const order = await shop.placeOrder('dapr-run', [{ sku: 'lollipop-swirl', quantity: 2 }]);
    const ended = await shop.waitForEnd(order.orderId, 120_000);
    expect(ended.status).toBe('completed');
    expect(sagaViolations(ended.history)).toEqual([]);
  });

  it('keeps the sidecar API behind the Dapr API token, and the subscriptions off the shop port', async () => {
    expect((await fetch('http://127.0.0.1:3500/v1.0/metadata')).status).toBe(401);
    const forged = await fetch('http://127.0.0.1:3001/events/payment-accepted', {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'forged', type: 'PaymentAccepted', source: 'x', data: {} }),
    });
    expect(forged.status).toBe(401);
    expect((await fetch('http://127.0.0.1:8080/dapr/subscribe')).status).toBe(404);
  });
});
