import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { env, readConfig, sidecarConfigSchema } from '@sweetgiggles/platform';

/** The storefront as `npm run build -w @sweetgiggles/frontend` leaves it in this repository. */
const builtFrontend = fileURLToPath(new URL('../../../frontend/dist', import.meta.url));

const origins = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)));

const schema = sidecarConfigSchema.extend({
  PORT: env.port(8080),
  ORDER_APP_ID: z.string().default('order'),
  STATE_STORE: z.string().default('notifierstore'),
  /** The pub/sub component each replica consumes on its own (its consumer id is unique per replica). */
  BROADCAST_PUBSUB_NAME: z.string().default('pubsub-broadcast'),
  /** Broadcast deliveries of events older than this are skipped (a new consumer may re-read the broker's backlog). */
  BROADCAST_MAX_AGE_MS: env.millis(300_000),
  /** Where the built storefront is; the notifier serves it at `/`. Defaults to the repo's frontend/dist when it exists. */
  STATIC_DIR: z
    .string()
    .optional()
    .transform((dir) => dir ?? (existsSync(builtFrontend) ? builtFrontend : undefined)),
  DRAIN_MS: env.millis(10_000),
  /** How many notifications are kept per customer for browsers that reconnect. */
  HISTORY_LIMIT: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Page origins allowed to open the WebSocket besides the shop's own, comma-separated (e.g. a Vite dev server). */
  WS_ALLOWED_ORIGINS: origins,
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(128).max(1_048_576).default(4_096),
  /** Bytes a socket may have waiting to be sent before the client counts as too slow and is dropped. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1_024).max(268_435_456).default(1_048_576),
  WS_PING_INTERVAL_MS: env.millis(30_000),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
