import { Router, type Request } from 'express';
import { customerIdHeader, orderIdSchema, type OrderView, type TracingStatus } from '@sweetgiggles/contracts';
import { DependencyError, DomainError, parseInput } from '@sweetgiggles/platform';
import type { OrderApiClient } from '../dapr/order-api-client.ts';
import type { TraceSource } from '../tracing/jaeger-traces.ts';
import { isSidecarError } from './shop-api.ts';

/**
 * What the storefront may read of the traces, and nothing more: whether tracing is on
 * (`GET /api/tracing`), and one order's trace (`GET /api/orders/{orderId}/trace`), for the customer
 * who placed it. It is not a way into the tracing backend: the order id is validated, the question
 * asked of it is fixed, and the answer is trimmed to names and times (see tracing/trim-trace.ts).
 * Without a tracing backend (`JAEGER_QUERY_URL` unset) the trace is a 404 that says tracing is off.
 */
export function orderTraceApi(orders: OrderApiClient, traces: TraceSource | undefined): Router {
  const router = Router();

  router.get('/api/tracing', (_req, res) => {
    res.json({ enabled: traces !== undefined } satisfies TracingStatus);
  });

  router.get('/api/orders/:orderId/trace', async (req, res) => {
    const orderId = parseInput(orderIdSchema, req.params['orderId'], 'order id');
    if (!traces) throw new DomainError('tracing_off', 'tracing is off: the shop runs without a tracing backend', 404);
    const order = await ownOrder(orders, orderId, req);
    if (!('orderId' in order)) {
      // Someone else's order, or no customer id: the order service's own answer, as for the order itself.
      res.status(order.status).type('application/json').send(order.body);
      return;
    }
    const placedAt = Date.parse(order.createdAt);
    const trace = await traces.orderTrace(orderId, new Date(Number.isNaN(placedAt) ? Date.now() : placedAt));
    if (!trace) {
      throw new DomainError(
        'trace_not_found',
        'no trace of this order yet: spans reach the tracing backend a few seconds after they end',
        404,
      );
    }
    res.setHeader('cache-control', 'no-store');
    res.json(trace);
  });

  return router;
}

/** The order, read as its customer (so only they see its trace), or the order service's refusal. */
async function ownOrder(
  orders: OrderApiClient,
  orderId: string,
  req: Request,
): Promise<Pick<OrderView, 'orderId' | 'createdAt'> | { status: number; body: Buffer }> {
  const response = await orders.call(
    { operation: 'read-order', orderId },
    { accept: 'application/json', [customerIdHeader]: req.header(customerIdHeader) },
  );
  if (response.status === 200) {
    const view = parseOrder(response.body);
    if (view) return view;
  }
  if (response.status === 200 || response.status >= 500 || isSidecarError(response.status, response.body)) {
    throw new DependencyError('order_unavailable', 'the order service is unavailable, please try again shortly');
  }
  return { status: response.status, body: response.body };
}

function parseOrder(body: Buffer): Pick<OrderView, 'orderId' | 'createdAt'> | undefined {
  try {
    const view = JSON.parse(body.toString('utf8')) as Partial<OrderView> | null;
    return typeof view?.orderId === 'string' && typeof view.createdAt === 'string'
      ? { orderId: view.orderId, createdAt: view.createdAt }
      : undefined;
  } catch {
    return undefined;
  }
}
