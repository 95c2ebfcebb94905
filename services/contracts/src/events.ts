import { z } from 'zod';

/**
 * The topics of the saga: one per publishing service. Every event travels as a CloudEvent whose
 * `type` is the event name, so a subscriber routes on `event.type` and a topic keeps the order in
 * which its publisher wrote.
 */
export const topics = {
  orders: 'orders',
  payments: 'payments',
  deliveries: 'deliveries',
  deadLetters: 'dead-letters',
} as const;
export type Topic = (typeof topics)[keyof typeof topics];

/** The topics the saga's events travel on, and the one service that publishes on each. */
export const topicPublishers = { orders: 'order', payments: 'payment', deliveries: 'delivery' } as const;
export type SagaTopic = keyof typeof topicPublishers;

const id = z.string().min(1).max(128);
const time = z.iso.datetime({ offset: true });
const cents = z.number().int().nonnegative().max(100_000_000);

/** Fields every saga event carries: which order, whose, and when the fact happened. */
const base = z.object({ orderId: id, customerId: id, occurredAt: time });

const worker = { attempt: z.number().int().min(1).max(1000), workerId: id, workerName: z.string().min(1).max(200) };

/** One line of an order as it was bought: the price is frozen at order time. */
export const orderLineSchema = z.object({
  sku: id,
  name: z.string().min(1).max(200),
  quantity: z.number().int().min(1),
  unitPriceCents: cents,
});
export type OrderLine = z.infer<typeof orderLineSchema>;

/**
 * Describes one event of the saga: its name (a fact in the past tense), the topic it travels on (its
 * publisher's: each service publishes only on its own topic) and the schema of its data.
 */
export interface EventDefinition<Name extends string, Schema extends z.ZodType> {
  name: Name;
  topic: Topic;
  schema: Schema;
}

function defineEvent<Name extends string, Schema extends z.ZodType>(
  name: Name,
  topic: Topic,
  schema: Schema,
): EventDefinition<Name, Schema> {
  return { name, topic, schema };
}

/** A customer placed an order. Published by `order` before it records the order and answers 201. */
export const OrderCreated = defineEvent(
  'OrderCreated',
  topics.orders,
  base.extend({ items: z.array(orderLineSchema).min(1), totalCents: cents }),
);

/**
 * The customer asked to cancel the order. Published by `order` while, as far as it knows, the delivery
 * has not started; the order is `cancelling` until `delivery` answers with DeliveryCancelled or
 * DeliveryCancellationRefused. It refunds nothing by itself.
 */
export const OrderCancellationRequested = defineEvent('OrderCancellationRequested', topics.orders, base);

/**
 * The order ended without delivery. Published by `order` after a declined payment, or after
 * DeliveryCancelled answered the customer's cancellation (never while a delivery may still happen).
 */
export const OrderCancelled = defineEvent(
  'OrderCancelled',
  topics.orders,
  base.extend({ reason: z.enum(['payment_declined', 'customer_request']), totalCents: cents }),
);

/** The order was delivered and is closed. Published by `order` when it learns of DeliveryCompleted. */
export const OrderCompleted = defineEvent('OrderCompleted', topics.orders, base.extend({ totalCents: cents }));

/** The customer's payment went through. Published by `payment`. */
export const PaymentAccepted = defineEvent('PaymentAccepted', topics.payments, base.extend({ paymentId: id, amountCents: cents }));

/** The customer's payment was refused. Published by `payment`; the order is then cancelled. */
export const PaymentDeclined = defineEvent(
  'PaymentDeclined',
  topics.payments,
  base.extend({ amountCents: cents, reason: z.string().min(1).max(200) }),
);

/** A paid order was cancelled and the money went back. Published by `payment`. */
export const PaymentRefunded = defineEvent('PaymentRefunded', topics.payments, base.extend({ paymentId: id, amountCents: cents }));

