import { EtagMismatch, type Versioned, type VersionedStore } from '../dapr/state-store.ts';
import type { EventPublisher, OutgoingEvent } from '../dapr/publisher.ts';

/**
 * An in-memory VersionedStore with the sidecar's ETag rules, for unit tests: a write with an ETag
 * needs the current one, a write without creates only.
 */
export class MemoryStore implements VersionedStore {
  readonly records = new Map<string, Versioned<unknown>>();

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const record = this.records.get(key);
    return record && { value: structuredClone(record.value) as T, etag: record.etag };
  }

  async save<T>(key: string, value: T, etag: string | undefined): Promise<void> {
    const current = this.records.get(key);
    if (etag === undefined ? current !== undefined : current?.etag !== etag) throw new EtagMismatch(key);
    this.records.set(key, { value: structuredClone(value), etag: String(Number(current?.etag ?? 0) + 1) });
  }

  async delete(key: string, etag?: string): Promise<void> {
    const current = this.records.get(key);
    if (etag !== undefined && current !== undefined && current.etag !== etag) throw new EtagMismatch(key);
    this.records.delete(key);
  }
}

/** An EventPublisher that keeps every published event in `published`, in order, duplicates included. */
export class MemoryPublisher implements EventPublisher {
  readonly published: OutgoingEvent[] = [];

  async publish(event: OutgoingEvent): Promise<void> {
    this.published.push(structuredClone(event));
  }
}
