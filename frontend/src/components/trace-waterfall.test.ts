import { html } from 'lit';
import { expect, test } from 'vitest';
import { page } from 'vitest/browser';
import type { OrderTrace, TraceSpan } from '@sweetgiggles/contracts';
import { mount, textOf } from '../testing/mount.ts';
import type { TracePage } from './trace-page.ts';
import './trace-page.ts';
import './trace-waterfall.ts';

const span = (spanId: string, name: string, startUs: number, durationUs: number, more: Partial<TraceSpan> = {}): TraceSpan => ({
  spanId: spanId.padStart(16, '0'),
  service: 'order',
  origin: 'app',
  name,
  startUs,
  durationUs,
  isError: false,
  ...more,
});

const trace: OrderTrace = {
  orderId: '6f1c2a8e-8c1b-4c3e-9a7d-0b5e4f3a2c1d',
  traceId: 'a'.repeat(32),
  startedAt: '2026-11-29T20:00:00.000Z',
  durationUs: 10_000,
  isTruncated: false,
  spans: [
    span('1', 'POST /api/orders', 0, 10_000, { service: 'notifier' }),
    span('2', 'publish OrderCreated', 1_000, 2_000, { parentId: '1'.padStart(16, '0') }),
    span('3', 'pubsub/orders', 4_000, 3_000, { parentId: '2'.padStart(16, '0'), service: 'payment', origin: 'sidecar', topic: 'orders' }),
    span('4', 'consume OrderCreated', 5_000, 1_000, { parentId: '3'.padStart(16, '0'), service: 'payment' }),
  ],
};

test('draws one row per span, by service and sidecar, with bars placed on a shared time axis', async () => {
  const waterfall = await mount<HTMLElement>(html`<trace-waterfall .trace=${trace}></trace-waterfall>`);
  const rows = page.getByRole('list', { name: 'Spans of the trace, in call order' }).getByRole('listitem').elements();
  expect(rows.map((row) => `${row.getAttribute('data-service')}/${row.getAttribute('data-origin')}`)).toEqual([
    'notifier/app',
    'order/app',
    'payment/sidecar',
    'payment/app',
  ]);
  await expect.element(page.getByRole('img', { name: 'payment · sidecar pubsub/orders: starts at 4.00 ms, takes 3.00 ms' })).toBeVisible();
  // The bars' geometry is the spans' times: the hop starts 40% in and spans 30% of the axis.
  const track = rows[2]!.querySelector<HTMLElement>('.track')!.getBoundingClientRect();
  const bar = rows[2]!.querySelector<HTMLElement>('.bar')!.getBoundingClientRect();
  expect((bar.left - track.left) / track.width).toBeCloseTo(0.4, 2);
  expect(bar.width / track.width).toBeCloseTo(0.3, 2);
  expect(rows.filter((row) => row.hasAttribute('data-hop')).map((row) => row.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
    'payment · sidecar hop orders pubsub/orders 3.00 ms',
  ]);
  const ticks = [...(waterfall.shadowRoot?.querySelectorAll('.tick') ?? [])].map((tick) => tick.textContent);
  expect(ticks).toEqual(['0 µs', '2.00 ms', '4.00 ms', '6.00 ms', '8.00 ms', '10.0 ms']);
});

test('the page sums the trace up, says what it is waiting for, and asks to read it again', async () => {
  const element = await mount<TracePage>(html`<trace-page .state=${{ orderId: trace.orderId, isLoading: false, trace }}></trace-page>`);
  await expect.element(page.getByRole('heading', { name: 'Behind the scenes of order 6f1c2a8e' })).toBeVisible();
  await expect.element(page.getByText('1 pub/sub hops')).toBeVisible();
  expect(textOf(page.getByRole('list', { name: 'Who made the spans' }))).toBe('notifier (1) order (1) payment · sidecar (1) payment (1)');
  const refreshes: unknown[] = [];
  element.addEventListener('refresh-trace', (event) => refreshes.push(event.detail));
  await page.getByRole('button', { name: 'Read again' }).click();
  expect(refreshes).toEqual([{}]);

  element.state = { orderId: trace.orderId, isLoading: false, problem: 'Waiting for the trace to reach the tracing backend…' };
  await expect.element(page.getByRole('status')).toHaveTextContent('Waiting for the trace to reach the tracing backend…');
});
