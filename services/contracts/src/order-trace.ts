import { z } from 'zod';

/** The most spans `GET /api/orders/{orderId}/trace` returns; a saga's trace has a few hundred. */
export const maxTraceSpans = 2_000;

/** Who made a span: the service's own code (`app`), its Dapr sidecar (`sidecar`), or neither. */
export const spanOrigins = ['app', 'sidecar', 'other'] as const;
export type SpanOrigin = (typeof spanOrigins)[number];

/** One span of an order's trace, as the shop shows it: where and when it ran, nothing of its payload. */
export const traceSpanSchema = z.strictObject({
  /** 16 hex digits. */
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  /** The span this one is a child of; absent for a root, or when the parent is outside the trace. */
  parentId: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
  /** The Dapr app id (an app and its sidecar share it). */
  service: z.string().max(100),
  origin: z.enum(spanOrigins),
  /** The operation, e.g. `publish OrderCreated`, `consume PaymentAccepted`, `pubsub/orders`. */
  name: z.string().max(200),
  /** OpenTelemetry's span kind, lower-case (`server`, `client`, `producer`, `consumer`, `internal`). */
  kind: z.string().max(20).optional(),
  /** The pub/sub topic the span publishes to or delivers from, when it is a messaging span. */
  topic: z.string().max(100).optional(),
  /** Microseconds from the start of the trace. */
  startUs: z.number().int().min(0),
  durationUs: z.number().int().min(0),
  isError: z.boolean(),
});
export type TraceSpan = z.infer<typeof traceSpanSchema>;

/** The body of `GET /api/orders/{orderId}/trace`: the trace of the order's placement and its saga. */
export const orderTraceSchema = z.strictObject({
  orderId: z.string(),
  /** 32 hex digits: the trace's id in the tracing backend. */
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  /** When the trace's first span started. */
  startedAt: z.iso.datetime(),
  /** From the first span's start to the last span's end, in microseconds. */
  durationUs: z.number().int().min(0),
  /** Ordered by start; at most `maxTraceSpans`. */
  spans: z.array(traceSpanSchema).max(maxTraceSpans),
  /** Whether the trace had more spans than were returned. */
  isTruncated: z.boolean(),
});
export type OrderTrace = z.infer<typeof orderTraceSchema>;

/** The body of `GET /api/tracing`: whether the shop can show an order's trace. */
export interface TracingStatus {
  enabled: boolean;
}
