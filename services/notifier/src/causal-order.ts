import type { EventName } from '@sweetgiggles/contracts';
import type { CustomerHistory } from './domain/customer-history.ts';

/** The saga event that must come before another one for the same order, as name and attempt (`any`: whichever attempt). */
export interface Step {
  name: EventName;
  attempt: number | 'any' | undefined;
}

/**
 * The event(s) of the saga one of which causes `name`: an event is shown after its cause. Events
 * travel on different topics and subscriptions, so they can reach the notifier in another order than
 * they happened in, by a few milliseconds. None for OrderCreated and for a customer's cancellation request.
 */
export function causesOf(name: EventName, data: { attempt?: number; reason?: string }): Step[] {
  const attempt = data.attempt;
  switch (name) {
    case 'PaymentAccepted':
    case 'PaymentDeclined':
      return [{ name: 'OrderCreated', attempt: undefined }];
    case 'OrderCancelled':
      return [{ name: data.reason === 'payment_declined' ? 'PaymentDeclined' : 'DeliveryCancelled', attempt: undefined }];
    case 'DeliveryCancelled':
    case 'DeliveryCancellationRefused':
      return [{ name: 'OrderCancellationRequested', attempt: undefined }];
    case 'PaymentRefunded':
      return [{ name: 'OrderCancelled', attempt: undefined }];
    case 'WorkerSearchStarted':
      return attempt === undefined || attempt <= 1
        ? [{ name: 'PaymentAccepted', attempt: undefined }]
        : [
            { name: 'WorkerDeclinedJob', attempt: attempt - 1 },
            { name: 'DeliveryAborted', attempt: attempt - 1 },
          ];
    case 'WorkerSearchCompleted':
      return [{ name: 'WorkerSearchStarted', attempt }];
    case 'WorkerAcceptedJob':
    case 'WorkerDeclinedJob':
      return [{ name: 'WorkerSearchCompleted', attempt }];
    case 'DeliveryStarted':
      return [{ name: 'WorkerAcceptedJob', attempt }];
    case 'DeliveryCompleted':
    case 'DeliveryAborted':
      return [{ name: 'DeliveryStarted', attempt }];
    case 'OrderCompleted':
      return [{ name: 'DeliveryCompleted', attempt: 'any' }];
    default:
      return [];
  }
}

const keyOf = (orderId: string, name: EventName, attempt: number | 'any' | undefined) => `${orderId}|${name}|${attempt ?? ''}`;

/** Whether one of `causes` of an event about `orderId` is in the customer's shared history already. */
export type CauseLookup = (customerId: string, orderId: string, causes: Step[]) => Promise<boolean>;

/**
 * Keeps notifications in the saga's order: an event waits until its cause has been handled by this
 * replica (it is told at once) or recorded in the customer's history by another one (looked up every
 * `pollMs`). After `maxWaitMs` (a cause that will not come: trimmed from the history, say) the event
 * goes ahead anyway.
 */
export class CausalOrder {
  readonly #seen = new Set<string>();
  readonly #waiting = new Map<string, Set<() => void>>();
  readonly #lookup: CauseLookup;
  readonly #pollMs: number;
  readonly #maxWaitMs: number;
  readonly #limit: number;

  constructor(options: { lookup: CauseLookup; pollMs?: number; maxWaitMs: number; limit?: number }) {
    this.#lookup = options.lookup;
    this.#pollMs = options.pollMs ?? 25;
    this.#maxWaitMs = options.maxWaitMs;
    this.#limit = options.limit ?? 50_000;
  }

  /** Resolves once one of the event's causes has been handled here or recorded elsewhere, or after the maximum wait. */
  async causesHandled(customerId: string, orderId: string, name: EventName, data: { attempt?: number; reason?: string }): Promise<void> {
    const causes = causesOf(name, data);
    const keys = causes.map((cause) => keyOf(orderId, cause.name, cause.attempt));
    const deadline = performance.now() + this.#maxWaitMs;
    while (keys.length > 0 && !keys.some((key) => this.#seen.has(key)) && performance.now() < deadline) {
      if (await this.#signalled(keys, Math.min(this.#pollMs, deadline - performance.now()))) return;
      if (await this.#lookup(customerId, orderId, causes).catch(() => false)) return;
    }
  }

  /** Notes that an event has been handled here, releasing what waited for it. */
  handled(orderId: string, name: EventName, attempt: number | undefined): void {
    for (const key of [keyOf(orderId, name, attempt), keyOf(orderId, name, 'any')]) {
      this.#seen.add(key);
      const waiters = this.#waiting.get(key);
      if (waiters) {
        this.#waiting.delete(key);
        for (const release of waiters) release();
      }
    }
    while (this.#seen.size > this.#limit) this.#seen.delete(this.#seen.values().next().value!);
  }

  /** Waits up to `ms` for one of `keys` to be handled here; true when one was. */
  #signalled(keys: string[], ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const finish = (signalled: boolean) => {
        clearTimeout(timer);
        for (const key of keys) this.#waiting.get(key)?.delete(release);
        resolve(signalled);
      };
      const release = () => finish(true);
      const timer = setTimeout(() => finish(false), Math.max(0, ms));
      for (const key of keys) {
        const waiters = this.#waiting.get(key) ?? new Set();
        waiters.add(release);
        this.#waiting.set(key, waiters);
      }
    });
  }
}

/** A CauseLookup over the customers' histories. */
export function historyLookup(read: (customerId: string) => Promise<CustomerHistory>): CauseLookup {
  return async (customerId, orderId, causes) => {
    const { entries } = await read(customerId);
    return entries.some(
      (entry) =>
        entry.orderId === orderId &&
        causes.some(
          (cause) =>
            cause.name === entry.name &&
            (cause.attempt === undefined || cause.attempt === 'any' || cause.attempt === (entry.data as { attempt?: number }).attempt),
        ),
    );
  };
}
