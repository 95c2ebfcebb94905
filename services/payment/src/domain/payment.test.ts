import { describe, expect, it } from 'vitest';
import { seededRandom } from '@sweetgiggles/platform';
import { cancelPayment, charge } from './payment.ts';

const order = { orderId: 'o-1', customerId: 'c-1', occurredAt: '2026-11-25T10:00:00.000Z', items: [], totalCents: 1_000 };
const now = '2026-11-25T10:00:01.000Z';

describe('a payment', () => {
  it('is accepted within the limit when chance allows', () => {
    const { state, events } = charge(order, { limitCents: 50_000, declineProbability: 0 }, Math.random, 'p-1', now);
    expect(state.status).toBe('accepted');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: 'PaymentAccepted', data: { paymentId: 'p-1', amountCents: 1_000 } });
  });

  it('is declined above the card limit, whatever chance says', () => {
    const { state, events } = charge(
      { ...order, totalCents: 50_001 },
      { limitCents: 50_000, declineProbability: 0 },
      Math.random,
      'p-1',
      now,
    );
    expect(state.status).toBe('declined');
    expect(events.map((event) => event.name)).toEqual(['PaymentDeclined']);
  });

  it('is declined at about the configured rate, repeatably for a seed', () => {
    const decide = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from(
        { length: 1_000 },
        () => charge(order, { limitCents: 50_000, declineProbability: 0.2 }, random, 'p', now).events[0]?.name,
      );
    };
    const declines = decide(7).filter((name) => name === 'PaymentDeclined').length;
    expect(declines).toBeGreaterThan(150);
    expect(declines).toBeLessThan(250);
    expect(decide(7)).toEqual(decide(7));
  });

  it('is refunded when a charged order is cancelled, voided when it was not charged yet', () => {
    const accepted = charge(order, { limitCents: 50_000, declineProbability: 0 }, Math.random, 'p-1', now).state;
    const cancelled = { ...order, reason: 'customer_request' as const };
    expect(cancelPayment(accepted, cancelled, now)).toMatchObject({
      state: { status: 'refunded' },
      events: [{ name: 'PaymentRefunded', data: { paymentId: 'p-1' } }],
    });
    expect(cancelPayment(undefined, cancelled, now)).toEqual({
      state: { orderId: 'o-1', customerId: 'c-1', amountCents: 1_000, status: 'voided', updatedAt: now },
      events: [],
    });
    expect(cancelPayment({ ...accepted, status: 'refunded' }, cancelled, now)).toBeUndefined();
    expect(cancelPayment({ ...accepted, status: 'declined' }, cancelled, now)).toBeUndefined();
  });
});
