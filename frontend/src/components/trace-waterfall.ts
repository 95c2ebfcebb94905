import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { OrderTrace } from '@sweetgiggles/contracts';
import { formatDuration, laneOf, timeTicks, waterfallRows, type WaterfallRow } from '../state/waterfall.ts';
import { theme } from './theme.ts';

/** One colour per service (an app and its sidecar share it; the sidecar's bar is striped). */
const serviceColors: Record<string, string> = {
  notifier: '#7c3aed',
  order: '#a4134d',
  payment: '#0f766e',
  delivery: '#b45309',
};
const otherColor = '#475569';

/** How far each level of the call tree is indented, and the most it is: a saga's tree is deep. */
const indentRem = 0.45;
const maxIndentRem = 9;

/**
 * A trace as a waterfall: one row per span in call-tree order, labelled with the service and whether
 * its own code or its Dapr sidecar made it, and a bar at the span's offset and of its duration on a
 * time axis shared by every row. A sidecar delivering a message from the broker (a pub/sub hop) is
 * marked with its topic.
 */
@customElement('trace-waterfall')
export class TraceWaterfall extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        grid-template-columns: minmax(14rem, 26rem) minmax(12rem, 1fr) 5.5rem;
        column-gap: 0.75rem;
        align-items: center;
      }
      .axis {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--paper);
        border-bottom: 1px solid var(--line);
        padding: 0.3rem 0;
        font-size: 0.8rem;
        color: var(--muted);
      }
      .ticks {
        position: relative;
        height: 1.2rem;
      }
      .tick {
        position: absolute;
        transform: translateX(-50%);
        white-space: nowrap;
      }
      .tick:first-child {
        transform: none;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 0.12rem 0;
        border-bottom: 1px solid #f4edf1;
        font-size: 0.85rem;
      }
      li:hover {
        background: #fdf2f8;
      }
      .label {
        display: flex;
        gap: 0.4rem;
        align-items: baseline;
        overflow: hidden;
        white-space: nowrap;
      }
      .lane {
        flex: none;
        font-weight: 700;
        font-size: 0.75rem;
        color: var(--lane);
      }
      .name {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .track {
        position: relative;
        height: 0.9rem;
        /* A line at every tick of the axis: --tick-step is the ticks' spacing, in percent of the track. */
        background: linear-gradient(90deg, #eadde5 1px, transparent 1px) 0 0 / var(--tick-step, 20%) 100% repeat-x;
      }
      .bar {
        position: absolute;
        top: 0;
        bottom: 0;
        min-width: 2px;
        border-radius: 3px;
        background: var(--lane);
      }
      li[data-origin='sidecar'] .bar {
        background: repeating-linear-gradient(135deg, var(--lane) 0 4px, color-mix(in srgb, var(--lane) 55%, white) 4px 8px);
      }
      li[data-hop] .bar {
        outline: 2px solid var(--ink);
        outline-offset: 1px;
      }
      .hop {
        flex: none;
        font-size: 0.7rem;
        border-radius: 999px;
        padding: 0 0.4rem;
        background: var(--ink);
        color: var(--paper);
      }
      li.error .name {
        color: var(--bad);
      }
      .duration {
        text-align: right;
        font-variant-numeric: tabular-nums;
        color: var(--muted);
      }
    `,
  ];

  /** The trace to draw. */
  @property({ attribute: false }) trace: OrderTrace | undefined;

  override render() {
    if (!this.trace) return html``;
    const rows = waterfallRows(this.trace);
    const total = Math.max(this.trace.durationUs, ...rows.map((row) => row.span.startUs + row.span.durationUs));
    const ticks = timeTicks(total);
    const step = ticks[1]?.at ?? 100;
    return html`
      <div class="grid axis" aria-hidden="true">
        <span>Service · span</span>
        <div class="ticks">
          ${ticks.map((tick) => html`<span class="tick" style=${styleMap({ left: `${tick.at}%` })}>${formatDuration(tick.us)}</span>`)}
        </div>
        <span class="duration">duration</span>
      </div>
      <ol aria-label="Spans of the trace, in call order" style=${styleMap({ '--tick-step': `${step}%` })}>
        ${rows.map((row) => this.#row(row))}
      </ol>
    `;
  }

  #row({ span, depth, offset, width, isHop }: WaterfallRow) {
    const lane = laneOf(span);
    const color = serviceColors[span.service] ?? otherColor;
    const when = `starts at ${formatDuration(span.startUs)}, takes ${formatDuration(span.durationUs)}`;
    return html`<li
      class="grid ${span.isError ? 'error' : ''}"
      style=${styleMap({ '--lane': color })}
      data-service=${span.service}
      data-origin=${span.origin}
      data-duration-us=${span.durationUs}
      ?data-hop=${isHop}
    >
      <span
        class="label"
        style=${styleMap({ paddingLeft: `${Math.min(depth * indentRem, maxIndentRem)}rem` })}
        title="${lane}: ${span.name}"
      >
        <span class="lane">${lane}</span>
        ${isHop ? html`<span class="hop">hop ${span.topic}</span>` : ''}
        <span class="name">${span.name}</span>
      </span>
      <span class="track" role="img" aria-label="${lane} ${span.name}: ${when}">
        <span class="bar" style=${styleMap({ left: `${offset}%`, width: `${width}%` })}></span>
      </span>
      <span class="duration">${formatDuration(span.durationUs)}</span>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'trace-waterfall': TraceWaterfall;
  }
}
