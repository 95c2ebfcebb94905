/**
 * What the watch needs to know of an order: which one, whether it has settled (see `isSettled`), and
 * whether it is stuck on a parked dead letter (see `isStuck`).
 */
export interface OrderProgress {
  orderId: string;
  settled: boolean;
  stuck?: boolean;
}

export interface StalledOrdersOptions {
  /** An unsettled order that has not changed for this long is taken for stalled and driven again. */
  stallAfterMs: number;
  /** After this many re-drives that did not move it, an order is given up on (and reported). */
  maxRedrives: number;
  /** Most orders followed at once; the oldest are dropped beyond it. */
  capacity?: number;
  now: () => number;
}

interface Watched {
  /** When the order last changed, or was last driven again. */
  since: number;
  redrives: number;
}

/**
 * The unsettled orders this process has seen change, and when each changed last. An order that stops
 * changing before it has settled (ended, with every fact its end implies in its history) was stalled somewhere between the services: a step's publish the broker did
 * not keep although it said it did, or a delivery the broker handed to a consumer nobody reads (a Dapr
 * RabbitMQ defect after a broker restart, see the README). `due` names those orders, so the service
 * can drive them again.
 *
 * It knows only what this process saw: after a restart of the order service, an order is followed again
 * from its next change.
 */
export class StalledOrders {
  readonly #options: Required<StalledOrdersOptions>;
  readonly #open = new Map<string, Watched>();

  constructor(options: StalledOrdersOptions) {
    this.#options = { capacity: 100_000, ...options };
  }

  /**
   * An order changed (or was placed): follow it until it has settled. An order stuck on a parked dead
   * letter is not followed: publishing its events again would only fail where they failed before, and
   * dead-letter them again. The replay of its letter changes it, and the watch follows it from there.
   */
  changed(order: OrderProgress): void {
    this.#open.delete(order.orderId);
    if (order.settled || order.stuck) return;
    this.#open.set(order.orderId, { since: this.#options.now(), redrives: 0 });
    if (this.#open.size > this.#options.capacity) this.#open.delete(this.#open.keys().next().value!);
  }

  /**
   * The orders to drive again now, each counted as driven. Orders driven `maxRedrives` times without a
   * change are returned once more in `givenUp` and no longer followed.
   */
  due(): { stalled: string[]; givenUp: string[] } {
    const { now, stallAfterMs, maxRedrives } = this.#options;
    const at = now();
    const stalled: string[] = [];
    const givenUp: string[] = [];
    for (const [orderId, watched] of this.#open) {
      if (at - watched.since < stallAfterMs) continue;
      if (watched.redrives >= maxRedrives) {
        this.#open.delete(orderId);
        givenUp.push(orderId);
        continue;
      }
      watched.since = at;
      watched.redrives += 1;
      stalled.push(orderId);
    }
    return { stalled, givenUp };
  }

  /** How many unsettled orders are followed, and how many of those are being driven again. */
  get counts(): { open: number; stalled: number } {
    let stalled = 0;
    for (const watched of this.#open.values()) if (watched.redrives > 0) stalled += 1;
    return { open: this.#open.size, stalled };
  }
}
