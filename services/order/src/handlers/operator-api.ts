import { Router } from 'express';
import { z } from 'zod';
import { deadLetterIdSchema, maxParkedDeadLetters } from '@sweetgiggles/contracts';
import { parseInput } from '@sweetgiggles/platform';
import type { DeadLetters } from '../dead-letters.ts';

const limitSchema = z.coerce.number().int().min(1).max(maxParkedDeadLetters).default(100);

/**
 * The operator's routes for parked dead letters. They are served only to the order service's own
 * sidecar (the app API token), reached by service invocation with the sidecar's Dapr API token
 * (`npm run dead-letters`); the shop port has no route to them (the notifier forwards only the shop
 * API's four routes), and in Kubernetes the access-control list lets no other app invoke them.
 */
export function operatorApi(deadLetters: DeadLetters): Router {
  const router = Router();

  router.get('/operator/dead-letters', async (req, res) => {
    const limit = parseInput(limitSchema, req.query['limit'], 'limit');
    res.json({ deadLetters: await deadLetters.list(limit) });
  });

  router.get('/operator/dead-letters/:id', async (req, res) => {
    res.json(await deadLetters.get(parseInput(deadLetterIdSchema, req.params['id'], 'dead letter id')));
  });

  router.post('/operator/dead-letters/:id/replay', async (req, res) => {
    const letter = await deadLetters.replay(parseInput(deadLetterIdSchema, req.params['id'], 'dead letter id'));
    res.json({ replayed: [letter.id], failed: [] });
  });

  router.post('/operator/dead-letters/replay', async (_req, res) => {
    res.json(await deadLetters.replayAll());
  });

  return router;
}
