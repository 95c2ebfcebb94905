import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/system.ts';
import { fetchChecked } from '../support/api-contract.ts';
import { ShopClient } from '../support/shop-client.ts';
import { startSystem, type RunningSystem } from '../support/system.ts';

describe('the shop API with bad input', () => {
  let system: RunningSystem;
  let shop: ShopClient;

  beforeAll(async () => {
    system = await startSystem({ broker: 'redis', basePort: 23300 });
    shop = new ShopClient(system.shopUrl);
  });

  afterAll(async () => {
    await system?.stop();
  });

  const valid = { customerId: 'bad-input', items: [{ sku: 'gummy-bears', quantity: 1 }] };

  it.each([
    ['malformed JSON', '{"customerId": "x", "items": [', 400, 'malformed_json'],
    ['an unknown SKU', { ...valid, items: [{ sku: 'broccoli', quantity: 1 }] }, 422, 'unknown_product'],
    ['a quantity of zero', { ...valid, items: [{ sku: 'gummy-bears', quantity: 0 }] }, 400, 'invalid_request'],
    ['an absurd quantity', { ...valid, items: [{ sku: 'gummy-bears', quantity: 1_000_000 }] }, 400, 'invalid_request'],
    ['a fractional quantity', { ...valid, items: [{ sku: 'gummy-bears', quantity: 1.5 }] }, 400, 'invalid_request'],
    [
      'too many lines',
      { ...valid, items: Array.from({ length: 31 }, () => ({ sku: 'gummy-bears', quantity: 1 })) },
      400,
      'invalid_request',
    ],
    ['no items', { ...valid, items: [] }, 400, 'invalid_request'],
    ['an unexpected field', { ...valid, discount: 100 }, 400, 'invalid_request'],
    ['a customer id with spaces', { ...valid, customerId: 'a b' }, 400, 'invalid_request'],
    ['an oversized body', { ...valid, padding: 'x'.repeat(200_000) }, 413, 'body_too_large'],
  ])('answers %s with a clear 4xx', async (_what, body, status, code) => {
    const answer = await shop.post('/api/orders', body);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.message).toEqual(expect.any(String));
  });

  it('rejects an invalid Idempotency-Key', async () => {
    const answer = await shop.post('/api/orders', valid, { 'idempotency-key': 'x'.repeat(200) });
    expect(answer.status).toBe(400);
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    const unknown = await fetchChecked(`${system.shopUrl}/api/orders/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('not_found');
    const malformed = await fetchChecked(`${system.shopUrl}/api/orders/not-an-order`);
    expect(malformed.status).toBe(400);
    const badEscape = await fetchChecked(`${system.shopUrl}/api/%E0`);
    expect(badEscape.status).toBe(400);
  });

  it('still serves good requests after all that', async () => {
    const order = await shop.placeOrder('bad-input', [{ sku: 'gummy-bears', quantity: 1 }]);
    expect(order.status).toBe('created');
    expect(order.totalCents).toBe(299);
  });

  describe('without a sidecar', () => {
    let lonely: ChildProcess;
    const port = 23390;

    beforeAll(async () => {
      lonely = spawn(process.execPath, [join(repoRoot, 'services', 'notifier', 'src', 'main.ts')], {
        env: {
          ...process.env,
          PORT: String(port),
          INTERNAL_PORT: String(port + 1),
          DAPR_HTTP_PORT: '23399',
          DAPR_TIMEOUT_MS: '2000',
          LOG_LEVEL: 'silent',
          DAPR_API_TOKEN: 'd'.repeat(64),
          APP_API_TOKEN: 'a'.repeat(64),
        },
        stdio: 'ignore',
      });
      for (let i = 0; i < 100; i++) {
        if (
          await fetch(`http://127.0.0.1:${port}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await delay(100);
      }
      throw new Error('the notifier did not start');
    });

    afterAll(async () => {
      lonely.kill('SIGTERM');
      await once(lonely, 'exit');
    });

    it('answers a prompt 503, not a hang', async () => {
      const started = Date.now();
      const answer = await new ShopClient(`http://127.0.0.1:${port}`).post('/api/orders', valid);
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe('sidecar_unavailable');
      expect(Date.now() - started).toBeLessThan(3_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
    });
  });
});
