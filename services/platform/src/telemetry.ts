import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { RequestHandler } from 'express';

export { SpanKind };

export interface TelemetryOptions {
  /** OTLP/HTTP base URL of the collector (Jaeger), e.g. http://localhost:4318; undefined exports nothing. */
  endpoint: string | undefined;
  /** Fraction of new traces to record (0 to 1); a trace started upstream keeps its caller's decision. */
  sampleRatio: number;
}

/**
 * Sets up OpenTelemetry tracing for the process: W3C trace context in and out, spans batched to the
 * collector over OTLP/HTTP. With no collector running nothing fails and nothing is logged (export
 * errors are dropped), and shutdown gives up after a second.
 */
export function startTelemetry(service: string, options: TelemetryOptions): { shutdown: () => Promise<void> } {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  // Without a collector no spans are made at all: an incoming trace context still passes through to
  // the sidecar untouched, so daprd's own tracing keeps working.
  if (!options.endpoint) return { shutdown: async () => undefined };
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces`, timeoutMillis: 2_000 });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    // Without a reachable collector the final flush fails: that must not fail the shutdown.
    shutdown: () =>
      Promise.race([provider.shutdown().catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]),
  };
}

/** The tracer of SweetGiggles code (HTTP, events, sidecar calls). */
export function tracer(): Tracer {
  return trace.getTracer('sweetgiggles');
}

/** Runs `work` inside a new active span, recording its failure; the span ends when `work` settles. */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds the active trace context (`traceparent`, `tracestate`) to outgoing headers. */
export function injectTraceContext(headers: Record<string, string>): Record<string, string> {
  propagation.inject(context.active(), headers);
  return headers;
}

/** The trace id of the active span, for log lines. */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/**
 * One server span per HTTP request, continuing the caller's trace (`traceparent`), named after the
 * matched route once it is known: `POST /api/orders`, `POST /events/order-created`.
 */
export function tracingMiddleware(): RequestHandler {
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method} ${req.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) span.updateName(`${req.method} ${req.baseUrl}${route}`);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
