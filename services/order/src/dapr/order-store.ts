import type { Versioned, VersionedStore } from '@sweetgiggles/platform';
import type { Order, OrderEvent } from '../domain/order.ts';

/**
 * Orders in the Dapr state store `orderstore`, whose transactional outbox publishes to the `orders`
 * topic: a commit writes the order and publishes its event atomically.
 */
export class OrderStore {
  readonly #state: VersionedStore;

  constructor(state: VersionedStore) {
    this.#state = state;
  }

  get(orderId: string): Promise<Versioned<Order> | undefined> {
    return this.#state.get<Order>(key(orderId));
  }

  /** Writes a new version of the order that publishes nothing (history and status only). */
  save(order: Order, etag: string): Promise<void> {
    return this.#state.save(key(order.orderId), order, etag);
  }

  /** Writes the order and publishes `event` in one outbox transaction. Without an ETag it creates the order. */
  commit(order: Order, etag: string | undefined, event: OrderEvent): Promise<void> {
    return this.#state.commit(key(order.orderId), order, etag, event);
  }
}

const key = (orderId: string) => `order-${orderId}`;
