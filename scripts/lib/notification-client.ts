import { setTimeout as delay } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { EventMessage, ServerMessage } from '@sweetgiggles/contracts';

/**
 * A program following one customer's notifications over the notifier's WebSocket (docs/asyncapi.yaml),
 * the way the storefront does: for the tests and the chaos runs.
 */
export class NotificationClient {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<number>;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => this.messages.push(JSON.parse(data.toString()) as ServerMessage));
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
  async waitFor(isDone: (messages: ServerMessage[]) => boolean, timeoutMs = 60_000): Promise<void> {
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

/**
 * Every event the notifier has recorded for one customer, replayed from the first, as a storefront
 * that resumes from nothing would see them: each published fact once (the notifier keeps one entry
 * per event id). Rejects when the notifier no longer keeps them all (its history is bounded by
 * HISTORY_LIMIT and HISTORY_MAX_BYTES), refuses the subscription, or does not answer within `timeoutMs`.
 */
export async function replayCustomerHistory(shopUrl: string, customerId: string, timeoutMs = 15_000): Promise<EventMessage[]> {
  const client = await NotificationClient.open(shopUrl);
  try {
    client.send({ type: 'subscribe', customerId, lastEventId: '0' });
    await client.waitFor((messages) => messages.some((message) => message.type !== 'event'), timeoutMs);
    const answer = client.messages.find((message) => message.type !== 'event')!;
    if (answer.type === 'error') throw new Error(`the notifier refused ${customerId}: ${answer.message}`);
    if (answer.truncated) throw new Error(`the notifier no longer keeps all of ${customerId}'s history`);
    // The replay ends with the newest event the notifier knew of when it answered.
    const last = answer.lastEventId;
    if (last !== undefined) await client.waitFor(() => client.events.some((event) => event.id === last), timeoutMs);
    return client.events;
  } finally {
    client.close();
  }
}

/** Event ids must be 1, 2, 3, … with no gap and no repeat, whatever happened to the connections. */
export function isUnbrokenSequence(ids: readonly string[], from = 1): boolean {
  return ids.every((id, i) => id === String(from + i));
}
