import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { TraceState } from '../state/trace-loader.ts';
import { formatDuration, isPubsubHop, lanesOf } from '../state/waterfall.ts';
import { shopEvent } from './shop-events.ts';
import { page, theme } from './theme.ts';
import './trace-waterfall.ts';

const serviceColors: Record<string, string> = { notifier: '#7c3aed', order: '#a4134d', payment: '#0f766e', delivery: '#b45309' };

/**
 * "Behind the scenes" of one order: the trace of its placement and saga, read from the tracing
 * backend, as a waterfall of every service's and sidecar's spans, with a summary and a legend.
 *
 * @fires refresh-trace - `{}` when the customer asks to read the trace again (spans arrive late).
 */
@customElement('trace-page')
export class TracePage extends LitElement {
  static override styles = [
    theme,
    page,
    css`
      h1 {
        margin: 0;
        font-size: 1.4rem;
        color: var(--accent);
      }
      a {
        color: var(--accent);
        font-weight: 600;
      }
      main {
        padding: 1rem clamp(0.75rem, 3vw, 2rem) 3rem;
      }
      .panel {
        background: var(--paper);
        border: 1px solid var(--line);
        border-radius: var(--radius);
        padding: 0.9rem;
      }
      .summary {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.5rem;
        margin: 0 0 0.6rem;
      }
      .summary strong {
        font-variant-numeric: tabular-nums;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 1rem;
        margin: 0 0 0.8rem;
        padding: 0;
        list-style: none;
        font-size: 0.85rem;
        color: var(--muted);
      }
      .swatch {
        display: inline-block;
        width: 0.9rem;
        height: 0.7rem;
        border-radius: 2px;
        margin-right: 0.3rem;
        background: var(--lane);
        vertical-align: baseline;
      }
      .swatch.sidecar {
        background: repeating-linear-gradient(135deg, var(--lane) 0 3px, color-mix(in srgb, var(--lane) 55%, white) 3px 6px);
      }
      .muted {
        color: var(--muted);
      }
      [role='status'] {
        margin: 0 0 0.8rem;
      }
    `,
  ];

  /** What to show: the loader's state. */
  @property({ attribute: false }) state: TraceState | undefined;

  override render() {
    const state = this.state;
    const shortId = state?.orderId.slice(0, 8) ?? '';
    return html`
      <header>
        <h1>Behind the scenes of order ${shortId}</h1>
        <a href="./">Back to the shop</a>
      </header>
      <main>
        <section class="panel" aria-labelledby="trace-title">
          <h2 id="trace-title" class="visually-hidden">The order's trace</h2>
          <p role="status">${state?.isLoading ? 'Reading the trace…' : (state?.problem ?? '')}</p>
          ${state?.trace ? this.#summary(state) : ''}
          <button ?disabled=${state?.isLoading ?? true} @click=${this.#refresh}>Read again</button>
          <trace-waterfall .trace=${state?.trace}></trace-waterfall>
        </section>
      </main>
    `;
  }

  #summary(state: TraceState) {
    const trace = state.trace!;
    const hops = trace.spans.filter(isPubsubHop).length;
    const services = new Set(trace.spans.map((span) => span.service));
    return html`
      <p class="summary">
        <span>From the first request to the last step: <strong>${formatDuration(trace.durationUs)}</strong></span>
        <span><strong>${trace.spans.length}</strong> spans${trace.isTruncated ? ' (the first ones only)' : ''}</span>
        <span><strong>${services.size}</strong> services</span>
        <span><strong>${hops}</strong> pub/sub hops</span>
        <span class="muted">trace ${trace.traceId}</span>
      </p>
      <ul class="legend" aria-label="Who made the spans">
        ${lanesOf(trace).map(
          ({ lane, service, origin, spans }) =>
            html`<li style=${styleMap({ '--lane': serviceColors[service] ?? '#475569' })}>
              <span class="swatch ${origin}"></span>${lane} (${spans})
            </li>`,
        )}
      </ul>
    `;
  }

  #refresh(): void {
    this.dispatchEvent(shopEvent('refresh-trace', {}));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'trace-page': TracePage;
  }
}
