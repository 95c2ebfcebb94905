import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '@sweetgiggles/platform';
import type { NotificationHub } from './notification-hub.ts';
import type { HubMetrics } from './hub-metrics.ts';
import { isAllowedOrigin } from './origin.ts';

export interface WebSocketEndpointOptions {
  hub: NotificationHub;
  log: Logger;
  metrics: HubMetrics;
  path?: string;
  /** Origins allowed besides the shop's own. */
  allowedOrigins: readonly string[];
  /** Open sockets this replica accepts; more are refused with 503. */
  maxConnections: number;
  /** The largest message a client may send; a larger one closes its socket (1009). */
  maxPayloadBytes: number;
  /** When true (the process is shutting down), new sockets are refused with 503. */
  isDraining?: () => boolean;
}

/**
 * Serves the notification WebSocket on the HTTP server's upgrade requests: checks the path, the
 * page's origin and the connection cap before the handshake, then hands the socket to the hub.
 */
export function attachWebSocketEndpoint(server: Server, options: WebSocketEndpointOptions): WebSocketServer {
  const { hub, log, metrics, path = '/ws', allowedOrigins, maxConnections, maxPayloadBytes, isDraining = () => false } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes, perMessageDeflate: false });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = refuse(request);
    if (refusal) {
      metrics.disconnects.inc({ reason: 'refused' });
      log.info({ origin: request.headers.origin, url: request.url, status: refusal[0] }, 'refused a websocket');
      socket.end(`HTTP/1.1 ${refusal[0]} ${refusal[1]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (webSocket) => hub.accept(webSocket));
  });
  return wss;

  function refuse(request: IncomingMessage): [number, string] | undefined {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) return [404, 'Not Found'];
    if (!isAllowedOrigin(request.headers.origin, request.headers.host, allowedOrigins)) return [403, 'Forbidden'];
    if (isDraining() || hub.size >= maxConnections) return [503, 'Service Unavailable'];
    return undefined;
  }
}
