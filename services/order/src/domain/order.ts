import type { EventData, EventName, OrderLine, OrderStatus, OrderView, SagaEvent } from '@sweetgiggles/contracts';
import { isCancellableStatus, isTerminalStatus, progressProvedBy, statusRank } from '@sweetgiggles/contracts/rules';
import type { Decision } from '@sweetgiggles/platform';
import { OrderNotCancellable } from './errors.ts';

/** One fact recorded on an order. `attempt` tells repeated delivery steps apart. */
export interface HistoryEntry {
  name: EventName;
  time: string;
  attempt?: number;
}

/** An order as the order service stores it. */
export interface Order {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  createdAt: string;
  updatedAt: string;
  /** Identifies the request that created the order, so a reused Idempotency-Key can be told apart. */
  requestFingerprint: string;
  history: HistoryEntry[];
  /** Events about the order parked as dead letters, oldest first: the order is stuck until they are replayed. */
  parked?: ParkedMark[];
}

/** A dead letter about an order, parked at `since`. */
export interface ParkedMark {
  eventId: string;
  event: EventName;
  since: string;
}

/** An event the order service publishes, kept with the order that reports it. */
export type OrderEvent =
  | { name: 'OrderCreated'; data: EventData<'OrderCreated'> }
  | { name: 'OrderCancellationRequested'; data: EventData<'OrderCancellationRequested'> }
  | { name: 'OrderCancelled'; data: EventData<'OrderCancelled'> }
  | { name: 'OrderCompleted'; data: EventData<'OrderCompleted'> };

/** A decision about one order: its new version and the events (none, or one) that report the change. */
export interface OrderDecision extends Decision<Order> {
  events: OrderEvent[];
}

const decided = (state: Order, event?: OrderEvent): OrderDecision => ({ state, events: event ? [event] : [] });

/** How far the saga has gone by the facts in the order's history, whatever the customer asked. */
function progressOf(order: Order): OrderStatus {
  let progress: OrderStatus = 'created';
  for (const entry of order.history) {
    const implied = progressProvedBy[entry.name];
    if (implied && statusRank[implied] > statusRank[progress]) progress = implied;
  }
  return progress;
}

export function isTerminal(order: Order): boolean {
  return isTerminalStatus(order.status);
}

/** The facts a completed order has been through, whatever attempts it took. */
const completedNeeds: readonly EventName[] = [
  'PaymentAccepted',
  'WorkerSearchStarted',
  'WorkerAcceptedJob',
  'DeliveryStarted',
  'DeliveryCompleted',
];

/**
 * Whether the order has ended and its history holds every fact its end implies: a completed order
 * went through payment and delivery, a cancelled one that was paid was refunded. An event can reach
 * the order after its end, or go missing on the way.
 */
export function isSettled(order: Order): boolean {
  const has = (name: EventName) => order.history.some((entry) => entry.name === name);
  if (order.status === 'completed') return completedNeeds.every(has);
  if (order.status === 'cancelled') return !has('PaymentAccepted') || has('PaymentRefunded');
  return false;
}

/** Whether an event about the order is parked as a dead letter: it will not move until that is replayed. */
export function isStuck(order: Order): boolean {
  return (order.parked?.length ?? 0) > 0;
}

/** The order with a dead letter about it marked, once; undefined when it is marked already. */
export function markParked(order: Order, mark: ParkedMark): OrderDecision | undefined {
  if (order.parked?.some((parked) => parked.eventId === mark.eventId)) return undefined;
  return decided({ ...order, parked: [...(order.parked ?? []), mark] });
}

/** The order without the mark of a dead letter that was replayed; undefined when it had none. */
export function unmarkParked(order: Order, eventId: string): OrderDecision | undefined {
  if (!order.parked?.some((parked) => parked.eventId === eventId)) return undefined;
  const { parked, ...rest } = order;
  const left = parked.filter((mark) => mark.eventId !== eventId);
  return decided(left.length > 0 ? { ...rest, parked: left } : rest);
}

/** Whether the order's history already holds this event (the same name and attempt). */
export function isRecorded(order: Order, event: SagaEvent): boolean {
  const attempt = 'attempt' in event.data ? event.data.attempt : undefined;
  return order.history.some((entry) => entry.name === event.name && entry.attempt === attempt);
}

/** An order can be cancelled until a driver has picked it up, as far as the order service knows (the delivery service decides). */
export function isCancellable(order: Order): boolean {
  return isCancellableStatus(order.status);
}

export function createOrder(input: {
  orderId: string;
  customerId: string;
  items: OrderLine[];
  totalCents: number;
  now: string;
  requestFingerprint: string;
}): OrderDecision {
  const { orderId, customerId, items, totalCents, now, requestFingerprint } = input;
  const order: Order = {
    orderId,
    customerId,
    status: 'created',
    items,
    totalCents,
    createdAt: now,
    updatedAt: now,
    requestFingerprint,
    history: [{ name: 'OrderCreated', time: now }],
  };
  return decided(order, { name: 'OrderCreated', data: { orderId, customerId, occurredAt: now, items, totalCents } });
}

