import { emptyHistory, recordEvent, type CustomerHistory, type IncomingEvent, type Notification } from '../domain/customer-history.ts';
import type { HistoryStore } from '../dapr/history-store.ts';

/** A HistoryStore in memory, for tests: shared by several hubs it plays the part of the state store. */
export class MemoryHistoryStore implements HistoryStore {
  readonly #histories = new Map<string, CustomerHistory>();
  readonly #limit: number;
  /** Reads so far, so a test can tell a replay from the store apart from a live push. */
  reads = 0;

  constructor(limit = 100) {
    this.#limit = limit;
  }

  async read(customerId: string): Promise<CustomerHistory> {
    this.reads += 1;
    return this.#histories.get(customerId) ?? emptyHistory;
  }

  async record(customerId: string, event: IncomingEvent): Promise<Notification> {
    const { history, notification } = recordEvent(this.#histories.get(customerId) ?? emptyHistory, event, this.#limit);
    this.#histories.set(customerId, history);
    return notification;
  }
}
