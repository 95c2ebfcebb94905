import { z } from 'zod';
import { env, readConfig, sidecarConfigSchema } from '@sweetgiggles/platform';

const schema = sidecarConfigSchema.extend({
  PORT: env.port(3001),
  STATE_STORE: z.string().default('orderstore'),
  DRAIN_MS: env.millis(10_000),
  /**
   * An unsettled order (open, or ended with a fact missing) that has not changed for this long is driven again. Longer than any step takes on
   * its own (the simulated drive is seconds), so it costs nothing while the saga flows.
   */
  STALL_AFTER_MS: env.millis(30_000),
  /** Times a stalled order is driven again before it is given up on and reported. */
  MAX_REDRIVES: z.coerce.number().int().min(1).max(1_000).default(10),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
