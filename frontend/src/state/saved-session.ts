import { isCustomerId } from '@sweetgiggles/contracts/rules';
import { newId } from './ids.ts';
import type { CartLine } from './cart.ts';

const keys = {
  customerId: 'sweetgiggles.customerId',
  orderIds: 'sweetgiggles.orderIds',
  lastEventId: 'sweetgiggles.lastEventId',
  cart: 'sweetgiggles.cart',
};

/**
 * What the storefront remembers in the browser, so a reload shows the same customer, orders and
 * cart, and resumes notifications where it left off. Storage that fails (private modes, quotas)
 * only makes the shop forgetful, never broken.
 */
export class SavedSession {
  readonly #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** This browser's customer id, created on the first visit. */
  customerId(): string {
    const saved = this.#read(keys.customerId);
    if (saved && isCustomerId(saved)) return saved;
    const id = newId();
    this.#write(keys.customerId, id);
    return id;
  }

  orderIds(): string[] {
    const ids = this.#json(keys.orderIds);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }

  addOrderId(orderId: string): void {
    const ids = this.orderIds();
    if (!ids.includes(orderId)) this.#write(keys.orderIds, JSON.stringify([orderId, ...ids].slice(0, 50)));
  }

  lastEventId(): string | undefined {
    return this.#read(keys.lastEventId) ?? undefined;
  }

  setLastEventId(id: string): void {
    this.#write(keys.lastEventId, id);
  }

  cart(): CartLine[] {
    const lines = this.#json(keys.cart);
    if (!Array.isArray(lines)) return [];
    return lines.filter((line): line is CartLine => typeof line?.sku === 'string' && Number.isInteger(line?.quantity) && line.quantity > 0);
  }

  setCart(lines: readonly CartLine[]): void {
    this.#write(keys.cart, JSON.stringify(lines));
  }

  #json(key: string): unknown {
    try {
      return JSON.parse(this.#read(key) ?? 'null');
    } catch {
      return null;
    }
  }

  #read(key: string): string | null {
    try {
      return this.#storage.getItem(key);
    } catch {
      return null;
    }
  }

  #write(key: string, value: string): void {
    try {
      this.#storage.setItem(key, value);
    } catch {
      // Nothing to do: the shop works on, it will only forget this after a reload.
    }
  }
}
