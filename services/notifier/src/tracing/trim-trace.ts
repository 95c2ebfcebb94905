import { z } from 'zod';
import { maxTraceSpans, type OrderTrace, type SpanOrigin, type TraceSpan } from '@sweetgiggles/contracts';

/**
 * One trace as Jaeger's query API returns it (`GET /api/traces/{id}`, `GET /api/traces?…`), reduced
 * to the fields the shop reads. Jaeger is a dependency, not a friend: its answer is validated like
 * any other input, and fields the shop does not read are ignored.
 */
export const jaegerTraceSchema = z.object({
  traceID: z.string().regex(/^[0-9a-f]{1,32}$/),
  spans: z.array(
    z.object({
      spanID: z.string().regex(/^[0-9a-f]{1,16}$/),
      operationName: z.string(),
      references: z.array(z.object({ refType: z.string(), spanID: z.string() })).default([]),
      /** Microseconds since the epoch. */
      startTime: z.number().int().min(0),
      /** Microseconds. */
      duration: z.number().int().min(0),
      tags: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
      processID: z.string(),
    }),
  ),
  processes: z.record(z.string(), z.object({ serviceName: z.string() })),
});
export type JaegerTrace = z.infer<typeof jaegerTraceSchema>;

/** The body of Jaeger's trace answers: `{ data: [trace, …] }`. */
export const jaegerTracesAnswerSchema = z.object({ data: z.array(jaegerTraceSchema).nullable() });

type JaegerSpan = JaegerTrace['spans'][number];

/**
 * The shop's view of a Jaeger trace: each span's service, origin, name, kind and topic, its offset
 * from the trace's start and its duration, nothing else (no URLs, no payloads, no customer data in
 * tags). Spans are ordered by start; past `maxSpans` the latest are left out and `isTruncated` says so.
 */
export function trimTrace(orderId: string, trace: JaegerTrace, maxSpans = maxTraceSpans): OrderTrace {
  const sorted = [...trace.spans].sort((a, b) => a.startTime - b.startTime);
  const first = sorted[0]?.startTime ?? 0;
  const end = sorted.reduce((latest, span) => Math.max(latest, span.startTime + span.duration), first);
  return {
    orderId,
    traceId: trace.traceID.padStart(32, '0'),
    startedAt: new Date(Math.floor(first / 1_000)).toISOString(),
    durationUs: end - first,
    spans: sorted.slice(0, maxSpans).map((span) => trimSpan(span, first, trace.processes)),
    isTruncated: sorted.length > maxSpans,
  };
}

/**
 * The earliest of the traces that published an order's OrderCreated: its placement, whose trace
 * carries the whole saga. A retried POST or a redriven order publishes OrderCreated again, in a
 * trace of its own that starts later.
 */
export function placementTrace(traces: readonly JaegerTrace[]): JaegerTrace | undefined {
  const startOf = (trace: JaegerTrace) => Math.min(...trace.spans.map((span) => span.startTime));
  return traces.filter((trace) => trace.spans.length > 0).sort((a, b) => startOf(a) - startOf(b))[0];
}

function trimSpan(span: JaegerSpan, traceStart: number, processes: JaegerTrace['processes']): TraceSpan {
  const tags = new Map(span.tags.map((tag) => [tag.key, tag.value]));
  const parentId = span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID;
  const kind = text(tags.get('span.kind'), 20);
  const topic = text(tags.get('messaging.destination.name'), 100);
  return {
    spanId: span.spanID.padStart(16, '0'),
    ...(parentId && /^[0-9a-f]{1,16}$/.test(parentId) ? { parentId: parentId.padStart(16, '0') } : {}),
    service: (processes[span.processID]?.serviceName ?? 'unknown').slice(0, 100),
    origin: originOf(tags.get('otel.scope.name')),
    name: span.operationName.slice(0, 200),
    ...(kind ? { kind } : {}),
    ...(topic ? { topic } : {}),
    startUs: span.startTime - traceStart,
    durationUs: span.duration,
    isError: tags.get('error') === true || tags.get('otel.status_code') === 'ERROR',
  };
}

/**
 * Whose code made a span, from its instrumentation scope: the services' own tracer is `sweetgiggles`
 * and their instrumentations `@opentelemetry/instrumentation-…`; daprd's is `dapr-diagnostics`.
 */
function originOf(scope: unknown): SpanOrigin {
  if (scope === 'sweetgiggles' || (typeof scope === 'string' && scope.startsWith('@opentelemetry/instrumentation-'))) return 'app';
  return scope === 'dapr-diagnostics' ? 'sidecar' : 'other';
}

function text(value: unknown, maxLength: number): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, maxLength) : undefined;
}
