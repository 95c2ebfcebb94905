import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTracingRequested, serviceNameOfMain } from './telemetry.ts';

describe('isTracingRequested', () => {
  it('asks for traces only when an OTLP endpoint is set', () => {
    expect(isTracingRequested({})).toBe(false);
    expect(isTracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' })).toBe(true);
    expect(isTracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://jaeger:4318/v1/traces' })).toBe(true);
  });

  it('honours the standard switches that turn tracing off', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
    expect(isTracingRequested({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(isTracingRequested({ ...endpoint, OTEL_SDK_DISABLED: ' TRUE ' })).toBe(false);
    expect(isTracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(isTracingRequested({ ...endpoint, OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
  });
});

describe('serviceNameOfMain', () => {
  const mainOf = (service: string) => fileURLToPath(new URL(`../../${service}/src/main.ts`, import.meta.url));

  it('names a service after its package, without the scope', () => {
    expect(serviceNameOfMain(mainOf('order'))).toBe('order');
    expect(serviceNameOfMain(mainOf('notifier'))).toBe('notifier');
  });

  it("falls back to OpenTelemetry's default for anything else", () => {
    expect(serviceNameOfMain(undefined)).toBe('unknown_service:node');
    expect(serviceNameOfMain('/nowhere/src/main.ts')).toBe('unknown_service:node');
  });
});
