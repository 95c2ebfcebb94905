import { WebSocket, type ClientOptions } from 'ws';
import type { ServerMessage } from '../ws/protocol.ts';

/** A WebSocket client for tests: collects what the notifier sends and waits for it, with a deadline. */
export class TestClient {
  readonly socket: WebSocket;
  readonly received: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    void this.closed.then(() => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static async open(url: string, options: ClientOptions = {}): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Event ids received so far, in order. */
  get eventIds(): string[] {
    return this.received.flatMap((message) => (message.type === 'event' ? [message.id] : []));
  }

  /** Resolves once `isDone(received)` holds; fails after `timeoutMs`. */
  async waitFor(isDone: (received: ServerMessage[]) => boolean, timeoutMs = 5_000): Promise<ServerMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!isDone(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${JSON.stringify(this.received).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received;
  }

  async subscribe(customerId: string, lastEventId?: string): Promise<void> {
    const before = this.received.length;
    this.send({ type: 'subscribe', customerId, ...(lastEventId === undefined ? {} : { lastEventId }) });
    await this.waitFor((received) => received.slice(before).some((message) => message.type === 'subscribed'));
  }

  close(): void {
    this.socket.terminate();
  }
}
