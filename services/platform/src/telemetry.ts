import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { context, propagation, trace, SpanKind, SpanStatusCode, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { RequestHandler } from 'express';

export { SpanKind };

/** Requests that are not worth a trace: probes and scrapes. */
const operationalPaths = new Set(['/healthz', '/readyz', '/metrics']);

let sdk: NodeSDK | undefined;
let started = false;

/**
 * Whether the environment asks for traces, with OpenTelemetry's standard variables: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and neither
 * `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none`. Without an endpoint no spans are made:
 * the SDK's default (a collector on localhost) would otherwise be tried by every process.
 */
export function isTracingRequested(env: Record<string, string | undefined> = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  if (env['OTEL_TRACES_EXPORTER']?.trim().toLowerCase() === 'none') return false;
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/**
 * Starts OpenTelemetry for the process, once: `@opentelemetry/sdk-node` configured by the standard
 * `OTEL_*` variables (exporter, sampler, resource), with the maintained instrumentations of Node's
 * http server, Express and fetch (undici). The service name is `OTEL_SERVICE_NAME`, or else
 * `service`. Without tracing requested, only W3C trace context is set up, so a `traceparent` that
 * arrives is passed on to the sidecar untouched and daprd's own tracing keeps working.
 *
 * Express is instrumented only when this runs before Express is loaded, which for ES modules means
 * from `--import @sweetgiggles/platform/instrumentation` (see instrumentation.ts); called later, it
 * still traces http and fetch.
 */
export function startTelemetry(service: string): void {
  if (started) return;
  started = true;
  if (!isTracingRequested()) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    return;
  }
  sdk = new NodeSDK({
    ...(process.env['OTEL_SERVICE_NAME'] ? {} : { serviceName: service }),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => operationalPaths.has((request.url ?? '').split('?')[0] ?? ''),
        // The calls to the sidecar (node:http) carry the trace on; only calls made on behalf of
        // traced work: a readiness check's call to the sidecar starts no trace.
        requireParentforOutgoingSpans: true,
      }),
      // Route handlers only: a span for every middleware layer (body parser, metrics, …) is noise.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
      // Any fetch a service makes, on the same terms.
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  sdk.start();
}

/** Flushes and stops tracing; bounded, so a missing collector never holds up a shutdown. */
export async function stopTelemetry(): Promise<void> {
  if (!sdk) return;
  const stopping = sdk.shutdown().catch(() => undefined);
  sdk = undefined;
  await Promise.race([stopping, new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
}

/** Whether spans are being recorded and exported (the SDK is running). */
export function isTracing(): boolean {
  return sdk !== undefined;
}

/**
 * The service name for a process started as `node --import … services/<name>/src/main.ts`: the name
 * in the package.json beside that `src/`, without its scope (`@sweetgiggles/order` → `order`).
 */
export function serviceNameOfMain(mainPath: string | undefined): string {
  if (!mainPath) return 'unknown_service:node';
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(dirname(mainPath)), 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof manifest.name === 'string') return manifest.name.replace(/^@[^/]+\//, '');
  } catch {
    // Not a service's main module: fall through to OpenTelemetry's own default.
  }
  return 'unknown_service:node';
}

/** The tracer of SweetGiggles code (events consumed, sidecar operations). */
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

/**
 * The headers of a call to the sidecar, carrying the active trace context: the call's own span while
 * tracing, otherwise the context that arrived with the request. A `traceparent` the caller passed in
 * is replaced, never sent beside it.
 */
export function withTraceContext(headers: Record<string, string>): Record<string, string> {
  const { traceparent: _traceparent, tracestate: _tracestate, ...rest } = headers;
  propagation.inject(context.active(), rest);
  return rest;
}

/** The trace id of the active span, for log lines. */
export function activeTraceIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/**
 * Without tracing, makes the caller's trace context (`traceparent`) the active one for the request,
 * so it reaches the sidecar. While tracing, the http instrumentation has already done so, in a span.
 */
export function traceContextMiddleware(): RequestHandler {
  return (req, _res, next) => {
    if (isTracing()) return next();
    context.with(propagation.extract(context.active(), req.headers), next);
  };
}
