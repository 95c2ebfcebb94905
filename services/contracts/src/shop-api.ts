import { z } from 'zod';
import type { EventName, OrderLine } from './events.ts';
import { customerIdPattern, maxLinesPerOrder, maxQuantityPerLine, orderIdPattern, type OrderStatus } from './rules.ts';

export const customerIdSchema = z.string().regex(customerIdPattern, 'must be 1 to 64 letters, digits, "-" or "_"');

/** Anything but an order id in the path is refused before any call is made. */
export const orderIdSchema = z.string().regex(orderIdPattern, 'must be an order id');

/**
 * The header that names the customer a request speaks for. An order is shown or cancelled only to
 * the customer who placed it; for anyone else it does not exist.
 */
export const customerIdHeader = 'customer-id';

/** The body of `POST /api/orders`. */
export const placeOrderRequestSchema = z.strictObject({
  customerId: customerIdSchema,
  items: z
    .array(
      z.strictObject({
        sku: z.string().min(1).max(64),
        quantity: z.number().int().min(1).max(maxQuantityPerLine),
      }),
    )
    .min(1, 'an order needs at least one item')
    .max(maxLinesPerOrder, `an order holds at most ${maxLinesPerOrder} lines`),
});
export type PlaceOrderRequest = z.infer<typeof placeOrderRequestSchema>;

/** The `Idempotency-Key` header: any client-chosen token, typically a UUID. */
export const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 visible ASCII characters');

/** One fact in an order's life, as the API shows it. */
export interface OrderHistoryEntry {
  name: EventName;
  time: string;
}

/**
 * An order held up: an event about it failed until its retries ran out and waits, parked, for an
 * operator to replay it. Its status is where it stopped; nothing moves until the replay.
 */
export interface OrderStuck {
  /** The event that could not be handled. */
  event: EventName;
  /** When it was parked. */
  since: string;
}

/** An order as `GET /api/orders/{orderId}` returns it. */
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  createdAt: string;
  updatedAt: string;
  cancellable: boolean;
  history: OrderHistoryEntry[];
  /** Present while the order is held up by a parked dead letter (the earliest, when several are). */
  stuck?: OrderStuck;
}
