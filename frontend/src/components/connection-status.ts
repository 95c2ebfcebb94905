import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConnectionState } from '../state/notification-socket.ts';
import { theme } from './theme.ts';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  online: 'Live updates on',
  reconnecting: 'Reconnecting… updates will catch up',
};

/** Whether live updates are flowing, in words and colour (the words alone are enough). */
@customElement('connection-status')
export class ConnectionStatus extends LitElement {
  static override styles = [
    theme,
    css`
      p {
        margin: 0;
        display: inline-flex;
        align-items: center;
        gap: 0.45rem;
        font-size: 0.92rem;
        background: var(--paper);
        border: 1px solid var(--line);
        border-radius: 999px;
        padding: 0.2rem 0.75rem;
      }
      .dot {
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        background: #b45309;
      }
      .online .dot {
        background: var(--good);
      }
    `,
  ];

  /** The notification socket's state. */
  @property({ reflect: true }) state: ConnectionState = 'connecting';

  override render() {
    return html`<p role="status" class=${this.state}><span class="dot" aria-hidden="true"></span>${labels[this.state]}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'connection-status': ConnectionStatus;
  }
}
