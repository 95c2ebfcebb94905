import { EtagMismatch, type OutboxEvent, type Versioned, type VersionedStore } from '../dapr/state-store.ts';

/**
 * An in-memory VersionedStore with the sidecar's ETag rules, for unit tests: a write with an ETag
 * needs the current one, a write without creates only. Committed events are kept in `published`.
 */
export class MemoryStore implements VersionedStore {
  readonly records = new Map<string, Versioned<unknown>>();
  readonly published: (OutboxEvent & { key: string })[] = [];

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const record = this.records.get(key);
    return record && { value: structuredClone(record.value) as T, etag: record.etag };
  }

  async save<T>(key: string, value: T, etag: string | undefined): Promise<void> {
    const current = this.records.get(key);
    if (etag === undefined ? current !== undefined : current?.etag !== etag) throw new EtagMismatch(key);
    this.records.set(key, { value: structuredClone(value), etag: String(Number(current?.etag ?? 0) + 1) });
  }

  async commit<T>(key: string, value: T, etag: string | undefined, event: OutboxEvent): Promise<void> {
    await this.save(key, value, etag);
    this.published.push({ ...event, key });
  }
}
