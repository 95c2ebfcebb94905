import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Product } from '@sweetgiggles/contracts';
import { maxQuantityPerLine } from '@sweetgiggles/contracts/rules';
import { cartTotal, type CartLine } from '../state/cart.ts';
import { formatPrice } from '../state/saga-words.ts';
import { shopEvent } from './shop-events.ts';
import { theme } from './theme.ts';

/**
 * The cart: each candy with its quantity (buttons and a number field), the total, and checkout.
 *
 * @fires quantity-change - `{ sku, quantity }` when the customer changes a quantity (0 removes the line).
 * @fires remove-from-cart - `{ sku }` when the customer removes a line.
 * @fires checkout - when the customer buys the cart.
 */
@customElement('shopping-cart')
export class ShoppingCart extends LitElement {
  static override styles = [
    theme,
    css`
      ul {
        list-style: none;
        margin: 0 0 1rem;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0.3rem 0.5rem;
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--line);
      }
      .name {
        font-weight: 600;
      }
      .line-total {
        text-align: right;
      }
      .controls {
        grid-column: 1 / -1;
        display: flex;
        gap: 0.35rem;
        align-items: center;
      }
      input {
        font: inherit;
        width: 3.5rem;
        min-height: 40px;
        text-align: center;
        border: 2px solid var(--line);
        border-radius: 8px;
      }
      .remove {
        margin-left: auto;
        border-color: transparent;
        text-decoration: underline;
      }
      .total {
        display: flex;
        justify-content: space-between;
        font-size: 1.15rem;
        font-weight: 700;
        margin-bottom: 0.75rem;
      }
      .checkout {
        width: 100%;
      }
      [role='alert'] {
        color: var(--bad);
      }
      .empty {
        color: var(--muted);
      }
    `,
  ];

  /** What is in the cart. */
  @property({ attribute: false }) lines: CartLine[] = [];
  /** The catalog, for names and prices. */
  @property({ attribute: false }) products: Product[] = [];
  /** True while an order is being placed: checkout is disabled meanwhile. */
  @property({ type: Boolean }) busy = false;
  /** Why the last checkout failed, if it did. */
  @property() problem: string | undefined;

  override render() {
    const total = cartTotal(this.lines, this.products);
    return html`
      ${
        this.lines.length === 0
          ? html`<p class="empty">Your cart is empty. Add some candy!</p>`
          : html`<ul>
              ${this.lines.map((line) => this.#renderLine(line))}
            </ul>`
      }
      <p class="total"><span>Total</span><span data-testid="cart-total">${formatPrice(total)}</span></p>
      ${this.problem ? html`<p role="alert">${this.problem}</p>` : ''}
      <button class="primary checkout" ?disabled=${this.busy || this.lines.length === 0} @click=${this.#checkout}>
        ${this.busy ? 'Placing your order…' : 'Buy now'}
      </button>
    `;
  }

  #renderLine(line: CartLine) {
    const product = this.products.find((candidate) => candidate.sku === line.sku);
    const name = product?.name ?? line.sku;
    const inputId = `quantity-${line.sku}`;
    return html`<li>
      <span class="name">${name}</span>
      <span class="line-total">${formatPrice((product?.priceCents ?? 0) * line.quantity)}</span>
      <div class="controls">
        <button aria-label="One less ${name}" @click=${() => this.#change(line.sku, line.quantity - 1)}>−</button>
        <label class="visually-hidden" for=${inputId}>Quantity of ${name}</label>
        <input
          id=${inputId}
          type="number"
          inputmode="numeric"
          min="1"
          max=${maxQuantityPerLine}
          .value=${String(line.quantity)}
          @change=${(event: Event) => this.#change(line.sku, Number((event.target as HTMLInputElement).value))}
        />
        <button
          aria-label="One more ${name}"
          ?disabled=${line.quantity >= maxQuantityPerLine}
          @click=${() => this.#change(line.sku, line.quantity + 1)}
        >
          +
        </button>
        <button
          class="remove"
          aria-label="Remove ${name} from cart"
          @click=${() => this.dispatchEvent(shopEvent('remove-from-cart', { sku: line.sku }))}
        >
          Remove
        </button>
      </div>
    </li>`;
  }

  #change(sku: string, quantity: number): void {
    this.dispatchEvent(shopEvent('quantity-change', { sku, quantity: Number.isFinite(quantity) ? quantity : 0 }));
  }

  #checkout(): void {
    if (!this.busy && this.lines.length > 0) this.dispatchEvent(shopEvent('checkout', {}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'shopping-cart': ShoppingCart;
  }
}
