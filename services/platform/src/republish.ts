import { Router } from 'express';
import { z } from 'zod';
import { deadLetterIdSchema, orderIdSchema } from '@sweetgiggles/contracts';
import type { Repository, StepRunner } from './aggregate.ts';
import { parseInput } from './http.ts';
import { NotFound } from './errors.ts';

/**
 * Publishes again an event a service published about an order, taken from the order's aggregate,
 * where the step that produced it kept it. False when the aggregate keeps no event with that id.
 */
export type RepublishKept = (orderId: string, eventId: string) => Promise<boolean>;

/** RepublishKept over one aggregate type, keyed by order id as every aggregate of the saga is. */
export function republishKept<State>(repository: Repository<State>, steps: StepRunner): RepublishKept {
  return async (orderId, eventId) => {
    const kept = (await repository.load(orderId))?.events.filter((event) => event.id === eventId) ?? [];
    if (kept.length === 0) return false;
    await steps.republish(kept.slice(0, 1));
    return true;
  };
}

/** The body of `POST /operator/republish`. */
export const republishRequestSchema = z.strictObject({ orderId: orderIdSchema, eventId: deadLetterIdSchema });

/**
 * `POST /operator/republish { orderId, eventId }`: the replay of a dead letter, asked for by the order
 * service, which keeps the dead letters but may publish only on its own topic. Only what this service
 * itself published and still keeps goes out again, with its own id and data, so the caller can make
 * it publish nothing it did not publish before. 404 when it keeps no such event. Behind the app API
 * token like every app route; in Kubernetes the access-control list lets only the order service call it.
 */
export function republishRouter(republish: RepublishKept): Router {
  const router = Router();
  router.post('/operator/republish', async (req, res) => {
    const { orderId, eventId } = parseInput(republishRequestSchema, req.body, 'republish request');
    if (!(await republish(orderId, eventId))) throw new NotFound(`event ${eventId}`);
    res.json({ republished: eventId });
  });
  return router;
}
