import type { OrderTrace } from '@sweetgiggles/contracts';
import { ShopApiError, type ShopApi } from './shop-api.ts';

/** What the trace page shows: the trace once it has been read, or why not yet. */
export interface TraceState {
  orderId: string;
  isLoading: boolean;
  trace?: OrderTrace;
  /** Said to the customer when there is no trace to show. */
  problem?: string;
}

export interface TraceLoaderDeps {
  api: Pick<ShopApi, 'orderTrace'>;
  customerId: string;
  orderId: string;
  /** Waits between tries while the spans are on their way; a test hands in one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/** How long to keep asking while the trace has not reached the tracing backend (spans come in batches, seconds late). */
const waitForTrace = { tries: 15, everyMs: 2_000 };

/**
 * Reads an order's trace for the trace page, asking again for a while as long as the shop says its
 * spans have not arrived yet. Elements render its state; `load()` reads it again (a refresh).
 */
export class TraceLoader {
  #state: TraceState;
  readonly #deps: TraceLoaderDeps;
  readonly #listeners = new Set<() => void>();
  #loading: Promise<void> | undefined;

  constructor(deps: TraceLoaderDeps) {
    this.#deps = deps;
    this.#state = { orderId: deps.orderId, isLoading: false };
  }

  get state(): TraceState {
    return this.#state;
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads the trace (again); a call while one is under way joins it. */
  load(): Promise<void> {
    this.#loading ??= this.#load().finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load(): Promise<void> {
    const sleep = this.#deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.#set({ isLoading: true, problem: undefined });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const trace = await this.#deps.api.orderTrace(this.#deps.orderId, this.#deps.customerId);
        this.#set({ isLoading: false, trace, problem: undefined });
        return;
      } catch (error) {
        const isOnItsWay = error instanceof ShopApiError && error.code === 'trace_not_found';
        if (!isOnItsWay || attempt >= waitForTrace.tries) {
          this.#set({ isLoading: false, problem: problemOf(error) });
          return;
        }
        this.#set({ problem: 'Waiting for the trace to reach the tracing backend…' });
        await sleep(waitForTrace.everyMs);
      }
    }
  }

  #set(change: Partial<TraceState>): void {
    this.#state = { ...this.#state, ...change };
    for (const listener of this.#listeners) listener();
  }
}

function problemOf(error: unknown): string {
  if (!(error instanceof ShopApiError)) return 'The shop could not be reached. Please try again.';
  if (error.code === 'tracing_off')
    return 'Tracing is off in this shop: start it with OBSERVABILITY=1 to see what happens behind the scenes.';
  if (error.code === 'trace_not_found') return 'No trace of this order has reached the tracing backend. Please try again in a moment.';
  if (error.status === 404) return 'This order is not one of yours, or it does not exist.';
  return error.status < 500 ? error.message : 'The trace could not be read just now. Please try again.';
}
