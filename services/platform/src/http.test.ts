import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SidecarError, SidecarUnavailable } from './dapr/sidecar.ts';
import { EtagMismatch } from './dapr/state-store.ts';
import { DomainError, NotFound } from './errors.ts';
import { errorMiddleware, jsonBody } from './http.ts';
import { createLogger } from './logger.ts';

/** Each route throws one kind of error; the error middleware answers for all of them. */
const failures: Record<string, () => never> = {
  domain: () => {
    throw new DomainError('unknown_product', 'the shop does not sell "liquorice"', 422);
  },
  'not-found': () => {
    throw new NotFound('order 1');
  },
  unreachable: () => {
    throw new SidecarUnavailable('GET /v1.0/state/store/k: ECONNREFUSED 127.0.0.1:3500');
  },
  'sidecar-error': () => {
    throw new SidecarError('saving k', 500, '{"errorCode":"ERR_STATE_SAVE","message":"redis at 10.0.0.7 said no"}');
  },
  conflict: () => {
    throw new EtagMismatch('order-1');
  },
  bug: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'secret')");
  },
};

describe('the error middleware', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.post('/body', jsonBody('1kb'), (_req, res) => res.json({ ok: true }));
    for (const [name, fail] of Object.entries(failures)) app.get(`/${name}`, fail);
    app.use(errorMiddleware(createLogger('test', 'silent')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const answer = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
  };

  it("answers a domain error with its own status, code and message: the caller's to act on", async () => {
    expect(await answer('/domain')).toEqual({
      status: 422,
      body: { error: { code: 'unknown_product', message: 'the shop does not sell "liquorice"' } },
    });
    expect((await answer('/not-found')).status).toBe(404);
  });

  it('answers a failed dependency with a 5xx that says to try again, and keeps what the dependency said out of it', async () => {
    const unreachable = await answer('/unreachable');
    expect(unreachable.status).toBe(503);
    expect(unreachable.body.error.code).toBe('sidecar_unavailable');
    const failed = await answer('/sidecar-error');
    expect(failed.status).toBe(502);
    for (const { body } of [unreachable, failed]) {
      expect(body.error.message).toMatch(/try again/);
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|10\.0\.0\.7|ERR_STATE_SAVE|v1\.0/);
    }
  });

  it('answers a lost ETag race with a 409, and anything unforeseen with a 500 that tells nothing', async () => {
    expect((await answer('/conflict')).status).toBe(409);
    const bug = await answer('/bug');
    expect(bug).toEqual({ status: 500, body: { error: { code: 'internal', message: 'something went wrong on our side' } } });
  });

  it('turns body parser failures into clear 4xx answers', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      answer('/body', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(await post('{"unterminated"')).toMatchObject({ status: 400 });
    expect(await post(JSON.stringify({ padding: 'x'.repeat(2_000) }))).toMatchObject({
      status: 413,
      body: { error: { code: 'body_too_large' } },
    });
    expect(await post('{}', { 'content-type': 'application/json; charset=latin9' })).toMatchObject({ status: 415 });
  });
});
