import { describe, expect, it } from 'vitest';
import { seededRandom } from '@sweetgiggles/platform';
import { charge, onCancelled } from './payment.ts';

const order = { orderId: 'o-1', customerId: 'c-1', occurredAt: '2026-11-25T10:00:00.000Z', items: [], totalCents: 1_000 };
const now = '2026-11-25T10:00:01.000Z';

describe('a payment', () => {
  it('is accepted within the limit when chance allows', () => {
    const { payment, event } = charge(order, { limitCents: 50_000, declineProbability: 0 }, Math.random, 'p-1', now);
    expect(payment.status).toBe('accepted');
    expect(event).toMatchObject({ name: 'PaymentAccepted', data: { paymentId: 'p-1', amountCents: 1_000 } });
  });

  it('is declined above the card limit, whatever chance says', () => {
    const { event } = charge({ ...order, totalCents: 50_001 }, { limitCents: 50_000, declineProbability: 0 }, Math.random, 'p-1', now);
    expect(event.name).toBe('PaymentDeclined');
  });

  it('is declined at about the configured rate, repeatably for a seed', () => {
    const decide = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from(
        { length: 1_000 },
        () => charge(order, { limitCents: 50_000, declineProbability: 0.2 }, random, 'p', now).event.name,
      );
    };
    const declines = decide(7).filter((name) => name === 'PaymentDeclined').length;
    expect(declines).toBeGreaterThan(150);
    expect(declines).toBeLessThan(250);
    expect(decide(7)).toEqual(decide(7));
  });

  it('is refunded when a charged order is cancelled, voided when it was not charged yet', () => {
    const accepted = charge(order, { limitCents: 50_000, declineProbability: 0 }, Math.random, 'p-1', now).payment;
    const cancelled = { ...order, reason: 'customer_request' as const };
    expect(onCancelled(accepted, cancelled, now)).toMatchObject({
      kind: 'refund',
      event: { name: 'PaymentRefunded', data: { paymentId: 'p-1' } },
    });
    expect(onCancelled(undefined, cancelled, now)).toMatchObject({ kind: 'void', payment: { status: 'voided' } });
    expect(onCancelled({ ...accepted, status: 'refunded' }, cancelled, now)).toEqual({ kind: 'nothing' });
  });
});
