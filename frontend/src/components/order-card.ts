import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { OrderState } from '../state/orders.ts';
import { describeStep, formatPrice, statusLabels } from '../state/saga-words.ts';
import { shopEvent } from './shop-events.ts';
import { formatTime, theme } from './theme.ts';
import './order-timeline.ts';

/**
 * One of the customer's orders: its status, what was bought, its live timeline, a cancel button for
 * as long as the order can still be cancelled, and a notice while the order is held up (a step the
 * shop could not handle waits for its team).
 *
 * @fires cancel-order - `{ orderId }` when the customer asks to cancel the order.
 */
@customElement('order-card')
export class OrderCard extends LitElement {
  static override styles = [
    theme,
    css`
      article {
        background: var(--paper);
        border: 1px solid var(--line);
        border-radius: var(--radius);
        padding: 0.9rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: baseline;
        justify-content: space-between;
      }
      h3 {
        margin: 0;
        font-size: 1.05rem;
      }
      .status {
        font-weight: 700;
        border-radius: 999px;
        padding: 0.1rem 0.7rem;
        background: #f3e8ff;
        color: #4c1d95;
      }
      .status.completed {
        background: #dcfce7;
        color: #14532d;
      }
      .status.cancelled {
        background: #fee2e2;
        color: #7f1d1d;
      }
      .summary {
        color: var(--muted);
        margin: 0.3rem 0 0.8rem;
      }
      [role='alert'] {
        color: var(--bad);
      }
      .behind {
        display: inline-flex;
        align-items: center;
        min-height: 44px;
        margin-right: 0.75rem;
        color: var(--accent);
        font-weight: 600;
      }
      .status.stuck {
        background: #fef3c7;
        color: #78350f;
      }
      .stuck-notice {
        background: #fffbeb;
        border-left: 4px solid #d97706;
        padding: 0.5rem 0.7rem;
        margin: 0 0 0.8rem;
      }
    `,
  ];

  /** The order to show. */
  @property({ attribute: false }) order: OrderState | undefined;

  /** Whether the shop can show the order's trace: then a "Behind the scenes" link opens its waterfall. */
  @property({ type: Boolean }) traceable = false;

  override render() {
    const order = this.order;
    if (!order) return html``;
    const count = order.items.reduce((sum, item) => sum + item.quantity, 0);
    const what = order.items.map((item) => `${item.quantity} × ${item.name}`).join(', ');
    return html`<article aria-labelledby="title">
      <header>
        <h3 id="title">Order ${order.orderId.slice(0, 8)}</h3>
        <span>
          ${order.stuck ? html`<span class="status stuck" data-testid="order-stuck">Held up</span>` : ''}
          <span class="status ${order.status}" data-testid="order-status">${statusLabels[order.status]}</span>
        </span>
      </header>
      <p class="summary">
        Placed at ${formatTime(order.createdAt)} · ${count} ${count === 1 ? 'candy' : 'candies'} · ${formatPrice(order.totalCents)}
        ${what ? html`<br /><span>${what}</span>` : ''}
      </p>
      ${
        order.stuck
          ? html`<p class="stuck-notice" role="status">
              Held up since ${formatTime(order.stuck.since)}: the shop could not handle “${describeStep(order.stuck.event).title}”. Our team
              has been alerted and will set your order going again; nothing is lost.
            </p>`
          : ''
      }
      <order-timeline .steps=${order.steps} label="Progress of order ${order.orderId.slice(0, 8)}"></order-timeline>
      ${order.problem ? html`<p role="alert">${order.problem}</p>` : ''}
      ${this.traceable ? html`<a class="behind" href="trace.html?order=${encodeURIComponent(order.orderId)}">Behind the scenes</a>` : ''}
      ${
        order.cancellable
          ? html`<button ?disabled=${order.isCancelling} @click=${this.#cancel}>
              ${order.isCancelling ? 'Cancelling…' : 'Cancel order'}
            </button>`
          : ''
      }
    </article>`;
  }

  #cancel(): void {
    if (this.order && !this.order.isCancelling) this.dispatchEvent(shopEvent('cancel-order', { orderId: this.order.orderId }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'order-card': OrderCard;
  }
}
