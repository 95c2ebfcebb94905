import { z } from 'zod';
import { env, readConfig, sidecarConfigSchema } from '@sweetgiggles/platform';

const schema = sidecarConfigSchema.extend({
  PORT: env.port(3002),
  STATE_STORE: z.string().default('paymentstore'),
  DRAIN_MS: env.millis(10_000),
  /** Mean simulated time for the card network to decide; 0 in tests and benchmarks. */
  PAYMENT_DELAY_MS: env.millis(1_500),
  PAYMENT_DECLINE_PROBABILITY: env.probability(0.1),
  PAYMENT_LIMIT_CENTS: z.coerce.number().int().min(0).default(50_000),
  RANDOM_SEED: env.optionalInt(),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