/** The delivery service began looking for a driver (again, after a decline or an abort). Published by `delivery`. */
export const WorkerSearchStarted = defineEvent('WorkerSearchStarted', topics.deliveries, base.extend({ attempt: worker.attempt }));

/** A driver was found for the order. Published by `delivery`. */
export const WorkerSearchCompleted = defineEvent('WorkerSearchCompleted', topics.deliveries, base.extend(worker));

/** The driver took the job. Published by `delivery`. */
export const WorkerAcceptedJob = defineEvent('WorkerAcceptedJob', topics.deliveries, base.extend(worker));

/** The driver turned the job down; a new search follows. Published by `delivery`. */
export const WorkerDeclinedJob = defineEvent('WorkerDeclinedJob', topics.deliveries, base.extend(worker));

/** The driver picked the order up and is on the way. Published by `delivery`; from now on the order cannot be cancelled. */
export const DeliveryStarted = defineEvent(
  'DeliveryStarted',
  topics.deliveries,
  base.extend({ ...worker, etaSeconds: z.number().int().nonnegative().max(86_400) }),
);

/** The driver could not finish the delivery; a new search follows. Published by `delivery`. */
export const DeliveryAborted = defineEvent(
  'DeliveryAborted',
  topics.deliveries,
  base.extend({ ...worker, reason: z.string().min(1).max(200) }),
);

/** The candy reached the customer. Published by `delivery`. */
export const DeliveryCompleted = defineEvent('DeliveryCompleted', topics.deliveries, base.extend(worker));

/**
 * The delivery service stopped the order's delivery in time (or learnt of the cancellation before it
 * heard of the order): it will never pick the order up. Published by `delivery` in answer to
 * OrderCancellationRequested, once the shipment's `cancelled` state is written.
 */
export const DeliveryCancelled = defineEvent('DeliveryCancelled', topics.deliveries, base);

/**
 * The customer's cancellation came too late: a driver had already picked the order up, so the
 * delivery goes on and the order is not cancelled. Published by `delivery` in answer to
 * OrderCancellationRequested.
 */
export const DeliveryCancellationRefused = defineEvent('DeliveryCancellationRefused', topics.deliveries, base);

/** Every event of the saga, by name. */
export const events = {
  OrderCreated,
  OrderCancellationRequested,
  OrderCancelled,
  OrderCompleted,
  PaymentAccepted,
  PaymentDeclined,
  PaymentRefunded,
  WorkerSearchStarted,
  WorkerSearchCompleted,
  WorkerAcceptedJob,
  WorkerDeclinedJob,
  DeliveryStarted,
  DeliveryAborted,
  DeliveryCompleted,
  DeliveryCancelled,
  DeliveryCancellationRefused,
} as const;

export type EventName = keyof typeof events;
export const eventNames = Object.keys(events) as EventName[];

/** The data of the event with this name, as its schema defines it. */
export type EventData<Name extends EventName> = z.infer<(typeof events)[Name]['schema']>;

/** Any saga event: its name together with its data, discriminated by name. */
export type SagaEvent = { [Name in EventName]: { name: Name; data: EventData<Name> } }[EventName];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}

/** Validates data claimed to be of the named event. Throws a ZodError naming every problem. */
export function parseEvent<Name extends EventName>(name: Name, data: unknown): EventData<Name> {
  return events[name].schema.parse(data) as EventData<Name>;
}

/** Like parseEvent, for an event whose name came from outside (a CloudEvent `type`). */
export function safeParseEvent(name: unknown, data: unknown): { ok: true; event: SagaEvent } | { ok: false; problem: string } {
  if (!isEventName(name)) return { ok: false, problem: `unknown event type ${JSON.stringify(name)}` };
  const result = events[name].schema.safeParse(data);
  if (!result.success) return { ok: false, problem: z.prettifyError(result.error) };
  return { ok: true, event: { name, data: result.data } as SagaEvent };
}
