import type { EventMessage, SubscribedMessage } from '@sweetgiggles/contracts';

export type { EventMessage, SubscribedMessage };

export type ConnectionState = 'connecting' | 'online' | 'reconnecting';

export interface NotificationSocketOptions {
  url: string;
  customerId: string;
  /** The id of the last event received, sent on every (re)subscription so nothing is missed. */
  lastEventId: () => string | undefined;
  onEvent: (message: EventMessage) => void;
  onSubscribed: (message: SubscribedMessage) => void;
  onStateChange: (state: ConnectionState) => void;
  /** For tests: another WebSocket implementation, and shorter waits. */
  createSocket?: (url: string) => WebSocket;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * The storefront's connection to the notifier: subscribes for the customer, resumes from the last
 * event after any drop, and reconnects by itself with growing, jittered delays (so a restarted
 * notifier is not stormed by every browser at once).
 */
export class NotificationSocket {
  readonly #options: NotificationSocketOptions;
  #socket: WebSocket | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(options: NotificationSocketOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'bye');
  }

  /** Tries at once instead of waiting out the delay (the browser came back online, say). */
  reconnectNow(): void {
    if (this.#stopped || this.#socket) return;
    clearTimeout(this.#timer);
    this.#open();
  }

  #open(): void {
    this.#options.onStateChange(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    const socket = this.#options.createSocket?.(this.#options.url) ?? new WebSocket(this.#options.url);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      const lastEventId = this.#options.lastEventId();
      socket.send(JSON.stringify({ type: 'subscribe', customerId: this.#options.customerId, ...(lastEventId ? { lastEventId } : {}) }));
    });
    socket.addEventListener('message', (message) => this.#receive(message));
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#stopped) return;
      this.#options.onStateChange('reconnecting');
      this.#timer = setTimeout(() => this.#open(), this.#nextDelay());
    });
  }

  #receive(message: MessageEvent): void {
    let parsed: { type?: unknown };
    try {
      parsed = JSON.parse(String(message.data)) as { type?: unknown };
    } catch {
      return;
    }
    if (parsed.type === 'subscribed') {
      this.#attempt = 0;
      this.#options.onStateChange('online');
      this.#options.onSubscribed(parsed as SubscribedMessage);
    } else if (parsed.type === 'event') {
      this.#options.onEvent(parsed as EventMessage);
    }
  }

  #nextDelay(): number {
    const { minDelayMs = 500, maxDelayMs = 10_000 } = this.#options;
    const delay = Math.min(maxDelayMs, minDelayMs * 2 ** this.#attempt);
    this.#attempt += 1;
    return Math.round(delay * (0.5 + Math.random() / 2));
  }
}
