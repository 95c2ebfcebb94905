import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';

/** A message the notifier sends (docs/asyncapi.yaml). */
export type NotifierMessage =
  | { type: 'event'; id: string; orderId: string; name: string; time: string; data: Record<string, unknown> }
  | { type: 'subscribed'; customerId: string; lastEventId?: string; truncated: boolean }
  | { type: 'error'; code: string; message: string };

export type EventMessage = Extract<NotifierMessage, { type: 'event' }>;

/** A program following one customer's notifications, the way the storefront does, for tests. */
export class NotificationClient {
  readonly socket: WebSocket;
  readonly messages: NotifierMessage[] = [];
  readonly closed: Promise<number>;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => this.messages.push(JSON.parse(data.toString()) as NotifierMessage));
    this.closed = new Promise((resolve) => socket.on('close', (code) => resolve(code)));
  }

  /** Opens a socket to a notifier's `/ws` (given its http URL) and, with a customer id, subscribes. */
  static async open(
    notifierUrl: string,
    options: { customerId?: string; lastEventId?: string; origin?: string } = {},
  ): Promise<NotificationClient> {
    const socket = new WebSocket(`${notifierUrl.replace(/^http/, 'ws')}/ws`, options.origin ? { origin: options.origin } : {});
    const client = new NotificationClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (options.customerId) {
      client.send({
        type: 'subscribe',
        customerId: options.customerId,
        ...(options.lastEventId ? { lastEventId: options.lastEventId } : {}),
      });
      await client.waitFor((messages) => messages.some((message) => message.type === 'subscribed'));
    }
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  get events(): EventMessage[] {
    return this.messages.filter((message): message is EventMessage => message.type === 'event');
  }

  /** Waits until `isDone(messages)` holds, polling for at most `timeoutMs`. */
  async waitFor(isDone: (messages: NotifierMessage[]) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!isDone(this.messages)) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting; got ${JSON.stringify(this.messages.map((m) => (m.type === 'event' ? `${m.id}:${m.name}` : m.type)))}`,
        );
      await delay(50);
    }
  }

  /** Waits for the saga of `orderId` to reach OrderCompleted or OrderCancelled (and, if asked, a refund). */
  waitForEnd(orderId: string, timeoutMs?: number): Promise<void> {
    return this.waitFor(
      (messages) =>
        messages.some((m) => m.type === 'event' && m.orderId === orderId && (m.name === 'OrderCompleted' || m.name === 'OrderCancelled')),
      timeoutMs,
    );
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Event ids must be 1, 2, 3, … with no gap and no repeat, whatever happened to the connections. */
export function isUnbrokenSequence(ids: readonly string[], from = 1): boolean {
  return ids.every((id, i) => id === String(from + i));
}
