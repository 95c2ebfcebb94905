import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { OrderView } from '@sweetgiggles/contracts';
import { sagaViolations } from './saga-rules.ts';
import type { ShopClient } from './shop-client.ts';

/** An order the shop answered 2xx for, and when its POST started. */
export interface AcceptedOrder {
  orderId: string;
  placedAt: number;
}

/**
 * A steady flow of orders, placed open loop (one every 1/rate seconds, whether or not the last has
 * been answered), as customers would. Orders the shop refuses (a 503 while a dependency is away) are
 * counted, not retried; the ones it accepts are kept, to check what became of each.
 */
export class OrderFlow {
  readonly accepted: AcceptedOrder[] = [];
  refused = 0;
  readonly #shop: ShopClient;
  readonly #pending = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | undefined;

  constructor(shop: ShopClient) {
    this.#shop = shop;
  }

  start(perSecond: number, customerPrefix: string): void {
    this.#running = true;
    this.#loop = (async () => {
      const start = Date.now();
      for (let n = 0; this.#running; n++) {
        const attempt = this.#place(`${customerPrefix}-${n % 10}`);
        this.#pending.add(attempt);
        void attempt.finally(() => this.#pending.delete(attempt));
        await delay(Math.max(0, start + ((n + 1) * 1000) / perSecond - Date.now()));
      }
    })();
  }

  /** Stops placing orders and waits for the answers still due. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    await Promise.all(this.#pending);
  }

  async #place(customerId: string): Promise<void> {
    const placedAt = Date.now();
    try {
      const order = await this.#shop.placeOrder(customerId, [{ sku: 'gummy-bears', quantity: 1 }], randomUUID());
      this.accepted.push({ orderId: order.orderId, placedAt });
    } catch {
      this.refused += 1;
    }
  }

  /**
   * Reads every accepted order until each has settled (completed or cancelled, with a history the
   * saga allows: an event may reach an order after its end), or `timeoutMs` passes. Resolves with
   * the settled ones, the ones still open (with their last status and what their history lacks, if
   * any was read), and the moment the last one was first seen settled.
   */
  async waitForAllSettled(timeoutMs: number): Promise<{ ended: OrderView[]; open: string[]; lastEndedAt: number }> {
    const deadline = Date.now() + timeoutMs;
    const views = new Map<string, OrderView>();
    const isEnded = (order: OrderView | undefined) =>
      (order?.status === 'completed' || order?.status === 'cancelled') && sagaViolations(order.history).length === 0;
    const stillOpen = () => this.accepted.filter(({ orderId }) => !isEnded(views.get(orderId)));
    let lastEndedAt = Date.now();
    while (stillOpen().length > 0 && Date.now() < deadline) {
      for (const { orderId } of stillOpen()) {
        const view = await this.#shop.getOrder(orderId).catch(() => undefined);
        if (view) views.set(orderId, view);
        if (isEnded(view)) lastEndedAt = Date.now();
      }
      await delay(250);
    }
    return {
      ended: [...views.values()].filter(isEnded),
      open: stillOpen().map(({ orderId }) => {
        const view = views.get(orderId);
        return `${orderId} (${view ? [view.status, ...sagaViolations(view.history)].join(', ') : 'unread'})`;
      }),
      lastEndedAt,
    };
  }
}
