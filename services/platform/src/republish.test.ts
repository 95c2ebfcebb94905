import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware, jsonBody } from './http.ts';
import { createLogger } from './logger.ts';
import { republishRouter } from './republish.ts';

const orderId = '0b7e5a51-2c1e-4a55-9b8c-3f0c1a2b3c4d';

describe('the republish route', () => {
  let server: Server;
  let base: string;
  const asked: [string, string][] = [];

  beforeAll(async () => {
    const app = express();
    app.use(jsonBody());
    app.use(
      republishRouter(async (order, eventId) => {
        asked.push([order, eventId]);
        return eventId === `${orderId}.PaymentAccepted`;
      }),
    );
    app.use(errorMiddleware(createLogger('test', 'silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (body: unknown) => {
    const response = await fetch(`${base}/operator/republish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('publishes again an event the service keeps, and says which', async () => {
    expect(await post({ orderId, eventId: `${orderId}.PaymentAccepted` })).toEqual({
      status: 200,
      body: { republished: `${orderId}.PaymentAccepted` },
    });
  });

  it('answers 404 for an event it does not keep, and 400 before asking for a malformed request', async () => {
    expect((await post({ orderId, eventId: `${orderId}.PaymentRefunded` })).status).toBe(404);
    const before = asked.length;
    expect((await post({ orderId: 'not-an-order', eventId: 'x' })).status).toBe(400);
    expect((await post({ orderId, eventId: 'x', extra: 1 })).status).toBe(400);
    expect(asked).toHaveLength(before);
  });
});
