import type { EventData } from '@sweetgiggles/contracts';
import type { Decision, Random } from '@sweetgiggles/platform';

/** What the payment service knows of one order's money. */
export interface Payment {
  orderId: string;
  customerId: string;
  amountCents: number;
  /** `voided`: the order was cancelled before it was ever charged, so it never will be. */
  status: 'accepted' | 'declined' | 'refunded' | 'voided';
  paymentId?: string;
  updatedAt: string;
}

export interface PaymentRules {
  /** Orders above this total are declined, as a card limit would. */
  limitCents: number;
  /** The chance that an order within the limit is declined anyway. */
  declineProbability: number;
}

export type PaymentEvent =
  | { name: 'PaymentAccepted'; data: EventData<'PaymentAccepted'> }
  | { name: 'PaymentDeclined'; data: EventData<'PaymentDeclined'> }
  | { name: 'PaymentRefunded'; data: EventData<'PaymentRefunded'> };

/** A decision about one order's payment: its new version and the events (none, or one) that report it. */
export interface PaymentDecision extends Decision<Payment> {
  events: PaymentEvent[];
}

/** Charges an order: declined above the limit or by chance, accepted otherwise. */
export function charge(
  order: EventData<'OrderCreated'>,
  rules: PaymentRules,
  random: Random,
  paymentId: string,
  now: string,
): PaymentDecision {
  const { orderId, customerId, totalCents: amountCents } = order;
  const base = { orderId, customerId, occurredAt: now, amountCents };
  const reason =
    amountCents > rules.limitCents
      ? 'the amount exceeds the card limit'
      : random() < rules.declineProbability
        ? 'the card issuer declined the payment'
        : undefined;
  if (reason) {
    return {
      state: { orderId, customerId, amountCents, status: 'declined', updatedAt: now },
      events: [{ name: 'PaymentDeclined', data: { ...base, reason } }],
    };
  }
  return {
    state: { orderId, customerId, amountCents, status: 'accepted', paymentId, updatedAt: now },
    events: [{ name: 'PaymentAccepted', data: { ...base, paymentId } }],
  };
}

/**
 * What a cancellation means for the payment: a refund (status `refunded`, PaymentRefunded) when the
 * order was charged, a void (status `voided`, no event) when it was not charged yet, so a late
 * OrderCreated charges nothing. Undefined when it changes nothing (declined, refunded or voided already).
 */
export function cancelPayment(
  existing: Payment | undefined,
  cancelled: EventData<'OrderCancelled'>,
  now: string,
): PaymentDecision | undefined {
  if (!existing) {
    const { orderId, customerId, totalCents: amountCents } = cancelled;
    return { state: { orderId, customerId, amountCents, status: 'voided', updatedAt: now }, events: [] };
  }
  if (existing.status !== 'accepted' || !existing.paymentId) return undefined;
  const { orderId, customerId, amountCents, paymentId } = existing;
  return {
    state: { ...existing, status: 'refunded', updatedAt: now },
    events: [{ name: 'PaymentRefunded', data: { orderId, customerId, occurredAt: now, paymentId, amountCents } }],
  };
}
