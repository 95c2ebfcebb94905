import { createHash, randomUUID } from 'node:crypto';
import type { PlaceOrderRequest, SagaEvent } from '@sweetgiggles/contracts';
import { KeyedLock, NotFound, type Logger } from '@sweetgiggles/platform';
import { applyEvent, cancelOrder, createOrder, type Order } from './domain/order.ts';
import { IdempotencyKeyReused } from './domain/errors.ts';
import { priceItems } from './domain/pricing.ts';
import type { OrderStore } from './dapr/order-store.ts';
import type { OrderMetrics } from './metrics.ts';

export interface OrderServiceDeps {
  store: OrderStore;
  clock: () => Date;
  metrics: OrderMetrics;
}

/**
 * The order use cases: place, read, cancel, and follow the saga's events. Changes to one order are
 * serialised in this process; the ETag guards against other replicas.
 */
export class OrderService {
  readonly #store: OrderStore;
  readonly #clock: () => Date;
  readonly #metrics: OrderMetrics;
  readonly #lock = new KeyedLock();

  constructor(deps: OrderServiceDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#metrics = deps.metrics;
  }

  /**
   * Places an order. With an Idempotency-Key the order id derives from the customer and the key, so
   * a retried request finds the order it created instead of creating a second one.
   */
  async place(request: PlaceOrderRequest, idempotencyKey: string | undefined): Promise<{ order: Order; created: boolean }> {
    const { lines, totalCents } = priceItems(request.items);
    const fingerprint = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const orderId = idempotencyKey ? deriveOrderId(request.customerId, idempotencyKey) : randomUUID();
    return this.#lock.run(orderId, async () => {
      const existing = await this.#store.get(orderId);
      if (existing) {
        if (existing.value.requestFingerprint !== fingerprint) throw new IdempotencyKeyReused();
        return { order: existing.value, created: false };
      }
      const now = this.#clock().toISOString();
      const { order, event } = createOrder({
        orderId,
        customerId: request.customerId,
        items: lines,
        totalCents,
        now,
        requestFingerprint: fingerprint,
      });
      await this.#store.commit(order, undefined, event);
      this.#metrics.ordersPlaced.inc();
      return { order, created: true };
    });
  }

  async get(orderId: string): Promise<Order> {
    const found = await this.#store.get(orderId);
    if (!found) throw new NotFound(`order ${orderId}`);
    return found.value;
  }

  /** The customer's cancellation; throws OrderNotCancellable once the delivery has started. */
  async cancel(orderId: string): Promise<Order> {
    return this.#lock.run(orderId, async () => {
      const found = await this.#store.get(orderId);
      if (!found) throw new NotFound(`order ${orderId}`);
      if (found.value.status === 'cancelled') return found.value;
      const { order, event } = cancelOrder(found.value, this.#clock().toISOString());
      await this.#store.commit(order, found.etag, event);
      this.#metrics.recordEnd(order);
      return order;
    });
  }

  /** Follows an event of the saga. Returns false when the order is unknown (yet). */
  async follow(event: SagaEvent, log: Logger): Promise<boolean> {
    const { orderId } = event.data;
    return this.#lock.run(orderId, async () => {
      const found = await this.#store.get(orderId);
      if (!found) return false;
      const decision = applyEvent(found.value, event, this.#clock().toISOString());
      if (!decision.changed) {
        log.debug('event changes nothing');
        return true;
      }
      if (decision.publish) {
        await this.#store.commit(decision.order, found.etag, decision.publish);
        log.info({ status: decision.order.status, published: decision.publish.name }, 'order updated');
        this.#metrics.recordEnd(decision.order);
      } else {
        await this.#store.save(decision.order, found.etag);
        log.info({ status: decision.order.status }, 'order updated');
      }
      return true;
    });
  }
}

/** A UUID-shaped id that depends only on the customer and their Idempotency-Key. */
export function deriveOrderId(customerId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
