import { randomUUID } from 'node:crypto';
import type { Attempt } from './measure.ts';

const terminal = new Set(['OrderCompleted', 'OrderCancelled']);

/**
 * Customers placing orders through the shop API, each with the storefront's WebSocket open: an
 * order's end is the moment its OrderCompleted or OrderCancelled reaches the customer's socket (push,
 * as a browser sees it), timed from the start of its POST.
 */
export class ShopLoad {
  readonly #shopUrl: string;
  readonly #customers: string[];
  readonly #sockets: WebSocket[] = [];
  /** When each order's terminal event arrived (performance.now()), for orders whose POST may still be running. */
  readonly #endedAt = new Map<string, number>();
  readonly #waiting = new Map<string, (at: number) => void>();

  constructor(shopUrl: string, customers: number) {
    this.#shopUrl = shopUrl;
    const run = randomUUID().slice(0, 8);
    this.#customers = Array.from({ length: customers }, (_, i) => `bench-${run}-${i}`);
  }

  /** Opens every customer's socket and subscribes it. */
  async open(): Promise<void> {
    const wsUrl = this.#shopUrl.replace(/^http/, 'ws') + '/ws';
    await Promise.all(
      this.#customers.map(
        (customerId) =>
          new Promise<void>((resolve, reject) => {
            const socket = new WebSocket(wsUrl);
            this.#sockets.push(socket);
            socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'subscribe', customerId })));
            socket.addEventListener('error', () => reject(new Error(`the notifier socket for ${customerId} failed`)));
            socket.addEventListener('message', (message) => {
              const event = JSON.parse(String(message.data)) as { type: string; orderId?: string; name?: string };
              if (event.type === 'subscribed') resolve();
              if (event.type !== 'event' || !event.orderId || !terminal.has(event.name ?? '')) return;
              const at = performance.now();
              if (this.#endedAt.has(event.orderId)) return;
              this.#endedAt.set(event.orderId, at);
              this.#waiting.get(event.orderId)?.(at);
            });
          }),
      ),
    );
  }

  /** Places order `i` (one candy, customer `i` modulo the pool) and waits for its end at most `timeoutMs`. */
  async order(i: number, timeoutMs: number): Promise<Attempt> {
    const customerId = this.#customers[i % this.#customers.length]!;
    const startedAt = performance.now();
    let orderId: string;
    try {
      const response = await fetch(`${this.#shopUrl}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ customerId, items: [{ sku: 'gummy-bears', quantity: 1 }] }),
      });
      const body = (await response.json()) as { orderId?: string };
      if (response.status !== 201 || !body.orderId) return { requestMs: undefined, endMs: undefined };
      orderId = body.orderId;
    } catch {
      return { requestMs: undefined, endMs: undefined };
    }
    const requestMs = performance.now() - startedAt;
    const at =
      this.#endedAt.get(orderId) ??
      (await new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        this.#waiting.set(orderId, (ended) => {
          clearTimeout(timer);
          resolve(ended);
        });
      }));
    this.#waiting.delete(orderId);
    return { requestMs, endMs: at === undefined ? undefined : at - startedAt };
  }

  close(): void {
    for (const socket of this.#sockets) socket.close();
  }
}
