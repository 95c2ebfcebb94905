import type { OrderTrace, TraceSpan } from '@sweetgiggles/contracts';

/** One row of the waterfall: a span, how deep it sits in the call tree, and where its bar goes. */
export interface WaterfallRow {
  span: TraceSpan;
  /** 0 for a root; a child is one deeper than its parent. */
  depth: number;
  /** Where the bar starts, in percent of the trace's duration. */
  offset: number;
  /** How long the bar is, in percent of the trace's duration. */
  width: number;
  /** Whether the span is a sidecar delivering a message from the broker to its app: one pub/sub hop. */
  isHop: boolean;
}

/**
 * The spans of a trace as waterfall rows, in call-tree order: each span followed by its children,
 * earliest first, as Jaeger's own timeline shows them. A span whose parent is not in the trace (it
 * has not arrived, or it is the caller's) is a root. Every span appears exactly once, even in a
 * trace whose parent links are broken or go round in a circle.
 */
export function waterfallRows(trace: OrderTrace): WaterfallRow[] {
  const spans = [...trace.spans].sort((a, b) => a.startUs - b.startUs);
  const known = new Set(spans.map((span) => span.spanId));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    if (span.parentId && span.parentId !== span.spanId && known.has(span.parentId)) {
      children.set(span.parentId, [...(children.get(span.parentId) ?? []), span]);
    } else {
      roots.push(span);
    }
  }
  const total = Math.max(trace.durationUs, ...spans.map((span) => span.startUs + span.durationUs), 1);
  const rows: WaterfallRow[] = [];
  const placed = new Set<string>();
  // Depth first without recursion: a saga's tree is a few hundred spans deep at worst.
  const visit = (start: TraceSpan) => {
    const stack = [{ span: start, depth: 0 }];
    while (stack.length > 0) {
      const { span, depth } = stack.pop()!;
      if (placed.has(span.spanId)) continue;
      placed.add(span.spanId);
      rows.push({
        span,
        depth,
        offset: (span.startUs / total) * 100,
        width: (span.durationUs / total) * 100,
        isHop: isPubsubHop(span),
      });
      const below = children.get(span.spanId) ?? [];
      for (let i = below.length - 1; i >= 0; i -= 1) stack.push({ span: below[i]!, depth: depth + 1 });
    }
  };
  for (const root of roots) visit(root);
  // Spans caught in a circle of parents are reached from no root: they still get a row.
  for (const span of spans) visit(span);
  return rows;
}

/**
 * Whether a span is a pub/sub hop: daprd names the delivery of a message from the broker to its
 * app `pubsub/<topic>` (and tags it with the topic), in the subscriber's sidecar.
 */
export function isPubsubHop(span: TraceSpan): boolean {
  return span.origin === 'sidecar' && span.topic !== undefined && span.name === `pubsub/${span.topic}`;
}

/** Who made a span, as the waterfall names it: `order` for the service's code, `order · sidecar` for its daprd. */
export function laneOf(span: Pick<TraceSpan, 'service' | 'origin'>): string {
  return span.origin === 'sidecar' ? `${span.service} · sidecar` : span.origin === 'app' ? span.service : `${span.service} · other`;
}

/** The lanes a trace's spans come from, with how many spans each, in order of first appearance. */
export function lanesOf(trace: OrderTrace): { lane: string; service: string; origin: TraceSpan['origin']; spans: number }[] {
  const lanes = new Map<string, { lane: string; service: string; origin: TraceSpan['origin']; spans: number }>();
  for (const span of [...trace.spans].sort((a, b) => a.startUs - b.startUs)) {
    const lane = laneOf(span);
    const entry = lanes.get(lane) ?? { lane, service: span.service, origin: span.origin, spans: 0 };
    entry.spans += 1;
    lanes.set(lane, entry);
  }
  return [...lanes.values()];
}

/** A duration in microseconds, readably, with three figures or so: `840 µs`, `1.23 ms`, `12.4 ms`, `412 ms`, `1.25 s`. */
export function formatDuration(us: number): string {
  if (us < 1_000) return `${Math.round(us)} µs`;
  if (us < 1_000_000) return `${(us / 1_000).toFixed(us < 10_000 ? 2 : us < 100_000 ? 1 : 0)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

/**
 * Marks for the shared time axis: about `count` round steps (1, 2 or 5 times a power of ten) from 0
 * to the trace's duration, each with its position in percent.
 */
export function timeTicks(totalUs: number, count = 5): { us: number; at: number }[] {
  if (totalUs <= 0) return [{ us: 0, at: 0 }];
  const rough = totalUs / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: { us: number; at: number }[] = [];
  for (let us = 0; us <= totalUs; us += step) ticks.push({ us, at: (us / totalUs) * 100 });
  return ticks;
}
