import { Router, type Request } from 'express';
import { catalog, customerIdHeader, idempotencyKeySchema, orderIdSchema, placeOrderRequestSchema } from '@sweetgiggles/contracts';
import { NotFound, parseInput } from '@sweetgiggles/platform';
import { toView, type Order } from '../domain/order.ts';
import type { OrderService } from '../order-service.ts';

/** The shop API as the order service serves it (the notifier forwards `/api/*` here by service invocation). */
export function ordersApi(orders: OrderService): Router {
  const router = Router();

  router.get('/api/catalog', (_req, res) => {
    res.json({ products: catalog });
  });

  router.post('/api/orders', async (req, res) => {
    const request = parseInput(placeOrderRequestSchema, req.body, 'order');
    const key = req.header('idempotency-key');
    const idempotencyKey = key === undefined ? undefined : parseInput(idempotencyKeySchema, key, 'Idempotency-Key header');
    const { order, created } = await orders.place(request, idempotencyKey);
    res
      .status(created ? 201 : 200)
      .location(`/api/orders/${order.orderId}`)
      .json(toView(order));
  });

  router.get('/api/orders/:orderId', async (req, res) => {
    res.json(toView(await ownOrder(orders, req)));
  });

  router.delete('/api/orders/:orderId', async (req, res) => {
    const order = await ownOrder(orders, req);
    const cancelling = await orders.cancel(order.orderId);
    // 202 while the delivery service decides; 200 for an order already cancelled.
    res.status(cancelling.status === 'cancelling' ? 202 : 200).json(toView(cancelling));
  });

  return router;
}

/**
 * The order in the path, if it belongs to the customer the request speaks for (`Customer-Id`).
 * Someone else's order, or a request that names no customer, gets the very answer an unknown order
 * gets, so an order id alone tells nothing about an order, not even that it exists.
 */
async function ownOrder(orders: OrderService, req: Request): Promise<Order> {
  const orderId = parseInput(orderIdSchema, req.params['orderId'], 'order id');
  const order = await orders.get(orderId);
  if (order.customerId !== req.header(customerIdHeader)) throw new NotFound(`order ${orderId}`);
  return order;
}
