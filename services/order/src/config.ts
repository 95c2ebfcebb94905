import { z } from 'zod';
import { env, readConfig, sidecarConfigSchema } from '@sweetgiggles/platform';

const schema = sidecarConfigSchema.extend({
  PORT: env.port(3001),
  STATE_STORE: z.string().default('orderstore'),
  DRAIN_MS: env.millis(10_000),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
