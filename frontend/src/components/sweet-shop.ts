import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { cartCount, cartTotal } from '../state/cart.ts';
import { formatPrice } from '../state/saga-words.ts';
import { StoreController } from '../state/store-controller.ts';
import type { ShopStore } from '../state/shop-store.ts';
import { page, theme } from './theme.ts';
import './candy-catalog.ts';
import './connection-status.ts';
import './notification-feed.ts';
import './order-card.ts';
import './shopping-cart.ts';

/**
 * The storefront: the shelf, the cart, the customer's orders with their live timelines, and the
 * notifications. It renders the store's state and turns its children's events into store actions.
 */
@customElement('sweet-shop')
export class SweetShop extends LitElement {
  static override styles = [
    theme,
    page,
    css`
      header {
        position: sticky;
        top: 0;
        z-index: 1;
      }
      h1 {
        margin: 0;
        font-size: 1.5rem;
        color: var(--accent);
      }
      .cart-link {
        color: var(--accent);
        font-weight: 600;
        min-height: 44px;
        display: inline-flex;
        align-items: center;
      }
      main {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(300px, 400px);
        gap: 1.5rem;
        padding: 1rem clamp(0.75rem, 3vw, 2rem) 3rem;
        max-width: 1400px;
        margin: 0 auto;
      }
      aside {
        display: flex;
        flex-direction: column;
        gap: 1.5rem;
        position: sticky;
        top: 5rem;
        align-self: start;
        max-height: calc(100vh - 6rem);
        overflow-y: auto;
      }
      section.panel {
        background: var(--paper);
        border: 1px solid var(--line);
        border-radius: var(--radius);
        padding: 1rem;
      }
      h2 {
        margin: 0 0 0.75rem;
        font-size: 1.25rem;
      }
      .orders {
        display: flex;
        flex-direction: column;
        gap: 0.9rem;
      }
      .muted {
        color: var(--muted);
      }
      @media (max-width: 800px) {
        main {
          grid-template-columns: 1fr;
        }
        aside {
          position: static;
          max-height: none;
        }
      }
    `,
  ];

  /** The store whose state this storefront shows. */
  @property({ attribute: false })
  set store(store: ShopStore | undefined) {
    this.#controller.store = store;
    this.#store = store;
  }
  get store(): ShopStore | undefined {
    return this.#store;
  }

  readonly #controller = new StoreController(this);
  #store: ShopStore | undefined;
  /** What screen readers hear after a cart change (the cart itself may be off screen). */
  @state() private cartNews = '';

  override render() {
    const state = this.#controller.state;
    if (!state) return html``;
    const count = cartCount(state.cart);
    const inCart = new Map(state.cart.map((line) => [line.sku, line.quantity]));
    return html`
      <header>
        <h1>SweetGiggles</h1>
        <connection-status .state=${state.connection}></connection-status>
        <a class="cart-link" href="#cart" @click=${this.#focusCart}
          >Cart: ${count} ${count === 1 ? 'candy' : 'candies'}, ${formatPrice(cartTotal(state.cart, state.products))}</a
        >
      </header>
      <main
        @add-to-cart=${(event: HTMLElementEventMap['add-to-cart']) => this.#addToCart(event.detail.sku)}
        @quantity-change=${(event: HTMLElementEventMap['quantity-change']) => this.#store?.setQuantity(event.detail.sku, event.detail.quantity)}
        @remove-from-cart=${(event: HTMLElementEventMap['remove-from-cart']) => this.#store?.removeFromCart(event.detail.sku)}
        @checkout=${() => void this.#store?.checkout()}
        @cancel-order=${(event: HTMLElementEventMap['cancel-order']) => void this.#store?.cancelOrder(event.detail.orderId)}
      >
        <section aria-labelledby="shelf-title">
          <h2 id="shelf-title">Our candy</h2>
          <candy-catalog
            .products=${state.products}
            .inCart=${inCart}
            ?loading=${state.isCatalogLoading}
            .problem=${state.catalogProblem}
          ></candy-catalog>
        </section>
        <aside>
          <section class="panel" id="cart" aria-labelledby="cart-title" tabindex="-1">
            <h2 id="cart-title">Your cart</h2>
            <shopping-cart
              .lines=${state.cart}
              .products=${state.products}
              ?busy=${state.isPlacingOrder}
              .problem=${state.checkoutProblem}
            ></shopping-cart>
          </section>
          <section class="panel" aria-labelledby="orders-title">
            <h2 id="orders-title">Your orders</h2>
            ${
              state.orders.length === 0
                ? html`<p class="muted">Orders you place appear here, with every step as it happens.</p>`
                : html`<div class="orders">
                    ${state.orders.map((order) => html`<order-card .order=${order} ?traceable=${state.isTracing}></order-card>`)}
                  </div>`
            }
          </section>
          <section class="panel" aria-labelledby="feed-title">
            <h2 id="feed-title">Notifications</h2>
            <notification-feed .items=${state.feed}></notification-feed>
          </section>
        </aside>
      </main>
      <div class="visually-hidden" aria-live="polite">${this.cartNews}</div>
    `;
  }

  #addToCart(sku: string): void {
    const store = this.#store;
    if (!store) return;
    store.addToCart(sku);
    const name = store.state.products.find((product) => product.sku === sku)?.name ?? sku;
    const quantity = store.state.cart.find((line) => line.sku === sku)?.quantity ?? 0;
    this.cartNews = `${name} added: ${quantity} in your cart.`;
  }

  #focusCart(event: Event): void {
    event.preventDefault();
    const cart = this.renderRoot.querySelector<HTMLElement>('#cart');
    cart?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    cart?.focus({ preventScroll: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sweet-shop': SweetShop;
  }
}
