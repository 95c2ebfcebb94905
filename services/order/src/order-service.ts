import { createHash, randomUUID } from 'node:crypto';
import type { EventData, PlaceOrderRequest, SagaEvent } from '@sweetgiggles/contracts';
import {
  EtagMismatch,
  NotFound,
  crashPoint,
  keep,
  type EventPublisher,
  type KeptEvent,
  type Logger,
  type StepRunner,
  type Stored,
} from '@sweetgiggles/platform';
import {
  applyEvent,
  createOrder,
  isRecorded,
  isSettled,
  isStuck,
  markParked,
  orderFromCreated,
  requestCancellation,
  unmarkParked,
  type Order,
  type ParkedMark,
} from './domain/order.ts';
import { IdempotencyKeyReused } from './domain/errors.ts';
import { priceItems } from './domain/pricing.ts';
import type { OrderMetrics } from './metrics.ts';
import type { OrderRepository } from './order-repository.ts';
import type { OrderProgress, StalledOrders } from './stalled-orders.ts';

export interface OrderServiceDeps {
  orders: OrderRepository;
  steps: StepRunner;
  publisher: EventPublisher;
  clock: () => Date;
  metrics: OrderMetrics;
  /** Follows unsettled orders, so that one that stops moving is driven again (see `redriveStalled`). */
  stalls?: Pick<StalledOrders, 'changed' | 'due' | 'counts'>;
}

/** The cause recorded with the events of the customer's own requests, so a retried request republishes them. */
const placing = 'request:place';
const cancelling = 'request:cancel';

