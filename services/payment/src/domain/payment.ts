import type { EventData } from '@sweetgiggles/contracts';
import type { Random } from '@sweetgiggles/platform';

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

/** Charges an order: declined above the limit or by chance, accepted otherwise. */
export function charge(
  order: EventData<'OrderCreated'>,
  rules: PaymentRules,
  random: Random,
  paymentId: string,
  now: string,
): { payment: Payment; event: PaymentEvent } {
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
      payment: { orderId, customerId, amountCents, status: 'declined', updatedAt: now },
      event: { name: 'PaymentDeclined', data: { ...base, reason } },
    };
  }
  return {
    payment: { orderId, customerId, amountCents, status: 'accepted', paymentId, updatedAt: now },
    event: { name: 'PaymentAccepted', data: { ...base, paymentId } },
  };
}

/**
 * What a cancellation means for the payment: a refund when the order was charged, a void when it
 * was not charged yet (so a late OrderCreated charges nothing), nothing otherwise.
 */
export function onCancelled(
  existing: Payment | undefined,
  cancelled: EventData<'OrderCancelled'>,
  now: string,
): { kind: 'refund'; payment: Payment; event: PaymentEvent } | { kind: 'void'; payment: Payment } | { kind: 'nothing' } {
  if (!existing) {
    const { orderId, customerId, totalCents: amountCents } = cancelled;
    return { kind: 'void', payment: { orderId, customerId, amountCents, status: 'voided', updatedAt: now } };
  }
  if (existing.status !== 'accepted' || !existing.paymentId) return { kind: 'nothing' };
  const { orderId, customerId, amountCents, paymentId } = existing;
  return {
    kind: 'refund',
    payment: { ...existing, status: 'refunded', updatedAt: now },
    event: { name: 'PaymentRefunded', data: { orderId, customerId, occurredAt: now, paymentId, amountCents } },
  };
}
