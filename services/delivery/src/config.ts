import { z } from 'zod';
import { env, readConfig, sidecarConfigSchema } from '@sweetgiggles/platform';

const schema = sidecarConfigSchema.extend({
  PORT: env.port(3003),
  STATE_STORE: z.string().default('deliverystore'),
  DRAIN_MS: env.millis(10_000),
  /** Mean simulated durations; all 0 in tests and benchmarks. */
  WORKER_SEARCH_DELAY_MS: env.millis(2_000),
  WORKER_ANSWER_DELAY_MS: env.millis(1_000),
  PICKUP_DELAY_MS: env.millis(1_500),
  DRIVE_DELAY_MS: env.millis(4_000),
  WORKER_DECLINE_PROBABILITY: env.probability(0.2),
  DELIVERY_ABORT_PROBABILITY: env.probability(0.1),
  DELIVERY_ETA_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  RANDOM_SEED: env.optionalInt(),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
