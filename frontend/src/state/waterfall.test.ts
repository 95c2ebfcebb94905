import { describe, expect, it } from 'vitest';
import type { OrderTrace, TraceSpan } from '@sweetgiggles/contracts';
import { formatDuration, isPubsubHop, lanesOf, timeTicks, waterfallRows } from './waterfall.ts';

let next = 0;
function span(name: string, startUs: number, durationUs: number, more: Partial<TraceSpan> = {}): TraceSpan {
  next += 1;
  return {
    spanId: next.toString(16).padStart(16, '0'),
    service: 'order',
    origin: 'app',
    name,
    startUs,
    durationUs,
    isError: false,
    ...more,
  };
}

function traceOf(spans: TraceSpan[], durationUs = 1_000): OrderTrace {
  return { orderId: 'o', traceId: 'a'.repeat(32), startedAt: '2026-11-29T20:00:00.000Z', durationUs, spans, isTruncated: false };
}

describe('waterfall rows', () => {
  const post = span('POST /api/orders', 0, 1_000, { service: 'notifier' });
  const publish = span('publish OrderCreated', 100, 200, { parentId: post.spanId });
  const hop = span('pubsub/orders', 400, 300, { parentId: publish.spanId, service: 'payment', origin: 'sidecar', topic: 'orders' });
  const consume = span('consume OrderCreated', 450, 200, { parentId: hop.spanId, service: 'payment' });
  const read = span('state get orderstore', 50, 40, { parentId: post.spanId });

  it('lists each span after its parent, children by start, one level deeper each', () => {
    // Given out of order, as Jaeger may.
    const rows = waterfallRows(traceOf([consume, hop, publish, read, post]));
    expect(rows.map((row) => [row.span.name, row.depth])).toEqual([
      ['POST /api/orders', 0],
      ['state get orderstore', 1],
      ['publish OrderCreated', 1],
      ['pubsub/orders', 2],
      ['consume OrderCreated', 3],
    ]);
  });

  it('places each bar by its offset and width on the trace’s time axis, in percent', () => {
    const rows = waterfallRows(traceOf([post, publish, hop]));
    expect(rows.map((row) => [row.offset, row.width])).toEqual([
      [0, 100],
      [10, 20],
      [40, 30],
    ]);
  });

  it('stretches the axis to a span that ends after the trace’s stated duration', () => {
    const late = span('late', 1_500, 500);
    const rows = waterfallRows(traceOf([post, late], 1_000));
    expect(rows.find((row) => row.span === late)).toMatchObject({ offset: 75, width: 25 });
  });

  it('marks a sidecar’s delivery from a topic as a pub/sub hop, and nothing else', () => {
    const rows = waterfallRows(traceOf([post, publish, hop, consume]));
    expect(rows.filter((row) => row.isHop).map((row) => row.span.name)).toEqual(['pubsub/orders']);
    expect(isPubsubHop({ ...hop, origin: 'app' })).toBe(false);
    expect(isPubsubHop({ ...hop, topic: undefined })).toBe(false);
  });

  it('makes a span whose parent is missing a root, and shows every span once even when parents go round in a circle', () => {
    const orphan = span('orphan', 200, 10, { parentId: 'f'.repeat(16) });
    const a = span('a', 300, 10);
    const b = span('b', 310, 10, { parentId: a.spanId });
    const circular = [
      { ...a, parentId: b.spanId },
      { ...b, parentId: a.spanId },
    ];
    const rows = waterfallRows(traceOf([orphan, ...circular, span('self', 5, 1, { spanId: 'e'.repeat(16), parentId: 'e'.repeat(16) })]));
    expect(rows.map((row) => row.span.name).sort()).toEqual(['a', 'b', 'orphan', 'self']);
    expect(rows.find((row) => row.span.name === 'orphan')?.depth).toBe(0);
  });

  it('handles an empty trace and spans of no duration', () => {
    expect(waterfallRows(traceOf([], 0))).toEqual([]);
    expect(waterfallRows(traceOf([span('instant', 0, 0)], 0))[0]).toMatchObject({ offset: 0, width: 0 });
  });
});

describe('lanes', () => {
  it('names each service and its sidecar apart, in order of first appearance, with their span counts', () => {
    const trace = traceOf([
      span('POST', 0, 10, { service: 'notifier' }),
      span('invoke', 1, 5, { service: 'notifier', origin: 'sidecar' }),
      span('pubsub/orders', 2, 5, { service: 'payment', origin: 'sidecar', topic: 'orders' }),
      span('send', 3, 5, { service: 'notifier' }),
    ]);
    expect(lanesOf(trace).map(({ lane, spans }) => [lane, spans])).toEqual([
      ['notifier', 2],
      ['notifier · sidecar', 1],
      ['payment · sidecar', 1],
    ]);
  });
});

describe('time on the axis', () => {
  it('reads durations in the unit that suits them', () => {
    expect(formatDuration(840)).toBe('840 µs');
    expect(formatDuration(1_234)).toBe('1.23 ms');
    expect(formatDuration(12_400)).toBe('12.4 ms');
    expect(formatDuration(412_140)).toBe('412 ms');
    expect(formatDuration(1_250_000)).toBe('1.25 s');
  });

  it('puts ticks at round steps from zero to the end', () => {
    expect(timeTicks(100_000)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000].map((us) => ({ us, at: us / 1_000 })));
    expect(timeTicks(73_000).map((tick) => tick.us)).toEqual([0, 20_000, 40_000, 60_000]);
    expect(timeTicks(0)).toEqual([{ us: 0, at: 0 }]);
  });
});
