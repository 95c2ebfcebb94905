import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ShopState, ShopStore } from './shop-store.ts';

/** Re-renders a Lit element whenever the store changes, while the element is in the page. */
export class StoreController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #store: ShopStore | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get state(): ShopState | undefined {
    return this.#store?.state;
  }

  /** Follows another store (or none). */
  set store(store: ShopStore | undefined) {
    if (store === this.#store) return;
    this.#unsubscribe?.();
    this.#store = store;
    this.#unsubscribe = store?.subscribe(() => this.#host.requestUpdate());
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    if (this.#store && !this.#unsubscribe) this.#unsubscribe = this.#store.subscribe(() => this.#host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
