import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daprTracingOverlay } from '../../scripts/lib/observability.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem } from '../support/system.ts';
import { testDataDir } from './support/observed-system.ts';

const basePort = 25300;
/** Where the services and sidecars are told to send spans, and where nothing listens. */
const deadPort = 25350;

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('with no trace collector running', () => {
  it('the services start, take an order to its end, and restart and stop promptly without crashing', async () => {
    expect(await isPortFree(deadPort), `port ${deadPort} must be closed for this test`).toBe(true);
    const dataDir = testDataDir('no-collector');
    const daprConfigPath = join(dataDir, 'dapr-tracing.yaml');
    writeFileSync(daprConfigPath, daprTracingOverlay(deadPort));

    let started = Date.now();
    const system = await startSystem({
      broker: 'redis',
      basePort,
      logsDir: join(dataDir, 'logs'),
      daprConfigOverlays: [daprConfigPath],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${deadPort}` },
    });
    const startMs = Date.now() - started;
    let stopMs: number;
    try {
      const shop = new ShopClient(system.shopUrl);
      const order = await shop.placeOrder('no-collector', [{ sku: 'gummy-bears', quantity: 1 }]);
      expect((await shop.waitForEnd(order.orderId, 60_000)).status).toBe('completed');
      // A graceful restart of each app while it holds spans it could not export yet.
      for (const name of ['order', 'payment', 'delivery'] as const) {
        await shop.getOrder(order.orderId);
        await system.restart(name);
      }
      await shop.getOrder(order.orderId);
    } finally {
      started = Date.now();
      await system.stop();
      stopMs = Date.now() - started;
    }
    console.info(`no collector: ready in ${startMs} ms, stopped in ${stopMs} ms`);
    expect(startMs).toBeLessThan(30_000);
    // Sidecars are SIGKILLed after 10 s (daprd itself gives up its graceful shutdown after 5 s).
    expect(stopMs).toBeLessThan(10_000);

    const logs = join(dataDir, 'logs');
    const appLogs = readdirSync(logs).filter((file) => file.endsWith('.log') && !file.includes('daprd'));
    expect(appLogs).toHaveLength(4);
    for (const file of appLogs) {
      const text = readFileSync(join(logs, file), 'utf8');
      const crash = text.split('\n').filter((line) => line && !line.startsWith('{'));
      expect(crash, `${file}: the process wrote no crash output`).toEqual([]);
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; time: string; msg: string });
      expect(
        lines.filter((line) => line.level >= 50),
        `${file}: nothing logged as an error for the missing collector`,
      ).toEqual([]);
      // Each app flushes its spans on the way out and gives up after a second when nobody listens.
      const shutdowns = lines.filter((line) => line.msg === 'shutting down');
      const stops = lines.filter((line) => line.msg === 'stopped');
      expect(stops.length, `${file}: every SIGTERM ends in 'stopped'`).toBe(shutdowns.length);
      expect(shutdowns.length, `${file} was stopped`).toBeGreaterThan(0);
      shutdowns.forEach((shutdown, i) => {
        expect(Date.parse(stops[i]!.time) - Date.parse(shutdown.time), `${file}: SIGTERM to exit`).toBeLessThan(2_500);
      });
    }
  });
});
