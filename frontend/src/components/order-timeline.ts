import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { TimelineStep } from '../state/orders.ts';
import { describeStep } from '../state/saga-words.ts';
import { formatTime, theme } from './theme.ts';

const goodSteps = new Set(['PaymentAccepted', 'DeliveryCompleted', 'OrderCompleted', 'PaymentRefunded']);
const badSteps = new Set(['PaymentDeclined', 'OrderCancelled', 'DeliveryAborted', 'WorkerDeclinedJob', 'DeliveryCancellationRefused']);

/**
 * An order's story so far: every step of the saga in the customer's words, with its time, oldest first.
 */
@customElement('order-timeline')
export class OrderTimeline extends LitElement {
  static override styles = [
    theme,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0 0 0 1rem;
        border-left: 3px solid var(--line);
      }
      li {
        position: relative;
        padding: 0 0 0.7rem 0.4rem;
      }
      li::before {
        content: '';
        position: absolute;
        left: -1.45rem;
        top: 0.35rem;
        width: 0.8rem;
        height: 0.8rem;
        border-radius: 50%;
        background: var(--accent);
        border: 2px solid var(--paper);
      }
      li.good::before {
        background: var(--good);
      }
      li.bad::before {
        background: var(--bad);
      }
      .title {
        font-weight: 600;
      }
      time {
        color: var(--muted);
        font-size: 0.85rem;
        margin-left: 0.4rem;
      }
      .detail {
        margin: 0;
        color: var(--muted);
        font-size: 0.92rem;
      }
    `,
  ];

  /** The steps so far, oldest first. */
  @property({ attribute: false }) steps: TimelineStep[] = [];
  /** What the list is called for assistive technology, e.g. "Progress of order 1a2b3c4d". */
  @property() label = 'Order progress';

  override render() {
    return html`<ol aria-label=${this.label}>
      ${this.steps.map((step) => {
        const words = describeStep(step.name, step.data);
        const tone = goodSteps.has(step.name) ? 'good' : badSteps.has(step.name) ? 'bad' : '';
        return html`<li class=${tone} data-step=${step.name}>
          <span class="title">${words.title}</span><time datetime=${step.time}>${formatTime(step.time)}</time>
          <p class="detail">${words.detail}</p>
        </li>`;
      })}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'order-timeline': OrderTimeline;
  }
}
