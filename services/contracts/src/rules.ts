/**
 * The shop's rules that more than one program applies: the order service enforces them, the
 * storefront shows them. Plain constants and functions, no schema library, so the storefront's bundle
 * can import them (`@sweetgiggles/contracts/rules`) without pulling zod in.
 */
import type { EventName } from './events.ts';

/**
 * Where an order stands. `cancelling`: the customer asked to cancel and the delivery service has not
 * answered yet; the order then becomes `cancelled`, or goes on (`delivering`) when it was too late.
 */
export const orderStatuses = ['created', 'paid', 'cancelling', 'delivering', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** How far along the saga each status is: a status never goes back to a lower rank, the two ends share the last. */
export const statusRank: Readonly<Record<OrderStatus, number>> = {
  created: 0,
  paid: 1,
  cancelling: 2,
  delivering: 3,
  completed: 4,
  cancelled: 4,
};

/**
 * The least status a payment or delivery event proves the order has reached. Events from different
 * topics can arrive out of order, so the order's progress is the highest of what its facts prove.
 */
export const progressProvedBy: Readonly<Partial<Record<EventName, OrderStatus>>> = {
  PaymentAccepted: 'paid',
  WorkerSearchStarted: 'paid',
  WorkerSearchCompleted: 'paid',
  WorkerAcceptedJob: 'paid',
  WorkerDeclinedJob: 'paid',
  DeliveryStarted: 'delivering',
  DeliveryAborted: 'delivering',
  DeliveryCompleted: 'delivering',
  // A refused cancellation means a driver had picked the candy up.
  DeliveryCancellationRefused: 'delivering',
};

/** The status each of the order service's own events puts the order in. */
export const statusSetBy: Readonly<Partial<Record<EventName, OrderStatus>>> = {
  OrderCancellationRequested: 'cancelling',
  OrderCompleted: 'completed',
  OrderCancelled: 'cancelled',
};

/** The status an event implies for the order it is about, if any: what the order service set, or what the saga proves. */
export function impliedStatus(name: EventName): OrderStatus | undefined {
  return statusSetBy[name] ?? progressProvedBy[name];
}

/** Whether an order in this status has ended: nothing moves it any more. */
export function isTerminalStatus(status: OrderStatus): boolean {
  return status === 'completed' || status === 'cancelled';
}

/** Whether a customer may still ask to cancel an order in this status: until a driver is known to have picked it up. */
export function isCancellableStatus(status: OrderStatus): boolean {
  return status === 'created' || status === 'paid';
}

/** The most of one candy an order may hold, and the most lines: a shop limit, not a technical one. */
export const maxQuantityPerLine = 99;
export const maxLinesPerOrder = 30;

/** Customer ids are chosen by the browser: short, URL-safe, no surprises in logs or keys. */
export const customerIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Order ids are UUIDs, lower-case hex. */
export const orderIdPattern = /^[0-9a-f-]{36}$/;

export function isCustomerId(value: string): boolean {
  return customerIdPattern.test(value);
}

export function isOrderId(value: string): boolean {
  return orderIdPattern.test(value);
}
