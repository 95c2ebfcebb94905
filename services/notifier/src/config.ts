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
  /** The shop's port: the storefront, the shop API and the WebSocket, for browsers. */
  PORT: env.port(8080),
  /** Where the shop listens: every interface by default, as it is the one port meant to be reached. */
  PUBLIC_HOST: z.string().default('0.0.0.0'),
  /** The sidecar's port into the notifier (subscriptions, health, metrics), on HOST; daprd's `--app-port`. */
  INTERNAL_PORT: env.port(3000),
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
  /**
   * Jaeger's query API (e.g. http://127.0.0.1:16686), from which the shop reads an order's trace for
   * its customer (`GET /api/orders/{orderId}/trace`). Unset: tracing is off for the storefront.
   */
  JAEGER_QUERY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How many notifications are kept per customer for browsers that reconnect. */
  HISTORY_LIMIT: z.coerce.number().int().min(1).max(10_000).default(200),
  /** How many bytes of notifications (as JSON) are kept per customer. */
  HISTORY_MAX_BYTES: z.coerce.number().int().min(1_024).max(4_194_304).default(262_144),
  /** Page origins allowed to open the WebSocket besides the shop's own, comma-separated (e.g. a Vite dev server). */
  WS_ALLOWED_ORIGINS: origins,
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** Open sockets one client address may hold (a household behind one NAT has a few browsers). */
  WS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** WebSocket handshakes one client address may start per minute. */
  WS_MAX_HANDSHAKES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** A socket that has not subscribed this long after connecting is closed. */
  WS_SUBSCRIBE_TIMEOUT_MS: env.millis(5_000),
  /**
   * Behind a proxy that sets it (an ingress), the header holding the client's address (its last
   * value is used). Unset, the client's address is the connection's peer. Never set it without such
   * a proxy: clients could then claim any address.
   */
  WS_CLIENT_ADDRESS_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional(),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(128).max(1_048_576).default(4_096),
  /** Bytes a socket may have waiting to be sent before the client counts as too slow and is dropped. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1_024).max(268_435_456).default(1_048_576),
  WS_PING_INTERVAL_MS: env.millis(30_000),
});

export type Config = z.infer<typeof schema>;

export const loadConfig = (source: Record<string, string | undefined> = process.env): Config => readConfig(schema, source);
