import { ServiceError } from '../errors.ts';
import { SidecarError, type Sidecar, type SidecarResponse } from './sidecar.ts';

/** Someone else changed the record since we read it. Re-read and try again (or RETRY the message). */
export class EtagMismatch extends ServiceError {
  constructor(key: string) {
    super('conflict', `the record ${key} was changed concurrently`, 409);
  }
}

/** A value together with the ETag it had when it was read. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** What services need of a state store; StateStore is the Dapr one, tests hand in a fake. */
export interface VersionedStore {
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  save<T>(key: string, value: T, etag: string | undefined): Promise<void>;
  /** Removes `key` (nothing happens when it is absent); with an ETag only that version. */
  delete(key: string, etag?: string): Promise<void>;
}

const strong = { concurrency: 'first-write', consistency: 'strong' } as const;

/**
 * One Dapr state store, seen through the sidecar. Writes use first-write-wins concurrency: a write
 * carries the ETag of the read it is based on, and a write without an ETag only creates.
 */
export class StateStore implements VersionedStore {
  readonly #sidecar: Sidecar;
  readonly #path: string;
  readonly name: string;

  constructor(sidecar: Sidecar, name: string) {
    this.#sidecar = sidecar;
    this.name = name;
    this.#path = `/v1.0/state/${encodeURIComponent(name)}`;
  }

  /** The value at `key` with its ETag, or undefined when there is none. */
  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const response = await this.#sidecar.call(`reading ${key}`, `${this.#path}/${encodeURIComponent(key)}`, {
      operation: `state get ${this.name}`,
    });
    if (response.status === 204) return undefined;
    const text = response.text();
    if (text === '') return undefined;
    return { value: JSON.parse(text) as T, etag: response.headers.get('etag') ?? '' };
  }

  /**
   * Writes `value` at `key`. With an ETag the write succeeds only if the record is unchanged since
   * that read; without one it succeeds only if there is no record yet.
   */
  async save<T>(key: string, value: T, etag: string | undefined): Promise<void> {
    const response = await this.#sidecar.request(this.#path, {
      operation: `state save ${this.name}`,
      method: 'POST',
      body: [{ key, value, etag, options: strong }],
    });
    this.#check(response, key, 'saving', etag);
  }

  async delete(key: string, etag?: string): Promise<void> {
    const response = await this.#sidecar.request(`${this.#path}/${encodeURIComponent(key)}`, {
      operation: `state delete ${this.name}`,
      method: 'DELETE',
      headers: { 'if-match': etag },
    });
    this.#check(response, key, 'deleting', etag ?? 'any');
  }

  #check(response: SidecarResponse, key: string, what: string, etag: string | undefined): void {
    if (response.ok) return;
    const body = response.text();
    // A stale ETag is a 409. A create (no ETag) of a key that exists is, on Redis, a 500 whose
    // message says the set failed: the same conflict, reported differently.
    if (response.status === 409 || (etag === undefined && /failed to set key/.test(body))) throw new EtagMismatch(key);
    throw new SidecarError(`${what} ${key}`, response.status, body);
  }
}
