import type { EventName, OrderStatus } from '@sweetgiggles/contracts';

/** What a step of the saga means to a customer: a short title and one sentence. */
export interface StepWords {
  title: string;
  detail: string;
}

type Data = Record<string, unknown>;

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Cents as the shop shows prices: `$8.99`. */
export function formatPrice(cents: number): string {
  return money.format(cents / 100);
}

const text = (data: Data, key: string, fallback: string) => (typeof data[key] === 'string' ? (data[key] as string) : fallback);
const amount = (data: Data, key: string) => (typeof data[key] === 'number' ? formatPrice(data[key] as number) : 'your payment');
const driver = (data: Data) => text(data, 'workerName', 'Your driver');

/**
 * Every saga event in a customer's words. Typed by the contract's event names, so adding an event
 * to the saga fails the storefront's type-check until it is described here.
 */
const words: Record<EventName, (data: Data) => StepWords> = {
  OrderCreated: () => ({ title: 'Order placed', detail: 'We received your order.' }),
  PaymentAccepted: (data) => ({ title: 'Payment accepted', detail: `Your payment of ${amount(data, 'amountCents')} went through.` }),
  PaymentDeclined: (data) => ({
    title: 'Payment declined',
    detail: `Your payment of ${amount(data, 'amountCents')} was declined: ${text(data, 'reason', 'no reason given')}.`,
  }),
  PaymentRefunded: (data) => ({ title: 'Money refunded', detail: `We refunded ${amount(data, 'amountCents')} to you.` }),
  WorkerSearchStarted: (data) => ({
    title: 'Looking for a driver',
    detail:
      typeof data['attempt'] === 'number' && data['attempt'] > 1
        ? 'We are looking for another driver.'
        : 'We are finding a driver near you.',
  }),
  WorkerSearchCompleted: (data) => ({ title: 'Driver found', detail: `${driver(data)} can take your order.` }),
  WorkerAcceptedJob: (data) => ({ title: 'Driver on board', detail: `${driver(data)} accepted the delivery.` }),
  WorkerDeclinedJob: (data) => ({ title: 'Driver unavailable', detail: `${driver(data)} could not take it; we are finding someone else.` }),
  DeliveryStarted: (data) => ({
    title: 'On the way',
    detail: `${driver(data)} picked up your candy${typeof data['etaSeconds'] === 'number' ? `, about ${Math.max(1, Math.round(data['etaSeconds'] / 60))} min away` : ''}.`,
  }),
  DeliveryAborted: (data) => ({
    title: 'Delivery interrupted',
    detail: `${driver(data)} had to stop (${text(data, 'reason', 'no reason given')}); we are finding another driver.`,
  }),
  DeliveryCompleted: (data) => ({ title: 'Delivered', detail: `${driver(data)} delivered your candy.` }),
  OrderCompleted: () => ({ title: 'Order complete', detail: 'Enjoy your sweets!' }),
  OrderCancellationRequested: () => ({
    title: 'Cancellation requested',
    detail: 'We are checking that your candy has not left yet.',
  }),
  DeliveryCancelled: () => ({ title: 'Delivery stopped', detail: 'Your candy will not be sent out.' }),
  DeliveryCancellationRefused: () => ({
    title: 'Too late to cancel',
    detail: 'A driver had already picked up your candy, so it stays on its way.',
  }),
  OrderCancelled: (data) => ({
    title: 'Order cancelled',
    detail:
      data['reason'] === 'payment_declined'
        ? 'The order was cancelled because the payment was declined.'
        : 'The order was cancelled as you asked.',
  }),
};

export function describeStep(name: EventName, data: Data = {}): StepWords {
  return words[name](data);
}

export const statusLabels: Record<OrderStatus, string> = {
  created: 'Placed',
  paid: 'Paid',
  cancelling: 'Cancelling',
  delivering: 'On the way',
  completed: 'Delivered',
  cancelled: 'Cancelled',
};

/** Whether the name is one of the saga's events (the socket may one day bring a newer one). */
export function isKnownStep(name: string): name is EventName {
  return Object.hasOwn(words, name);
}
