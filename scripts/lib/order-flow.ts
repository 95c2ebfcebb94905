import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { OrderView } from '@sweetgiggles/contracts';
import { isTerminalStatus } from '@sweetgiggles/contracts/rules';
import { sagaViolations } from './saga-rules.ts';

/** What a flow needs of the shop API (the tests hand in their contract-checking client, scripts `ShopApi`). */
export interface OrderShop {
  /** Resolves with the order the shop accepted; rejects when it refused it. */
  placeOrder(customerId: string, items: { sku: string; quantity: number }[], idempotencyKey?: string): Promise<OrderView>;
  /** Resolves with the order as its customer sees it; rejects when it cannot be read. */
  getOrder(orderId: string): Promise<OrderView>;
}

/** An order the shop answered 2xx for, when its POST started, and what became of it so far. */
export interface AcceptedOrder {
  orderId: string;
  customerId: string;
  placedAt: number;
  /** The last view of it that could be read. */
  view?: OrderView;
  /** When it was first seen settled. */
  settledAt?: number;
  /** Accepted only when its customer placed it again with the same Idempotency-Key (see `retryRefused`). */
  retried?: boolean;
}

/** One POST of an order: whose, with which Idempotency-Key, and when it started. */
export interface OrderAttempt {
  customerId: string;
  idempotencyKey: string;
  placedAt: number;
}

/** An order has settled once it ended (completed or cancelled) with a history the saga allows. */
export function isSettled(order: OrderView | undefined): boolean {
  return order !== undefined && isTerminalStatus(order.status) && sagaViolations(order.history).length === 0;
}

/** How many orders are read at once while the flow watches them. */
const readsAtOnce = 8;

/**
 * A steady flow of orders, placed open loop (one every 1/rate seconds, whether or not the last has
 * been answered), as customers would. Orders the shop refuses (a 503 while a dependency is away) are
 * kept aside until `retryRefused`; the ones it accepts are read again and again until each has
 * settled, so that when each settled is known as it happens, not only at the end.
 */
export class OrderFlow {
  readonly accepted: AcceptedOrder[] = [];
  /** The POSTs the shop refused (the first time). */
  readonly refused: OrderAttempt[] = [];
  readonly #shop: OrderShop;
  readonly #pending = new Set<Promise<void>>();
  #placing = false;
  #loop: Promise<void> | undefined;
  #watching = false;
  #watcher: Promise<void> | undefined;

  constructor(shop: OrderShop) {
    this.#shop = shop;
  }

  /** Starts placing `perSecond` orders a second, for ten customers named after `customerPrefix`, and watching them. */
  start(perSecond: number, customerPrefix: string): void {
    this.#placing = true;
    this.#loop = (async () => {
      const start = Date.now();
      for (let n = 0; this.#placing; n++) {
        const attempt = this.#place({ customerId: `${customerPrefix}-${n % 10}`, idempotencyKey: randomUUID(), placedAt: Date.now() });
        this.#pending.add(attempt);
        void attempt.finally(() => this.#pending.delete(attempt));
        await delay(Math.max(0, start + ((n + 1) * 1000) / perSecond - Date.now()));
      }
    })();
    this.#watching = true;
    this.#watcher ??= this.#watch();
  }

  /** Stops placing orders and waits for the answers still due; the accepted ones are still watched. */
  async stop(): Promise<void> {
    this.#placing = false;
    await this.#loop;
    await Promise.all(this.#pending);
  }

  /** Resolves true once `done(accepted)` holds, false if `timeoutMs` passes first. */
  async waitFor(done: (orders: readonly AcceptedOrder[]) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.accepted)) {
      if (Date.now() > deadline) return false;
      await delay(100);
    }
    return true;
  }

  /**
   * Stops placing orders, waits until every accepted order has settled or `timeoutMs` passes, and
   * stops watching. Resolves with the settled ones and the ones still open (with their last status
   * and what their history lacks, if any was read).
   */
  async waitForAllSettled(timeoutMs: number): Promise<{ ended: OrderView[]; open: string[] }> {
    await this.stop();
    await this.waitFor((orders) => orders.every((order) => order.settledAt !== undefined), timeoutMs);
    this.#watching = false;
    await this.#watcher;
    this.#watcher = undefined;
    return {
      ended: this.accepted.flatMap(({ view, settledAt }) => (view && settledAt !== undefined ? [view] : [])),
      open: this.accepted
        .filter(({ settledAt }) => settledAt === undefined)
        .map(({ orderId, view }) => `${orderId} (${view ? [view.status, ...sagaViolations(view.history)].join(', ') : 'unread'})`),
    };
  }

  /** Reads every accepted order once more, settled or not: what happened to it after it settled shows too. */
  async readAll(): Promise<void> {
    for (let i = 0; i < this.accepted.length; i += readsAtOnce) {
      await Promise.all(this.accepted.slice(i, i + readsAtOnce).map((order) => this.#read(order)));
    }
  }

  /**
   * Places every refused order once more, with the same Idempotency-Key, as its customer would. A
   * refusal may come after the shop took the order (its process died between publishing OrderCreated
   * and answering): the retry then finds that order instead of placing another, so no order the shop
   * took goes unchecked. Those accepted now join `accepted` (as `retried`, placed when their first
   * POST was) and are watched like the others; every one stays in `refused` too.
   */
  async retryRefused(): Promise<void> {
    await Promise.all(this.refused.map((attempt) => this.#place(attempt, true)));
  }

  async #place(attempt: OrderAttempt, isRetry = false): Promise<void> {
    const { customerId, idempotencyKey, placedAt } = attempt;
    try {
      const order = await this.#shop.placeOrder(customerId, [{ sku: 'gummy-bears', quantity: 1 }], idempotencyKey);
      this.accepted.push({ orderId: order.orderId, customerId, placedAt, ...(isRetry ? { retried: true } : {}) });
    } catch {
      if (!isRetry) this.refused.push(attempt);
    }
  }

  /** Reads every accepted order not yet settled, a few at a time, again and again while watching. */
  async #watch(): Promise<void> {
    while (this.#watching) {
      const open = this.accepted.filter((order) => order.settledAt === undefined);
      for (let i = 0; i < open.length && this.#watching; i += readsAtOnce) {
        await Promise.all(open.slice(i, i + readsAtOnce).map((order) => this.#read(order)));
      }
      await delay(250);
    }
  }

  async #read(order: AcceptedOrder): Promise<void> {
    const view = await this.#shop.getOrder(order.orderId).catch(() => undefined);
    if (!view) return;
    order.view = view;
    if (isSettled(view)) order.settledAt ??= Date.now();
  }
}
