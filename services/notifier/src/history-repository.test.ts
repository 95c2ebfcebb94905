import { expect, test } from 'vitest';
import { EtagMismatch, SidecarError, type VersionedStore, type Versioned } from '@sweetgiggles/platform';
import type { IncomingEvent } from './domain/customer-history.ts';
import { HistoryRepository } from './history-repository.ts';

/** A state store with first-write-wins ETags, as Dapr's is, shared by the "replicas" of a test. */
class FakeStateStore implements Pick<VersionedStore, 'get' | 'save'> {
  readonly records = new Map<string, Versioned<unknown>>();
  #version = 0;
  /** Runs just before each save, so a test can slip in another replica's write. */
  beforeSave: () => Promise<void> = async () => {};

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    return this.records.get(key) as Versioned<T> | undefined;
  }

  async save<T>(key: string, value: T, etag: string | undefined): Promise<void> {
    await this.beforeSave();
    // A create (no ETag) of an existing key and a stale ETag are both conflicts, as the platform's StateStore reports them.
    if (this.records.get(key)?.etag !== etag) throw new EtagMismatch(key);
    this.#version += 1;
    this.records.set(key, { value: structuredClone(value), etag: String(this.#version) });
  }
}

const event = (eventId: string): IncomingEvent => ({
  eventId,
  orderId: 'o-1',
  name: 'PaymentAccepted',
  time: '2026-11-25T10:00:00Z',
  data: {},
});

test('replicas recording the same events concurrently agree on their numbers', async () => {
  const state = new FakeStateStore();
  const one = new HistoryRepository(state, { limit: 50 });
  const two = new HistoryRepository(state, { limit: 50 });
  const results = await Promise.all(['a', 'b', 'c'].flatMap((id) => [one.record('kim', event(id)), two.record('kim', event(id))]));
  const seqOf = new Map(results.map((notification) => [notification.eventId, notification.seq]));
  expect(results.filter((n) => n.eventId === 'a').map((n) => n.seq)).toEqual([seqOf.get('a'), seqOf.get('a')]);
  expect([...seqOf.values()].sort()).toEqual([1, 2, 3]);
  expect((await one.read('kim')).entries.map((entry) => entry.seq)).toEqual([1, 2, 3]);
});

test('two replicas creating the same customer’s history at once both succeed', async () => {
  const state = new FakeStateStore();
  const [a, b] = await Promise.all([
    new HistoryRepository(state, { limit: 50 }).record('max', event('a')),
    new HistoryRepository(state, { limit: 50 }).record('max', event('b')),
  ]);
  expect([a.seq, b.seq].sort()).toEqual([1, 2]);
});

test('a failed create is not taken for a race when nothing was created', async () => {
  const state = new FakeStateStore();
  state.save = async () => {
    throw new SidecarError('saving', 500, 'the store is down');
  };
  await expect(new HistoryRepository(state, { limit: 50 }).record('ned', event('a'))).rejects.toThrow(SidecarError);
});

test('a write that keeps losing the race fails, so the delivery is retried', async () => {
  const state = new FakeStateStore();
  const store = new HistoryRepository(state, { limit: 50, maxAttempts: 3 });
  let other = 0;
  state.beforeSave = async () => {
    other += 1;
    state.records.set('history-lee', { value: { lastSeq: other, entries: [] }, etag: `other-${other}` });
  };
  await expect(store.record('lee', event('a'))).rejects.toThrow(EtagMismatch);
  expect(other).toBe(3);
});

test('a customer without history reads as empty', async () => {
  expect(await new HistoryRepository(new FakeStateStore(), { limit: 5 }).read('nobody')).toEqual({ lastSeq: 0, entries: [] });
});

test('an event a replica has already recorded costs no second call to the store', async () => {
  const state = new FakeStateStore();
  let reads = 0;
  const counting = { get: <T>(key: string) => (reads++, state.get<T>(key)), save: state.save.bind(state) };
  const store = new HistoryRepository(counting, { limit: 50 });
  const first = await store.record('ada', event('a'));
  const again = await store.record('ada', event('a'));
  expect(again).toEqual(first);
  expect(reads).toBe(1);
  expect((await store.read('ada')).entries).toHaveLength(1);
});
