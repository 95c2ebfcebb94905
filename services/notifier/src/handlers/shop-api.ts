import express, { Router, type Request, type Response } from 'express';
import { customerIdHeader, orderIdSchema } from '@sweetgiggles/contracts';
import { DependencyError, notFound, parseInput, type Logger } from '@sweetgiggles/platform';
import type { OrderApiClient, ShopCall } from '../dapr/order-api-client.ts';

// The browser's trace context (`traceparent`) is not copied here: the request's own context carries it on (see the platform's telemetry).
const forwardedRequestHeaders = ['accept', 'content-type', 'idempotency-key', customerIdHeader];
const forwardedResponseHeaders = ['content-type', 'location'];

/**
 * The shop API at `/api`: the notifier is the browser's only address, and forwards each call to the
 * order service by Dapr service invocation. It is a fixed list of routes: each names the operation,
 * its path segments are validated, and the sidecar URL is built from those alone. Anything else
 * under `/api` is a 404 that goes nowhere. Bodies are capped here, before they cross the network.
 */
export function shopApi(orders: OrderApiClient, log: Logger, bodyLimit = '64kb'): Router {
  const router = Router();
  const forward = async (call: ShopCall, req: Request, res: Response) => {
    const headers: Record<string, string | undefined> = {};
    for (const name of forwardedRequestHeaders) headers[name] = req.header(name);
    const response = await orders.call(call, headers);
    const { body } = response;
    if (isSidecarError(response.status, body)) {
      log.warn({ status: response.status, sidecar: body.toString('utf8').slice(0, 500) }, 'the sidecar could not reach the order service');
      throw new DependencyError('order_unavailable', 'the order service is unavailable, please try again shortly');
    }
    for (const name of forwardedResponseHeaders) {
      const value = response.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    res.status(response.status).send(body);
  };
  const orderId = (req: Request) => parseInput(orderIdSchema, req.params['orderId'], 'order id');

  router.get('/api/catalog', (req, res) => forward({ operation: 'catalog' }, req, res));
  router.post('/api/orders', express.raw({ type: () => true, limit: bodyLimit }), (req, res) =>
    forward({ operation: 'place-order', body: Buffer.isBuffer(req.body) ? req.body : undefined }, req, res),
  );
  router.get('/api/orders/:orderId', (req, res) => forward({ operation: 'read-order', orderId: orderId(req) }, req, res));
  router.delete('/api/orders/:orderId', (req, res) => forward({ operation: 'cancel-order', orderId: orderId(req) }, req, res));
  // Nothing else under /api goes anywhere, whatever follows.
  router.all('/api', notFound);
  router.all('/api/{*rest}', notFound);
  return router;
}

/**
 * Dapr answers with `{ "errorCode": "ERR_…" }` when it could not reach or was not allowed to call the
 * order app (the app's own errors are `{ "error": … }`). Its text is for the log, not the browser.
 */
export function isSidecarError(status: number, body: Buffer): boolean {
  if (status < 400) return false;
  try {
    const json = JSON.parse(body.toString('utf8')) as { errorCode?: unknown };
    return typeof json.errorCode === 'string';
  } catch {
    return false;
  }
}
