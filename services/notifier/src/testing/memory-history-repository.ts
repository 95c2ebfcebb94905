import { MemoryStore } from '@sweetgiggles/platform/testing';
import type { CustomerHistory } from '../domain/customer-history.ts';
import { HistoryRepository } from '../history-repository.ts';

/** The histories in a state store in memory, for tests: shared by several hubs it plays the part of the notifier's store. */
export class MemoryHistoryRepository extends HistoryRepository {
  /** Reads so far, so a test can tell a replay from the store apart from a live push. */
  reads = 0;

  constructor(limit = 100) {
    super(new MemoryStore(), { limit });
  }

  override read(customerId: string): Promise<CustomerHistory> {
    this.reads += 1;
    return super.read(customerId);
  }
}
