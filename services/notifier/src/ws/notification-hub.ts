import type { RawData, WebSocket } from 'ws';
import type { Logger } from '@sweetgiggles/platform';
import { notificationsAfter, type Notification } from '../domain/customer-history.ts';
import type { HistoryRepository } from '../history-repository.ts';
import { ClientConnection } from './client-connection.ts';
import type { NotifierMetrics } from '../metrics.ts';
import { parseClientMessage, type ClientMessage, type ErrorMessage } from './protocol.ts';

export interface NotificationHubOptions {
  history: Pick<HistoryRepository, 'read'>;
  log: Logger;
  metrics: NotifierMetrics;
  /** A socket with more than this many bytes not yet sent is dropped as too slow. */
  maxBufferedBytes: number;
  /** How often sockets are pinged; one that has not answered the previous ping is closed. 0 turns pinging off. */
  pingIntervalMs: number;
  /** Invalid messages a socket may send (each answered with an error) before it is closed. */
  maxInvalidMessages?: number;
  /** Messages a socket may send per `messageWindowMs`; more are answered with an error and count as invalid. */
  maxMessagesPerWindow?: number;
  messageWindowMs?: number;
  /** A socket that has not subscribed this long after its handshake is closed (1008). */
  subscribeTimeoutMs?: number;
}

/**
 * This replica's browser sockets, by customer. It pushes each recorded notification to the sockets
 * of the customer it concerns, and replays from the history what a socket has not been sent yet, so
 * every socket sees its customer's events once each, in sequence order.
 */
export class NotificationHub {
  readonly #history: Pick<HistoryRepository, 'read'>;
  readonly #log: Logger;
  readonly #metrics: NotifierMetrics;
  readonly #maxBufferedBytes: number;
  readonly #maxInvalidMessages: number;
  readonly #maxMessagesPerWindow: number;
  readonly #messageWindowMs: number;
  readonly #subscribeTimeoutMs: number;
  readonly #connections = new Set<ClientConnection>();
  readonly #byCustomer = new Map<string, Set<ClientConnection>>();
  readonly #pinger: NodeJS.Timeout | undefined;

  constructor(options: NotificationHubOptions) {
    this.#history = options.history;
    this.#log = options.log;
    this.#metrics = options.metrics;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    this.#maxInvalidMessages = options.maxInvalidMessages ?? 20;
    this.#maxMessagesPerWindow = options.maxMessagesPerWindow ?? 10;
    this.#messageWindowMs = options.messageWindowMs ?? 10_000;
    this.#subscribeTimeoutMs = options.subscribeTimeoutMs ?? 5_000;
    if (options.pingIntervalMs > 0) {
      this.#pinger = setInterval(() => this.#pingAll(), options.pingIntervalMs);
      this.#pinger.unref();
    }
  }

  /** Open sockets on this replica. */
  get size(): number {
    return this.#connections.size;
  }

