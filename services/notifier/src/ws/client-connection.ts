import { WebSocket } from 'ws';
import type { Notification } from '../domain/customer-history.ts';
import { toEventMessage, type ServerMessage } from './protocol.ts';

export type SendResult = 'sent' | 'skipped' | 'closed' | 'too-slow';

/**
 * One browser's socket as the hub sees it: the customer it follows, the last event it was sent, and a
 * queue that runs its work one task at a time, so its events leave in order whatever arrives meanwhile.
 */
export class ClientConnection {
  readonly socket: WebSocket;
  customerId: string | undefined;
  /** The sequence number of the last event sent on this socket. */
  lastSentSeq = 0;
  /** Cleared at each ping; a pong or a message sets it again. */
  isAlive = true;
  invalidMessages = 0;
  readonly #maxBufferedBytes: number;
  #windowStart = 0;
  #messagesInWindow = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(socket: WebSocket, maxBufferedBytes: number) {
    this.socket = socket;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /**
   * Counts one message from the client against a budget of `limit` per `windowMs`; false when the
   * budget is spent. Every subscribe reads the state store, so a client cannot ask for that at will.
   */
  takeMessage(now: number, limit: number, windowMs: number): boolean {
    if (now - this.#windowStart >= windowMs) {
      this.#windowStart = now;
      this.#messagesInWindow = 0;
    }
    this.#messagesInWindow += 1;
    return this.#messagesInWindow <= limit;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Runs `task` once every task queued before it has finished. */
  enqueue(task: () => Promise<void>, onError: (error: unknown) => void): void {
    this.#queue = this.#queue.then(task).catch(onError);
  }

  /**
   * Sends one message. A client that has not taken what was sent before is too slow: its socket is
   * dropped (it resumes from its last event when it reconnects) rather than buffering without bound.
   */
  send(message: ServerMessage): SendResult {
    if (!this.isOpen) return 'closed';
    if (this.socket.bufferedAmount > this.#maxBufferedBytes) {
      this.socket.terminate();
      return 'too-slow';
    }
    this.socket.send(JSON.stringify(message));
    return 'sent';
  }

  /** Sends an event, or skips it when this socket already had it. */
  sendEvent(notification: Notification): SendResult {
    if (notification.seq <= this.lastSentSeq) return 'skipped';
    const result = this.send(toEventMessage(notification));
    if (result === 'sent') this.lastSentSeq = notification.seq;
    return result;
  }
}
