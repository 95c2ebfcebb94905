import { z } from 'zod';

/** Thrown when the environment does not fit the service's schema; the message lists every bad key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a typed configuration from the environment. Fails once, listing every missing or invalid
 * key, so an operator fixes them all in one go.
 */
export function readConfig<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, string | undefined> = process.env,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** Environment helpers: ports, durations, probabilities, as numbers with limits. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback),
  millis: (fallback: number) => z.coerce.number().int().min(0).max(3_600_000).default(fallback),
  probability: (fallback: number) => z.coerce.number().min(0).max(1).default(fallback),
  optionalInt: () => z.coerce.number().int().optional(),
};

/** A shared secret between an app and its sidecar: long enough not to be guessed. */
const token = z.string({ error: 'is required (e.g. `openssl rand -hex 32`)' }).min(32, 'must be at least 32 characters');

/** The settings every service shares: where its sidecar is and which Dapr components it uses. */
export const sidecarConfigSchema = z.object({
  /**
   * Where the routes the sidecar calls listen. Loopback by default: the sidecar runs beside the app
   * (same host, container network namespace or pod) and nothing else has any business there.
   */
  HOST: z.string().default('127.0.0.1'),
  /** Sent to the sidecar on every call (the sidecar's own `DAPR_API_TOKEN`); it refuses calls without it. */
  DAPR_API_TOKEN: token,
  /** What the sidecar sends on every call to the app (the sidecar's `APP_API_TOKEN`); the app refuses calls without it. */
  APP_API_TOKEN: token,
  DAPR_HOST: z.string().default('127.0.0.1'),
  DAPR_HTTP_PORT: env.port(3500),
  DAPR_TIMEOUT_MS: env.millis(5_000),
  PUBSUB_NAME: z.string().default('pubsub'),
  /**
   * How many more pub/sub components (`<PUBSUB_NAME>-lane-1` …) the service publishes through, in
   * turn with `PUBSUB_NAME`. On RabbitMQ a component publishes one message at a time (it waits for
   * each publisher confirm on its one channel), so lanes are what let a service publish in parallel.
   * 0: `PUBSUB_NAME` only.
   */
  PUBLISH_LANES: z.coerce.number().int().min(0).max(16).default(3),
});

export type SidecarConfig = z.infer<typeof sidecarConfigSchema>;