/** The order an OrderCreated reports, for when its record was not written by the request that published it. */
export function orderFromCreated(data: EventData<'OrderCreated'>, requestFingerprint: string): Order {
  const { orderId, customerId, items, totalCents, occurredAt } = data;
  return createOrder({ orderId, customerId, items, totalCents, now: occurredAt, requestFingerprint }).state;
}

/**
 * The customer asks to cancel: the order becomes `cancelling` and OrderCancellationRequested asks the
 * delivery service, which alone knows whether the candy has left. Nothing is refunded yet. Throws
 * OrderNotCancellable once the delivery is known to have started.
 */
export function requestCancellation(order: Order, now: string): OrderDecision {
  if (!isCancellable(order)) throw new OrderNotCancellable(order.orderId, order.status);
  const { orderId, customerId } = order;
  const cancelling = record({ ...order, status: 'cancelling' }, 'OrderCancellationRequested', now);
  return decided(cancelling, { name: 'OrderCancellationRequested', data: { orderId, customerId, occurredAt: now } });
}

function cancel(order: Order, reason: EventData<'OrderCancelled'>['reason'], now: string): OrderDecision {
  const { orderId, customerId, totalCents } = order;
  const cancelled = record({ ...order, status: 'cancelled' }, 'OrderCancelled', now);
  return decided(cancelled, { name: 'OrderCancelled', data: { orderId, customerId, occurredAt: now, reason, totalCents } });
}

/**
 * Applies an event of the payment or delivery service to the order. Idempotent: an event already
 * recorded, or one that no longer matters (the order has ended), changes nothing (undefined).
 */
export function applyEvent(order: Order, event: SagaEvent, now: string): OrderDecision | undefined {
  const attempt = 'attempt' in event.data ? event.data.attempt : undefined;
  if (isRecorded(order, event)) return undefined;

  // Money that moved belongs to a cancelled order's history whenever it is learnt of: a charge decided
  // while the cancellation was on its way is refunded, and the customer sees both.
  if (order.status === 'cancelled' && (event.name === 'PaymentAccepted' || event.name === 'PaymentRefunded')) {
    return decided(record(order, event.name, event.data.occurredAt));
  }
  if (event.name === 'PaymentRefunded') return undefined;
  if (isTerminal(order)) {
    // Events of different services, and even of one topic, can arrive out of order: a step that
    // happened before the order ended still belongs to its history; one after it does not.
    const end = order.history.find((entry) => entry.name === 'OrderCompleted' || entry.name === 'OrderCancelled');
    if (end && event.data.occurredAt <= end.time) return decided(record(order, event.name, event.data.occurredAt, attempt));
    return undefined;
  }

  switch (event.name) {
    case 'PaymentDeclined': {
      if (progressOf(order) !== 'created') return undefined;
      return cancel(record(order, event.name, event.data.occurredAt), 'payment_declined', now);
    }
    case 'DeliveryCancelled': {
      // The delivery service stopped the shipment for good: only now may the money go back.
      return cancel(record(order, event.name, event.data.occurredAt), 'customer_request', now);
    }
    case 'DeliveryCompleted': {
      const delivered = record(order, event.name, event.data.occurredAt, attempt);
      const completed = record({ ...delivered, status: 'completed' }, 'OrderCompleted', now);
      const { orderId, customerId, totalCents } = order;
      return decided(completed, { name: 'OrderCompleted', data: { orderId, customerId, occurredAt: now, totalCents } });
    }
    default: {
      if (!progressProvedBy[event.name]) return undefined;
      const recorded = record(order, event.name, event.data.occurredAt, attempt);
      // A cancellation waits for the delivery service's answer; its refusal puts the order back on its way.
      const isAnswered = order.status !== 'cancelling' || event.name === 'DeliveryCancellationRefused';
      return decided({ ...recorded, status: isAnswered ? progressOf(recorded) : 'cancelling' });
    }
  }
}

/** Adds a history entry, keeping the history in time order, and stamps the update. */
function record(order: Order, name: EventName, time: string, attempt?: number): Order {
  const entry: HistoryEntry = attempt === undefined ? { name, time } : { name, time, attempt };
  const history = [...order.history, entry].sort((a, b) => a.time.localeCompare(b.time));
  return { ...order, history, updatedAt: time > order.updatedAt ? time : order.updatedAt };
}

/** The order as the shop API shows it. */
export function toView(order: Order): OrderView {
  const { orderId, customerId, status, items, totalCents, createdAt, updatedAt } = order;
  return {
    orderId,
    customerId,
    status,
    items,
    totalCents,
    createdAt,
    updatedAt,
    cancellable: isCancellable(order),
    history: order.history.map(({ name, time }) => ({ name, time })),
    ...(order.parked?.[0] ? { stuck: { event: order.parked[0].event, since: order.parked[0].since } } : {}),
  };
}
