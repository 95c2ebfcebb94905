import { describe, expect, it } from 'vitest';
import { Repository, StepRunner, eventIdOf, type Decision } from './aggregate.ts';
import { EtagMismatch } from './dapr/state-store.ts';
import type { EventPublisher, OutgoingEvent } from './dapr/publisher.ts';
import { MemoryStore } from './testing/memory-store.ts';

interface Counter {
  n: number;
}

const orderId = '0b7e5a51-2c1e-4a55-9b8c-3f0c1a2b3c4d';
const now = '2026-11-29T10:00:00.000Z';
const searchStarted = (attempt: number) => ({
  name: 'WorkerSearchStarted' as const,
  data: { orderId, customerId: 'c-1', occurredAt: now, attempt },
});

/** A publisher that records what it published, and what the store held at that moment. */
class WatchingPublisher implements EventPublisher {
  readonly published: { event: OutgoingEvent; stored: unknown }[] = [];
  fail = false;
  readonly store: MemoryStore;
  constructor(store: MemoryStore) {
    this.store = store;
  }
  async publish(event: OutgoingEvent): Promise<void> {
    if (this.fail) throw new Error('the broker is away');
    this.published.push({ event, stored: (await this.store.get(`counter-${orderId}`))?.value });
  }
}

function setup() {
  const store = new MemoryStore();
  const publisher = new WatchingPublisher(store);
  const repository = new Repository<Counter>(store, 'counter');
  const steps = new StepRunner(publisher);
  const increment = (current: Counter | undefined): Decision<Counter> | undefined =>
    current && current.n >= 1 ? undefined : { state: { n: (current?.n ?? 0) + 1 }, events: [searchStarted(1)] };
  return { store, publisher, repository, steps, increment };
}

describe('the step loop', () => {
  it('publishes a decision’s events only after its state is written, with ids from the order and attempt', async () => {
    const { publisher, repository, steps, increment } = setup();
    const result = await steps.run(repository, orderId, 'trigger-1', increment);
    expect(result.decision?.state).toEqual({ n: 1 });
    expect(publisher.published).toHaveLength(1);
    expect(publisher.published[0]!.stored).toMatchObject({ state: { n: 1 } });
    expect(publisher.published[0]!.event.id).toBe(`${orderId}.WorkerSearchStarted.1`);
    expect(eventIdOf({ name: 'OrderCreated', data: { orderId } })).toBe(`${orderId}.OrderCreated`);
  });

  it('republishes, on a redelivered trigger, the very events that trigger caused, and changes nothing', async () => {
    const { publisher, repository, steps, increment } = setup();
    await steps.run(repository, orderId, 'trigger-1', increment);
    const again = await steps.run(repository, orderId, 'trigger-1', increment);
    expect(again.decision).toBeUndefined();
    expect(again.state).toEqual({ n: 1 });
    expect(publisher.published.map((p) => p.event)).toEqual([publisher.published[0]!.event, publisher.published[0]!.event]);
    // Another trigger that changes nothing republishes nothing.
    await steps.run(repository, orderId, 'trigger-2', increment);
    expect(publisher.published).toHaveLength(2);
  });

  it('keeps the events when the publish fails, so the retried trigger publishes them', async () => {
    const { publisher, repository, steps, increment } = setup();
    publisher.fail = true;
    await expect(steps.run(repository, orderId, 'trigger-1', increment)).rejects.toThrow('the broker is away');
    expect(publisher.published).toEqual([]);
    publisher.fail = false;
    await steps.run(repository, orderId, 'trigger-1', increment);
    expect(publisher.published.map((p) => p.event.name)).toEqual(['WorkerSearchStarted']);
  });

  it('publishes nothing for a write that lost its ETag race', async () => {
    const { store, publisher, repository, steps } = setup();
    const racing = async (current: Counter | undefined): Promise<Decision<Counter>> => {
      // Someone else writes the record between this step's read and its write.
      await store.save(`counter-${orderId}`, { state: { n: 41 }, events: [] }, (await store.get(`counter-${orderId}`))?.etag);
      return { state: { n: (current?.n ?? 0) + 1 }, events: [searchStarted(2)] };
    };
    await store.save(`counter-${orderId}`, { state: { n: 0 }, events: [] }, undefined);
    await expect(steps.run(repository, orderId, 'trigger-1', racing)).rejects.toThrow(EtagMismatch);
    expect(publisher.published).toEqual([]);
  });

  it('refuses to publish an event that breaks its contract', async () => {
    const { publisher, repository, steps } = setup();
    const broken = (): Decision<Counter> => ({ state: { n: 1 }, events: [{ name: 'WorkerSearchStarted', data: { orderId } }] });
    await expect(steps.run(repository, orderId, 'trigger-1', broken)).rejects.toThrow();
    expect(publisher.published).toEqual([]);
  });
});
