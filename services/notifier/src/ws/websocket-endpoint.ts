import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '@sweetgiggles/platform';
import type { NotificationHub } from './notification-hub.ts';
import type { NotifierMetrics } from '../metrics.ts';
import { AddressLimits } from './address-limits.ts';
import { isAllowedOrigin } from './origin.ts';

export interface WebSocketEndpointOptions {
  hub: NotificationHub;
  log: Logger;
  metrics: NotifierMetrics;
  path?: string;
  /** Origins allowed besides the shop's own. */
  allowedOrigins: readonly string[];
  /** Open sockets this replica accepts; more are refused with 503. */
  maxConnections: number;
  /** Open sockets one client address may hold; more are refused with 429. */
  maxConnectionsPerAddress: number;
  /** Handshakes one client address may start per minute; more are refused with 429. */
  maxHandshakesPerMinute: number;
  /**
   * The header a trusted proxy in front of the notifier puts the client's address in (its last
   * value is used). Unset, the client is the TCP peer.
   */
  clientAddressHeader?: string | undefined;
  /** The largest message a client may send; a larger one closes its socket (1009). */
  maxPayloadBytes: number;
  /** When true (the process is shutting down), new sockets are refused with 503. */
  isDraining?: () => boolean;
  now?: () => number;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Serves the notification WebSocket on the HTTP server's upgrade requests: checks the path, the
 * page's origin, the replica's and the client address's caps and the address's handshake rate before
 * the handshake, then hands the socket to the hub. A request it cannot make sense of is a 400; no
 * upgrade request can throw out of here.
 */
export function attachWebSocketEndpoint(server: Server, options: WebSocketEndpointOptions): WebSocketServer {
  const {
    hub,
    log,
    metrics,
    path = '/ws',
    allowedOrigins,
    maxConnections,
    maxPayloadBytes,
    isDraining = () => false,
    now = Date.now,
  } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes, perMessageDeflate: false });
  const limits = new AddressLimits({
    maxSocketsPerAddress: options.maxConnectionsPerAddress,
    maxHandshakesPerWindow: options.maxHandshakesPerMinute,
    windowMs: 60_000,
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const address = clientAddress(request, options.clientAddressHeader);
      const status = refuse(request, address);
      if (status) {
        metrics.disconnects.inc({ reason: 'refused' });
        log.info(
          { origin: request.headers.origin?.slice(0, 200), url: request.url?.slice(0, 200), address, status },
          'refused a websocket',
        );
        socket.end(`HTTP/1.1 ${status} ${reasons[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      // The address's place is held from here until the connection closes, handshake or not.
      socket.once('close', () => limits.closed(address));
      wss.handleUpgrade(request, socket, head, (webSocket) => hub.accept(webSocket));
    } catch (error) {
      log.warn({ err: error }, 'failed to handle a websocket upgrade');
      socket.destroy();
    }
  });
  return wss;

  function refuse(request: IncomingMessage, address: string): number | undefined {
    const target = pathOf(request.url);
    if (target === undefined) return 400;
    if (target !== path) return 404;
    if (!isAllowedOrigin(request.headers.origin, request.headers.host, allowedOrigins)) return 403;
    if (isDraining() || hub.size >= maxConnections) return 503;
    if (limits.admit(address, now())) return 429;
    return undefined;
  }
}

/** The path of an origin-form request target (`/ws?x`), or undefined when it is anything else. */
function pathOf(url: string | undefined): string | undefined {
  if (!url?.startsWith('/') || url.startsWith('//')) return undefined;
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function clientAddress(request: IncomingMessage, header: string | undefined): string {
  if (header) {
    const value = request.headers[header.toLowerCase()];
    const last = (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').pop()?.trim();
    if (last) return last.slice(0, 64);
  }
  return request.socket.remoteAddress ?? 'unknown';
}
