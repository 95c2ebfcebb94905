import { setTimeout as delay } from 'node:timers/promises';

/** One span as Jaeger's query API returns it, reduced to what the tests look at. */
export interface SpanView {
  spanId: string;
  parentId: string | undefined;
  /** The process's service name: the app id for both an app and its daprd. */
  service: string;
  operation: string;
  /** Who made the span: the service's own code (`app`) or its Dapr sidecar (`sidecar`). */
  origin: 'app' | 'sidecar' | 'other';
  tags: Record<string, unknown>;
}

interface JaegerTrace {
  traceID: string;
  spans: {
    spanID: string;
    operationName: string;
    processID: string;
    references: { refType: string; spanID: string }[];
    tags: { key: string; value: unknown }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

/** Reads one trace by id from Jaeger's query API (`GET /api/traces/{id}`); empty when Jaeger has none yet. */
export async function readTrace(jaegerUrl: string, traceId: string): Promise<SpanView[]> {
  const response = await fetch(`${jaegerUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(5_000) });
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}: ${await response.text()}`);
  const body = (await response.json()) as { data: JaegerTrace[] };
  return body.data.flatMap((trace) => trace.spans.map((span) => view(span, trace.processes)));
}

/**
 * Polls a trace until `isComplete` holds or `timeoutMs` passes (spans reach Jaeger in batches, a few
 * seconds after they end); returns the last reading either way.
 */
export async function waitForTrace(
  jaegerUrl: string,
  traceId: string,
  isComplete: (spans: SpanView[]) => boolean,
  timeoutMs: number,
): Promise<SpanView[]> {
  const deadline = Date.now() + timeoutMs;
  let spans = await readTrace(jaegerUrl, traceId);
  while (!isComplete(spans) && Date.now() < deadline) {
    await delay(1_000);
    spans = await readTrace(jaegerUrl, traceId);
  }
  return spans;
}

/**
 * The ids of the traces holding a span of `service` named `operation` with these tags, by Jaeger's
 * search (`GET /api/traces?service=…&operation=…&tags=…`), over the last hour.
 */
export async function searchTraceIds(
  jaegerUrl: string,
  service: string,
  operation: string,
  tags: Record<string, string>,
): Promise<string[]> {
  const now = Date.now();
  const query = new URLSearchParams({
    service,
    operation,
    tags: JSON.stringify(tags),
    // Microseconds since the epoch.
    start: String((now - 3_600_000) * 1_000),
    end: String((now + 60_000) * 1_000),
    limit: '20',
  });
  const response = await fetch(`${jaegerUrl}/api/traces?${query}`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to a search: ${await response.text()}`);
  return ((await response.json()) as { data: JaegerTrace[] | null }).data?.map((trace) => trace.traceID) ?? [];
}

/** The services Jaeger has received spans from (`GET /api/services`). */
export async function jaegerServices(jaegerUrl: string): Promise<string[]> {
  const response = await fetch(`${jaegerUrl}/api/services`, { signal: AbortSignal.timeout(5_000) });
  return ((await response.json()) as { data: string[] | null }).data ?? [];
}

/** Span counts by `service/origin`, e.g. `{ 'order/app': 27, 'order/sidecar': 21 }`. */
export function spanCounts(spans: SpanView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const span of spans) counts[`${span.service}/${span.origin}`] = (counts[`${span.service}/${span.origin}`] ?? 0) + 1;
  return counts;
}

/** A random W3C trace context, as a browser's instrumentation would send it. */
export function newTraceparent(): { traceId: string; spanId: string; traceparent: string } {
  const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
  const traceId = hex(16);
  const spanId = hex(8);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

function view(span: JaegerTrace['spans'][number], processes: JaegerTrace['processes']): SpanView {
  const tags = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
  // The services' own tracer is named `sweetgiggles`, their instrumentations `@opentelemetry/instrumentation-…`;
  // daprd's tracer is `dapr-diagnostics`.
  const scope = String(tags['otel.scope.name'] ?? '');
  const isApp = scope === 'sweetgiggles' || scope.startsWith('@opentelemetry/instrumentation-');
  return {
    spanId: span.spanID,
    parentId: span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID,
    service: processes[span.processID]?.serviceName ?? 'unknown',
    operation: span.operationName,
    origin: isApp ? 'app' : scope === 'dapr-diagnostics' ? 'sidecar' : 'other',
    tags,
  };
}
