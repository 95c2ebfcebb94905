import { css } from 'lit';

/**
 * What every element shares: readable text, visible keyboard focus, and buttons. Colours pass WCAG
 * AA contrast on the light background (the accent #a4134d on white is 7.3:1).
 */
export const theme = css`
  :host {
    --ink: #1f1a24;
    --muted: #5a5163;
    --paper: #ffffff;
    --cream: #fff7fb;
    --line: #e8dbe3;
    --accent: #a4134d;
    --accent-ink: #ffffff;
    --good: #146c43;
    --bad: #a61b1b;
    --radius: 14px;
    color: var(--ink);
    font:
      16px/1.45 system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      sans-serif;
  }
  *:focus-visible {
    outline: 3px solid #1d4ed8;
    outline-offset: 2px;
  }
  button {
    font: inherit;
    min-height: 44px;
    min-width: 44px;
    border-radius: 10px;
    border: 2px solid var(--accent);
    background: var(--paper);
    color: var(--accent);
    cursor: pointer;
    padding: 0.35rem 0.9rem;
  }
  button.primary {
    background: var(--accent);
    color: var(--accent-ink);
  }
  button[disabled] {
    border-color: #b9b0bf;
    background: #eee8ef;
    color: #5f5766;
    cursor: not-allowed;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** A whole page (the storefront, the trace page): its background and its header bar. */
export const page = css`
  :host {
    display: block;
    min-height: 100vh;
    background: var(--cream);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 1rem;
    padding: 0.75rem clamp(0.75rem, 3vw, 2rem);
    background: var(--paper);
    border-bottom: 1px solid var(--line);
  }
`;

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A time as the customer reads it, in their locale. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : timeFormat.format(date);
}
