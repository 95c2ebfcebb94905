import express, { Router } from 'express';
import { DomainError, type Logger } from '@sweetgiggles/platform';
import type { OrderApiClient } from '../dapr/order-api-client.ts';

const forwardedRequestHeaders = ['accept', 'content-type', 'idempotency-key', 'traceparent', 'tracestate'];
const forwardedResponseHeaders = ['content-type', 'location'];

/**
 * The shop API at `/api/*`: the notifier is the browser's only address, and forwards each call to the
 * order service by Dapr service invocation. Bodies are capped here, before they cross the network.
 */
export function shopApi(orders: OrderApiClient, log: Logger, bodyLimit = '64kb'): Router {
  const router = Router();
  router.use('/api', express.raw({ type: () => true, limit: bodyLimit }));
  router.all('/api/{*path}', async (req, res) => {
    const headers: Record<string, string | undefined> = {};
    for (const name of forwardedRequestHeaders) headers[name] = req.header(name);
    const response = await orders.forward({
      method: req.method,
      path: req.originalUrl,
      headers,
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
    });
    const body = Buffer.from(await response.arrayBuffer());
    if (isSidecarError(response, body)) {
      log.warn({ status: response.status, sidecar: body.toString('utf8').slice(0, 500) }, 'the sidecar could not reach the order service');
      throw new DomainError('order_unavailable', 'the order service is unavailable, please try again shortly', 503);
    }
    for (const name of forwardedResponseHeaders) {
      const value = response.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    res.status(response.status).send(body);
  });
  return router;
}

/** Dapr answers with `{ "errorCode": "ERR_…" }` when it could not reach the target app at all. */
function isSidecarError(response: Response, body: Buffer): boolean {
  if (response.status < 500) return false;
  try {
    const json = JSON.parse(body.toString('utf8')) as { errorCode?: unknown };
    return typeof json.errorCode === 'string';
  } catch {
    return false;
  }
}
