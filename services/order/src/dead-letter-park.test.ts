import { describe, expect, it } from 'vitest';
import type { ParkedDeadLetter } from '@sweetgiggles/contracts';
import { MemoryStore } from '@sweetgiggles/platform/testing';
import { DeadLetterPark } from './dead-letter-park.ts';

const letter = (id: string): ParkedDeadLetter => ({
  id,
  type: 'OrderCreated',
  orderId: 'o',
  topic: 'orders',
  source: 'order',
  parkedAt: '2026-11-29T10:00:00.000Z',
  reason: 'retries exhausted',
  data: {},
});

describe('the dead-letter park', () => {
  it('parks a letter once, even when two replicas park it at the same moment', async () => {
    const store = new MemoryStore();
    const [a, b] = [new DeadLetterPark(store), new DeadLetterPark(store)];
    const results = await Promise.all([a.park(letter('x')), b.park(letter('x'))]);
    expect(results.sort()).toEqual(['known', 'parked']);
    expect(await a.park(letter('x'))).toBe('known');
    expect((await a.list()).map((entry) => entry.id)).toEqual(['x']);
    expect(await b.get('x')).toEqual(letter('x'));
  });

  it('keeps every letter parked by replicas racing on the index', async () => {
    const store = new MemoryStore();
    const parks = [new DeadLetterPark(store), new DeadLetterPark(store), new DeadLetterPark(store)];
    await Promise.all(parks.map((park, i) => park.park(letter(`l${i}`))));
    expect((await parks[0]!.list()).map((entry) => entry.id).sort()).toEqual(['l0', 'l1', 'l2']);
    expect(await parks[0]!.count()).toBe(3);
  });

  it('refuses a letter when full, caps a listing, and forgets a removed letter', async () => {
    const park = new DeadLetterPark(new MemoryStore(), 2);
    expect(await park.park(letter('a'))).toBe('parked');
    expect(await park.park(letter('b'))).toBe('parked');
    expect(await park.park(letter('c'))).toBe('full');
    expect(await park.list(1)).toHaveLength(1);
    await park.remove('a');
    await park.remove('a');
    expect(await park.get('a')).toBeUndefined();
    expect((await park.list()).map((entry) => entry.id)).toEqual(['b']);
    // Parked again after a replay (it failed once more): a new letter.
    expect(await park.park(letter('a'))).toBe('parked');
  });
});
