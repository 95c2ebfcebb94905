import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { FeedItem } from '../state/shop-store.ts';
import { formatTime, theme } from './theme.ts';

/**
 * The latest notifications, newest first. It is a live region: screen readers announce each new
 * notification as it arrives, without moving the focus.
 */
@customElement('notification-feed')
export class NotificationFeed extends LitElement {
  static override styles = [
    theme,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 0.5rem 0;
        border-bottom: 1px solid var(--line);
      }
      .title {
        font-weight: 600;
      }
      .meta {
        color: var(--muted);
        font-size: 0.85rem;
      }
      p {
        margin: 0;
      }
    `,
  ];

  /** The notifications to show, newest first. */
  @property({ attribute: false }) items: FeedItem[] = [];

  override render() {
    return html`
      ${this.items.length === 0 ? html`<p class="meta">News about your orders will appear here.</p>` : ''}
      <ol role="log" aria-live="polite" aria-label="Notifications">
        ${this.items.map(
          (item) =>
            html`<li>
              <p>
                <span class="title">${item.title}</span>
                <span class="meta">order ${item.orderId.slice(0, 8)} · <time datetime=${item.time}>${formatTime(item.time)}</time></span>
              </p>
              <p>${item.detail}</p>
            </li>`,
        )}
      </ol>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'notification-feed': NotificationFeed;
  }
}
