import { describe, expect, it } from 'vitest';
import { parkedLetterOf, retriesExhausted, withParked } from './dead-letter.ts';

const orderId = '0b6f3c1e-6a43-4c3a-9d9e-0c9a8f8f1e01';
const accepted = {
  id: `${orderId}.PaymentAccepted`,
  type: 'PaymentAccepted',
  topic: 'payments',
  source: 'payment',
  data: { orderId, customerId: 'c', occurredAt: '2026-11-29T10:00:00.000Z', paymentId: 'p', amountCents: 299 },
};
const now = '2026-11-29T10:01:00.000Z';

describe('a dead letter as the park keeps it', () => {
  it('keeps a valid saga event with its id, order, topic, publisher and why it is here', () => {
    expect(parkedLetterOf(accepted, now)).toEqual({
      letter: {
        id: accepted.id,
        type: 'PaymentAccepted',
        orderId,
        topic: 'payments',
        source: 'payment',
        parkedAt: now,
        reason: retriesExhausted,
        data: accepted.data,
      },
    });
  });

  it('refuses poison and crafted messages, saying why', () => {
    const problem = (changes: Record<string, unknown>) => parkedLetterOf({ ...accepted, ...changes }, now);
    expect(problem({ type: 'OrderTeleported' })).toHaveProperty('problem');
    expect(problem({ data: { orderId } })).toHaveProperty('problem');
    expect(problem({ id: '../../state' })).toEqual({ problem: 'malformed CloudEvent id' });
    expect(problem({ id: 'x'.repeat(129) })).toEqual({ problem: 'malformed CloudEvent id' });
    expect(problem({ topic: 'orders' })).toEqual({ problem: 'published on orders, not on payments' });
  });

  it('keeps no source that is not an app id', () => {
    const parked = parkedLetterOf({ ...accepted, source: '<script>' }, now);
    expect('letter' in parked && parked.letter.source).toBe(null);
  });
});

describe('the index of parked letters', () => {
  const summary = (id: string) => ({
    id,
    type: 'PaymentAccepted' as const,
    orderId,
    topic: 'payments' as const,
    source: null,
    parkedAt: now,
    reason: retriesExhausted,
  });

  it('lists a letter once, oldest first, and refuses beyond its capacity', () => {
    const one = withParked([], summary('a'), 2)!;
    expect(withParked(one, summary('a'), 2)).toBe(one);
    const two = withParked(one, summary('b'), 2)!;
    expect(two.map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(withParked(two, summary('c'), 2)).toBeUndefined();
    expect(withParked(two, summary('b'), 2)).toBe(two);
  });
});
