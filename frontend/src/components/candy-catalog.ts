import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Product } from '@sweetgiggles/contracts';
import { candyArt } from '../art/candy-art.ts';
import { formatPrice } from '../state/saga-words.ts';
import { shopEvent } from './shop-events.ts';
import { theme } from './theme.ts';

/**
 * The shelf: every candy with its picture, description and price, and a button to add it to the cart.
 *
 * @fires add-to-cart - `{ sku }` when the customer adds one of a candy.
 */
@customElement('candy-catalog')
export class CandyCatalog extends LitElement {
  static override styles = [
    theme,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(165px, 1fr));
        gap: 1rem;
      }
      li {
        background: var(--paper);
        border: 1px solid var(--line);
        border-radius: var(--radius);
        padding: 0.75rem;
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
      }
      .art {
        aspect-ratio: 1;
        background: var(--cream);
        border-radius: 10px;
        padding: 0.5rem;
      }
      h3 {
        margin: 0.25rem 0 0;
        font-size: 1.05rem;
      }
      p {
        margin: 0;
        color: var(--muted);
        font-size: 0.92rem;
        flex: 1;
      }
      .buy {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
      }
      .price {
        font-weight: 700;
      }
      [role='alert'] {
        color: var(--bad);
      }
    `,
  ];

  /** The products to show, in catalog order. */
  @property({ attribute: false }) products: Product[] = [];
  /** True while the catalog is being fetched. */
  @property({ type: Boolean }) loading = false;
  /** Why the catalog could not be shown, if it could not. */
  @property() problem: string | undefined;
  /** How many of each SKU are in the cart, to show beside its button. */
  @property({ attribute: false }) inCart: ReadonlyMap<string, number> = new Map();

  override render() {
    if (this.problem) return html`<p role="alert">${this.problem}</p>`;
    if (this.loading) return html`<p>Filling the shelves…</p>`;
    return html`<ul>
      ${this.products.map(
        (product) =>
          html`<li>
            <div class="art">${candyArt(product.sku, product.color)}</div>
            <h3>${product.name}</h3>
            <p>${product.description}</p>
            <div class="buy">
              <span class="price">${formatPrice(product.priceCents)}</span>
              <button class="primary" aria-label="Add ${product.name} to cart" @click=${() => this.#add(product.sku)}>
                Add${this.inCart.get(product.sku) ? html` <span aria-hidden="true">(${this.inCart.get(product.sku)})</span>` : ''}
              </button>
            </div>
          </li>`,
      )}
    </ul>`;
  }

  #add(sku: string): void {
    this.dispatchEvent(shopEvent('add-to-cart', { sku }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'candy-catalog': CandyCatalog;
  }
}
