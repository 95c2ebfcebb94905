import { EtagMismatch, KeyedLock, sleep, type VersionedStore } from '@sweetgiggles/platform';
import {
  emptyHistory,
  findNotification,
  recordEvent,
  type CustomerHistory,
  type IncomingEvent,
  type Notification,
} from './domain/customer-history.ts';

export interface HistoryRepositoryOptions {
  /** How many notifications are kept per customer. */
  limit: number;
  /** How many bytes of notifications (as JSON) are kept per customer. */
  maxBytes?: number;
  /** How often a write that lost an ETag race is tried again before the delivery is retried. */
  maxAttempts?: number;
}

/**
 * The customers' histories in the notifier's state store (`notifierstore`), one record per customer
 * (`history-<customerId>`). Every replica appends to the same record: a write carries the ETag of its
 * read, so two replicas recording the same event agree on its number and a redelivery finds it instead
 * of adding it twice. Unlike the other services' aggregates a history produces no events, so none are
 * kept beside it, and a write that lost the race is tried again here rather than by a redelivery.
 */
export class HistoryRepository {
  readonly #store: Pick<VersionedStore, 'get' | 'save'>;
  readonly #limit: number;
  readonly #maxBytes: number | undefined;
  readonly #maxAttempts: number;
  // Keeps this replica's own writes to one customer in line, so only other replicas cause ETag retries.
  readonly #lock = new KeyedLock();
  // The events this replica recorded or found lately, by event id: each event reaches a replica twice
  // (its durable and its broadcast subscription), and the second time costs no sidecar call.
  readonly #recent = new Map<string, Notification>();
  readonly #recentLimit = 10_000;

  constructor(store: Pick<VersionedStore, 'get' | 'save'>, options: HistoryRepositoryOptions) {
    this.#store = store;
    this.#limit = options.limit;
    this.#maxBytes = options.maxBytes;
    this.#maxAttempts = options.maxAttempts ?? 8;
  }

  /** The customer's history; empty when there is none yet. */
  async read(customerId: string): Promise<CustomerHistory> {
    return (await this.#store.get<CustomerHistory>(keyOf(customerId)))?.value ?? emptyHistory;
  }

  /** Records the event unless it is already there, and returns it with its sequence number. */
  record(customerId: string, event: IncomingEvent): Promise<Notification> {
    return this.#lock.run(customerId, async () => {
      const known = this.#recent.get(`${customerId}\n${event.eventId}`);
      if (known) return known;
      for (let attempt = 1; ; attempt += 1) {
        const current = await this.#store.get<CustomerHistory>(keyOf(customerId));
        const history = current?.value ?? emptyHistory;
        const decision = recordEvent(history, event, this.#limit, this.#maxBytes);
        // Recorded already (a redelivery, or another replica's): it keeps its number.
        if (!decision) return this.#remember(customerId, findNotification(history, event.eventId)!);
        try {
          await this.#store.save(keyOf(customerId), decision.state, current?.etag);
          return this.#remember(customerId, decision.notification);
        } catch (error) {
          // Another replica recorded an event for this customer first: read again and retry.
          if (!(error instanceof EtagMismatch) || attempt >= this.#maxAttempts) throw error;
          await sleep(Math.round(5 * attempt * (1 + Math.random())));
        }
      }
    });
  }

  #remember(customerId: string, notification: Notification): Notification {
    this.#recent.set(`${customerId}\n${notification.eventId}`, notification);
    if (this.#recent.size > this.#recentLimit) this.#recent.delete(this.#recent.keys().next().value!);
    return notification;
  }
}

const keyOf = (customerId: string) => `history-${customerId}`;
