import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daprTokenHeader, requireAppToken } from './app-token.ts';

describe('the app token check', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(requireAppToken('app-secret'));
    app.get('/events', (_req, res) => res.json({ reached: true }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const status = async (headers: Record<string, string>) => (await fetch(`${base}/events`, { headers })).status;

  it('lets the sidecar through with the token, and nobody else', async () => {
    expect(await status({ [daprTokenHeader]: 'app-secret' })).toBe(200);
    expect(await status({})).toBe(401);
    expect(await status({ [daprTokenHeader]: 'app-secre' })).toBe(401);
    expect(await status({ [daprTokenHeader]: 'app-secret-and-more' })).toBe(401);
    expect(await status({ authorization: 'Bearer app-secret' })).toBe(401);
  });
});
