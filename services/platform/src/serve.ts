import type { Express } from 'express';
import type { Server } from 'node:http';
import type { InFlight } from './in-flight.ts';
import type { Logger } from './logger.ts';

/** One HTTP listener: an app on an address. */
export interface Listener {
  app: Express;
  port: number;
  /** Loopback unless said otherwise. */
  host?: string;
}

export interface ServeOptions extends Listener {
  /** Further listeners of the same process, stopped together with the first (the notifier's shop). */
  more?: Listener[];
  log: Logger;
  inFlight: InFlight;
  /** How long a shutdown waits for in-flight work before it gives up. */
  drainMs: number;
  /** Closes what the service opened besides the HTTP server (sockets, timers). */
  onShutdown?: () => Promise<void> | void;
}

/**
 * Listens, and stops gracefully on SIGTERM or SIGINT: refuses new work, finishes what is in flight
 * (bounded by `drainMs`), closes connections and exits. Resolves with the first listener's server.
 */
export async function serve(options: ServeOptions): Promise<Server> {
  const { log, inFlight, drainMs } = options;
  const server = await listen(options, log);
  const servers = [server, ...(await Promise.all((options.more ?? []).map((listener) => listen(listener, log))))];

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, inFlight: inFlight.count }, 'shutting down');
    for (const server of servers) server.close();
    const drained = await inFlight.drain(drainMs);
    if (!drained) log.warn({ inFlight: inFlight.count }, 'in-flight work did not finish in time');
    await options.onShutdown?.();
    for (const server of servers) server.closeAllConnections();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return server;
}

async function listen({ app, port, host = '127.0.0.1' }: Listener, log: Logger): Promise<Server> {
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  // The sidecar keeps connections to the app open between requests. Node closes an idle one after
  // 5 s by default, racing the sidecar's next request on it ("connection reset by peer"): keep them
  // longer than the sidecar's HTTP client does (90 s).
  server.keepAliveTimeout = 95_000;
  server.headersTimeout = 96_000;
  log.info({ host, port }, 'listening');
  return server;
}