/** An event about an order this service has no record of (yet): its OrderCreated may still be on its way. */
export class UnknownOrder extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} is not known (yet)`);
  }
}

/**
 * The order use cases: place, read, cancel, and follow the saga's events. Each change runs the
 * platform's loop (load, decide, commit, publish, answer); changes to one order are serialised in this
 * process and the ETag guards against other replicas.
 */
export class OrderService {
  readonly #deps: OrderServiceDeps;
  /** Orders this process is placing right now, and (boundedly) those it placed. */
  readonly #placing = new Map<string, Promise<unknown>>();
  readonly #placed = new Set<string>();

  constructor(deps: OrderServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Places an order. OrderCreated is published first: once the broker has it the order exists, and
   * the order's own record follows (written here, or by `onOrderCreated` if this process dies in
   * between). A failure before the publish leaves nothing behind. With an Idempotency-Key the order id
   * derives from the customer and the key, so a retried request finds its order (and publishes its
   * OrderCreated again while it is still `created`) instead of creating a second one.
   */
  async place(request: PlaceOrderRequest, idempotencyKey: string | undefined): Promise<{ order: Order; created: boolean }> {
    const { orders, publisher, clock, metrics } = this.#deps;
    const { lines, totalCents } = priceItems(request.items);
    const fingerprint = fingerprintOf(request);
    const orderId = idempotencyKey ? deriveOrderId(request.customerId, idempotencyKey) : randomUUID();
    await this.#placing.get(orderId)?.catch(() => undefined);
    const existing = await orders.load(orderId);
    if (existing) return { order: await this.#again(existing, fingerprint), created: false };

    const now = clock().toISOString();
    const { state: order, events } = createOrder({
      orderId,
      customerId: request.customerId,
      items: lines,
      totalCents,
      now,
      requestFingerprint: fingerprint,
    });
    const created = events.map((event) => keep(event, placing));
    const placed = (async () => {
      for (const event of created) await publisher.publish(event);
      crashPoint('after-publish:OrderCreated');
      try {
        await orders.save(orderId, { state: order, events: created }, undefined);
      } catch (error) {
        // A concurrent retry of this request on another replica, or that replica's `onOrderCreated`, wrote it first.
        const found = error instanceof EtagMismatch ? await orders.load(orderId) : undefined;
        if (!found) throw error;
        return { order: await this.#again(found, fingerprint), created: false };
      }
      this.#remember(orderId);
      this.#changed(order);
      metrics.ordersPlaced.inc();
      return { order, created: true };
    })();
    this.#placing.set(orderId, placed);
    try {
      return await placed;
    } finally {
      this.#placing.delete(orderId);
    }
  }

  /** Remembers, boundedly, that this process recorded the order, so its own OrderCreated costs nothing. */
  #remember(orderId: string): void {
    this.#placed.add(orderId);
    if (this.#placed.size > 10_000) this.#placed.delete(this.#placed.values().next().value!);
  }

  /** A request for an order that exists: the same request finds it (and sends OrderCreated again while nothing followed it). */
  async #again(existing: Stored<Order>, fingerprint: string): Promise<Order> {
    if (existing.state.requestFingerprint !== fingerprint) throw new IdempotencyKeyReused();
    if (existing.state.status === 'created') {
      await this.#deps.steps.republish(existing.events.filter((event) => event.name === 'OrderCreated'));
    }
    return existing.state;
  }

  /**
   * One order. Its OrderCreated is out before its record is written, so a customer's live view may ask
   * for an order this process is still placing: that request waits for the record instead of a 404.
   */
  async get(orderId: string): Promise<Order> {
    await this.#placing.get(orderId)?.catch(() => undefined);
    const found = await this.#deps.orders.load(orderId);
    if (!found) throw new NotFound(`order ${orderId}`);
    return found.state;
  }

  /**
   * The customer's cancellation: the order becomes `cancelling` and OrderCancellationRequested asks the
   * delivery service, whose answer (`onDeliveryCancelled`, `onDeliveryCancellationRefused`) cancels
   * the order or puts it back on its way. Throws OrderNotCancellable once the delivery is known to
   * have started. A repeat while the answer is pending publishes the same request again; an order
   * already cancelled is returned as it is.
   */
  async cancel(orderId: string): Promise<Order> {
    const { orders, steps, clock } = this.#deps;
    const { state } = await steps.run(orders, orderId, cancelling, (order) => {
      if (!order) throw new NotFound(`order ${orderId}`);
      if (order.status === 'cancelled' || order.status === 'cancelling') return undefined;
      return requestCancellation(order, clock().toISOString());
    });
    this.#changed(state);
    return state!;
  }

  /**
   * The order's own OrderCreated: writes the order when the request that published it died before
   * it could (or has not written it yet). Otherwise nothing happens.
   */
  async onOrderCreated(data: EventData<'OrderCreated'>, eventId: string, log: Logger): Promise<void> {
    const { orders } = this.#deps;
    // Usually this process's own request is recording the order right now, or has just done so.
    await this.#placing.get(data.orderId)?.catch(() => undefined);
    if (this.#placed.has(data.orderId) || (await orders.load(data.orderId))) return;
    const order = orderFromCreated(data, fingerprintOf({ customerId: data.customerId, items: data.items }));
    const kept: KeptEvent = { id: eventId, name: 'OrderCreated', data, cause: placing };
    try {
      await orders.save(data.orderId, { state: order, events: [kept] }, undefined);
    } catch (error) {
      if (error instanceof EtagMismatch) return; // the request wrote it meanwhile
      throw error;
    }
    this.#changed(order);
    log.warn('order recorded from its OrderCreated: the request that placed it did not finish');
  }

  /**
   * Drives again every unsettled order (open, or ended with a fact missing from its history) that has
   * not changed for a while: publishes its own events again, with their own ids. Each service downstream finds its effect in its state and publishes again what it
   * produced then (the step loop's redelivery rule), so the saga carries on from wherever an event
   * went missing, and every consumer drops what it has already seen.
   */
  async redriveStalled(log: Logger): Promise<void> {
    const { stalls, metrics } = this.#deps;
    if (!stalls) return;
    const { stalled, givenUp } = stalls.due();
    for (const orderId of givenUp) {
      metrics.ordersGivenUp.inc();
      log.error({ orderId }, 'order stalled: driving it again did not move it');
    }
    for (const orderId of stalled) {
      try {
        if (await this.#redrive(orderId)) {
          metrics.ordersRedriven.inc();
          log.warn({ orderId }, 'order stalled, driving it again');
        }
      } catch (error) {
        log.warn({ err: error, orderId }, 'could not drive a stalled order again');
      }
    }
    metrics.ordersStalled.set(stalls.counts.stalled);
  }

  /**
   * Publishes an unsettled order's own events again (OrderCreated, and OrderCancellationRequested,
   * OrderCancelled or OrderCompleted once it has them); false when it has settled or got stuck on a
   * parked dead letter meanwhile (or is unknown).
   */
  async #redrive(orderId: string): Promise<boolean> {
    const found = await this.#deps.orders.load(orderId);
    // Another replica may have parked a letter about it since this process last saw it change.
    if (!found || isSettled(found.state) || isStuck(found.state)) {
      if (found) this.#changed(found.state);
      return false;
    }
    await this.#deps.steps.republish(found.events);
    return true;
  }

  /**
   * Marks the order stuck on a parked dead letter (once per letter), which also stops the stall watch
   * from driving it. False when the order is unknown (its OrderCreated may be the letter).
   */
  async markParked(orderId: string, mark: ParkedMark): Promise<boolean> {
    const { orders, steps } = this.#deps;
    const { state } = await steps.run(orders, orderId, `park:${mark.eventId}`, (order) => order && markParked(order, mark));
    this.#changed(state);
    return state !== undefined;
  }

  /** Removes the mark of a dead letter that was replayed: the order moves again, and the stall watch follows it. */
  async unmarkParked(orderId: string, eventId: string): Promise<void> {
    const { orders, steps } = this.#deps;
    const { state } = await steps.run(orders, orderId, `replay:${eventId}`, (order) => order && unmarkParked(order, eventId));
    this.#changed(state);
  }

  #changed(order: Order | undefined): void {
    if (order) this.#deps.stalls?.changed(progressOf(order));
  }

  onPaymentAccepted(data: EventData<'PaymentAccepted'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'PaymentAccepted', data }, eventId, log);
  }

  /** A declined payment cancels the order (OrderCancelled, reason payment_declined). */
  onPaymentDeclined(data: EventData<'PaymentDeclined'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'PaymentDeclined', data }, eventId, log);
  }

  onPaymentRefunded(data: EventData<'PaymentRefunded'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'PaymentRefunded', data }, eventId, log);
  }

  onWorkerSearchStarted(data: EventData<'WorkerSearchStarted'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'WorkerSearchStarted', data }, eventId, log);
  }

  onWorkerSearchCompleted(data: EventData<'WorkerSearchCompleted'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'WorkerSearchCompleted', data }, eventId, log);
  }

  onWorkerAcceptedJob(data: EventData<'WorkerAcceptedJob'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'WorkerAcceptedJob', data }, eventId, log);
  }

  onWorkerDeclinedJob(data: EventData<'WorkerDeclinedJob'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'WorkerDeclinedJob', data }, eventId, log);
  }

  onDeliveryStarted(data: EventData<'DeliveryStarted'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'DeliveryStarted', data }, eventId, log);
  }

  onDeliveryAborted(data: EventData<'DeliveryAborted'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'DeliveryAborted', data }, eventId, log);
  }

  /** A delivered order is completed (OrderCompleted). */
  onDeliveryCompleted(data: EventData<'DeliveryCompleted'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'DeliveryCompleted', data }, eventId, log);
  }

  /** The delivery service stopped the shipment the customer asked to cancel: the order is cancelled (OrderCancelled). */
  onDeliveryCancelled(data: EventData<'DeliveryCancelled'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'DeliveryCancelled', data }, eventId, log);
  }

  /** The cancellation came too late (a driver has the candy): the order goes back on its way. */
  onDeliveryCancellationRefused(data: EventData<'DeliveryCancellationRefused'>, eventId: string, log: Logger): Promise<void> {
    return this.#follow({ name: 'DeliveryCancellationRefused', data }, eventId, log);
  }

  /**
   * Records a payment or delivery fact on its order, and publishes what it decides (see `applyEvent`):
   * every such event runs the same step. Throws UnknownOrder when the order has no record yet.
   */
  async #follow(event: SagaEvent, eventId: string, log: Logger): Promise<void> {
    const { orders, steps, clock, metrics } = this.#deps;
    // The payment can be decided before the request that placed the order has recorded it.
    await this.#placing.get(event.data.orderId)?.catch(() => undefined);
    let isNews = false;
    const { state, events, decision } = await steps.run(orders, event.data.orderId, eventId, (order) => {
      if (!order) throw new UnknownOrder(event.data.orderId);
      isNews = !isRecorded(order, event);
      return applyEvent(order, event, clock().toISOString());
    });
    if (isNews && state?.status === 'cancelling') {
      // The saga goes on while the delivery service has not answered: the request may have been lost
      // between its write and its publish. Publish it again (same id: a duplicate if it was not).
      await steps.republish(events.filter((kept) => kept.cause === cancelling));
    }
    if (!decision) {
      log.debug('event changes nothing');
      return;
    }
    this.#changed(decision.state);
    const published = decision.events[0]?.name;
    log.info({ status: decision.state.status, ...(published ? { published } : {}) }, 'order updated');
    if (published) metrics.recordEnd(decision.state);
  }
}

function progressOf(order: Order): OrderProgress {
  return { orderId: order.orderId, settled: isSettled(order), stuck: isStuck(order) };
}

/** What identifies the request that placed an order: its customer and items, in a canonical form. */
export function fingerprintOf(request: { customerId: string; items: { sku: string; quantity: number }[] }): string {
  const canonical = { customerId: request.customerId, items: request.items.map(({ sku, quantity }) => ({ sku, quantity })) };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** A UUID-shaped id that depends only on the customer and their Idempotency-Key. */
export function deriveOrderId(customerId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`${customerId}\n${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
