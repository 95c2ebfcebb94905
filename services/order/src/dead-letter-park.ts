import { maxParkedDeadLetters, type ParkedDeadLetter, type ParkedDeadLetterSummary } from '@sweetgiggles/contracts';
import { EtagMismatch, type VersionedStore } from '@sweetgiggles/platform';
import { summaryOf, withParked } from './domain/dead-letter.ts';

/** The index of the park: one record listing every parked letter, so listing costs one read. */
interface ParkIndex {
  letters: ParkedDeadLetterSummary[];
}

const indexKey = 'dead-letters';
const letterKey = (id: string) => `dead-letter-${id}`;
/** ETag conflicts on the index in a row before giving up (the caller retries later). */
const maxAttempts = 20;

/** What parking a letter did: parked it now, found it parked already, or found the park full. */
export type ParkResult = 'parked' | 'known' | 'full';

/**
 * Parked dead letters in the order service's state store: each letter under its CloudEvent id
 * (written create-only, so a letter delivered twice, or to two replicas at once, is parked once), and
 * an index of them all, changed with its ETag. Every step can be repeated: a redelivered dead letter
 * finishes what a process that died half-way began.
 */
export class DeadLetterPark {
  readonly #store: VersionedStore;
  readonly #capacity: number;

  constructor(store: VersionedStore, capacity = maxParkedDeadLetters) {
    this.#store = store;
    this.#capacity = capacity;
  }

  async park(letter: ParkedDeadLetter): Promise<ParkResult> {
    let created = true;
    const listed = await this.#changeIndex((letters) => withParked(letters, summaryOf(letter), this.#capacity));
    if (!listed) return 'full';
    try {
      await this.#store.save(letterKey(letter.id), letter, undefined);
    } catch (error) {
      if (!(error instanceof EtagMismatch)) throw error;
      created = false; // first write wins: it is parked already
    }
    return created ? 'parked' : 'known';
  }

  /** The parked letters, oldest first, at most `limit`. */
  async list(limit = this.#capacity): Promise<ParkedDeadLetterSummary[]> {
    return (await this.#index()).letters.slice(0, limit);
  }

  async count(): Promise<number> {
    return (await this.#index()).letters.length;
  }

  async get(id: string): Promise<ParkedDeadLetter | undefined> {
    return (await this.#store.get<ParkedDeadLetter>(letterKey(id)))?.value;
  }

  /** Takes a letter out of the park (after its replay was published). Nothing happens when it is not there. */
  async remove(id: string): Promise<void> {
    await this.#changeIndex((letters) => letters.filter((entry) => entry.id !== id));
    await this.#store.delete(letterKey(id));
  }

  async #index(): Promise<ParkIndex> {
    return (await this.#store.get<ParkIndex>(indexKey))?.value ?? { letters: [] };
  }

  /** Applies `change` to the index with its ETag, re-reading on a conflict; false when `change` refused (undefined). */
  async #changeIndex(change: (letters: ParkedDeadLetterSummary[]) => ParkedDeadLetterSummary[] | undefined): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.#store.get<ParkIndex>(indexKey);
      const letters = current?.value.letters ?? [];
      const changed = change(letters);
      if (!changed) return false;
      // A change only adds or removes a letter: the same length means there is nothing to write.
      if (changed.length === letters.length) return true;
      try {
        await this.#store.save<ParkIndex>(indexKey, { letters: changed }, current?.etag);
        return true;
      } catch (error) {
        if (!(error instanceof EtagMismatch) || attempt >= maxAttempts) throw error;
      }
    }
  }
}
