import { Router } from 'express';
import { catalog, idempotencyKeySchema, placeOrderRequestSchema } from '@sweetgiggles/contracts';
import { parseInput } from '@sweetgiggles/platform';
import { z } from 'zod';
import { toView } from '../domain/order.ts';
import type { OrderService } from '../order-service.ts';

const orderIdSchema = z.string().regex(/^[0-9a-f-]{36}$/, 'must be an order id');

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
    const orderId = parseInput(orderIdSchema, req.params.orderId, 'order id');
    res.json(toView(await orders.get(orderId)));
  });

  router.delete('/api/orders/:orderId', async (req, res) => {
    const orderId = parseInput(orderIdSchema, req.params.orderId, 'order id');
    res.json(toView(await orders.cancel(orderId)));
  });

  return router;
}
