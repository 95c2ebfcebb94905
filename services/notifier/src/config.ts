import { z } from 'zod';
import { env, readConfig, sidecarConfigSchema } from '@sweetgiggles/platform';

const schema = sidecarConfigSchema.extend({
  PORT: env.port(8080),
  ORDER_APP_ID: z.string().default('order'),
  STATE_STORE: z.string().default('notifierstore'),
  /** Where the built storefront is; the notifier serves it at `/`. */
  STATIC_DIR: z.string().optional(),
  DRAIN_MS: env.millis(10_000),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