  /** Takes over a socket that has completed the WebSocket handshake. */
  accept(socket: WebSocket): void {
    const connection = new ClientConnection(socket, this.#maxBufferedBytes);
    this.#connections.add(connection);
    this.#metrics.connections.set(this.#connections.size);
    socket.on('message', (data, isBinary) => this.#onMessage(connection, data, isBinary));
    socket.on('pong', () => (connection.isAlive = true));
    socket.on('close', () => this.#remove(connection));
    socket.on('error', (error) => this.#log.debug({ err: error }, 'websocket error'));
    // A socket that never says whom it follows only holds a place: it has a few seconds to subscribe.
    const deadline = setTimeout(() => {
      if (connection.customerId !== undefined) return;
      this.#metrics.disconnects.inc({ reason: 'unsubscribed' });
      socket.close(1008, 'subscribe first');
    }, this.#subscribeTimeoutMs);
    deadline.unref();
    socket.once('close', () => clearTimeout(deadline));
  }

  /** Pushes a notification, already recorded in the history, to the customer's sockets on this replica. */
  publish(customerId: string, notification: Notification): void {
    for (const connection of this.#byCustomer.get(customerId) ?? []) {
      connection.enqueue(
        () => this.#deliver(connection, customerId, notification),
        (error) => this.#fail(connection, error),
      );
    }
  }

  /**
   * Closes every socket with "going away", so browsers reconnect (to another replica, or to this one
   * restarted), and waits up to `graceMs` for the close handshakes before cutting what is left.
   */
  async close(graceMs = 1_000): Promise<void> {
    clearInterval(this.#pinger);
    const sockets = [...this.#connections].map((connection) => connection.socket);
    const closed = Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
    for (const socket of sockets) socket.close(1001, 'notifier restarting');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const socket of sockets) socket.terminate();
  }

  #onMessage(connection: ClientConnection, data: RawData, isBinary: boolean): void {
    connection.isAlive = true;
    if (!connection.takeMessage(Date.now(), this.#maxMessagesPerWindow, this.#messageWindowMs)) {
      return this.#reject(connection, { type: 'error', code: 'too_many_messages', message: 'slow down: too many messages' });
    }
    if (isBinary) return this.#reject(connection, { type: 'error', code: 'unsupported_data', message: 'send JSON text messages' });
    const parsed = parseClientMessage(data.toString());
    if (!parsed.ok) return this.#reject(connection, parsed.error);
    connection.enqueue(
      () => this.#subscribe(connection, parsed.message),
      (error) => this.#fail(connection, error),
    );
  }

  async #subscribe(connection: ClientConnection, message: ClientMessage): Promise<void> {
    this.#unfollow(connection);
    connection.customerId = message.customerId;
    const followers = this.#byCustomer.get(message.customerId) ?? new Set();
    followers.add(connection);
    this.#byCustomer.set(message.customerId, followers);
    // Live events published from here on queue up behind this task, and skip what the replay sent.
    const history = await this.#history.read(message.customerId);
    const from = Math.min(message.lastEventId === undefined ? history.lastSeq : Number(message.lastEventId), history.lastSeq);
    const { notifications, isTruncated } = notificationsAfter(history, from);
    connection.lastSentSeq = from;
    const lastEventId = history.lastSeq > 0 ? String(history.lastSeq) : undefined;
    if (connection.send({ type: 'subscribed', customerId: message.customerId, lastEventId, truncated: isTruncated }) !== 'sent') return;
    this.#sendAll(connection, notifications);
  }

  async #deliver(connection: ClientConnection, customerId: string, notification: Notification): Promise<void> {
    if (connection.customerId !== customerId || notification.seq <= connection.lastSentSeq) return;
    if (notification.seq === connection.lastSentSeq + 1) {
      this.#sendAll(connection, [notification]);
      return;
    }
    // This replica has not pushed an earlier event yet (it arrives later, or went to another
    // replica): the history has it, so send the gap first and never out of order.
    const { notifications } = notificationsAfter(await this.#history.read(customerId), connection.lastSentSeq);
    this.#sendAll(
      connection,
      notifications.some((entry) => entry.seq === notification.seq) ? notifications : [...notifications, notification],
    );
  }

  #sendAll(connection: ClientConnection, notifications: Notification[]): void {
    for (const notification of notifications) {
      const result = connection.sendEvent(notification);
      if (result === 'too-slow') {
        this.#metrics.disconnects.inc({ reason: 'slow' });
        this.#log.info({ customerId: connection.customerId }, 'dropped a slow websocket client');
      }
      if (result === 'sent') this.#metrics.eventsSent.inc();
      else if (result !== 'skipped') return;
    }
  }

  #reject(connection: ClientConnection, error: ErrorMessage): void {
    connection.invalidMessages += 1;
    connection.send(error);
    if (connection.invalidMessages >= this.#maxInvalidMessages) {
      this.#metrics.disconnects.inc({ reason: 'invalid' });
      connection.socket.close(1008, 'too many invalid messages');
    }
  }

  #fail(connection: ClientConnection, error: unknown): void {
    this.#log.warn({ err: error, customerId: connection.customerId }, 'could not serve a websocket client, closing it');
    connection.send({ type: 'error', code: 'unavailable', message: 'notifications are unavailable for a moment; reconnect to resume' });
    connection.socket.close(1011, 'try again');
  }

  #pingAll(): void {
    for (const connection of this.#connections) {
      if (!connection.isAlive) {
        this.#metrics.disconnects.inc({ reason: 'idle' });
        connection.socket.terminate();
        continue;
      }
      connection.isAlive = false;
      connection.socket.ping();
    }
  }

  #remove(connection: ClientConnection): void {
    this.#unfollow(connection);
    this.#connections.delete(connection);
    this.#metrics.connections.set(this.#connections.size);
  }

  #unfollow(connection: ClientConnection): void {
    if (connection.customerId === undefined) return;
    const followers = this.#byCustomer.get(connection.customerId);
    followers?.delete(connection);
    if (followers?.size === 0) this.#byCustomer.delete(connection.customerId);
  }
}
