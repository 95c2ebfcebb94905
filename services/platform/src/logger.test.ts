import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

/** A logger writing its JSON lines into an array. */
function capturedLogger(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('test-service', level, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

describe('the logger', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => {
    contextManager.disable();
    context.disable();
  });

  it('writes one JSON line per entry, named after the service, with an ISO time', () => {
    const { log, lines } = capturedLogger();
    log.info({ orderId: 'o-1' }, 'order placed');
    log.debug('not at this level');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: 'test-service', name: 'test-service', orderId: 'o-1', msg: 'order placed', level: 30 });
    expect(new Date(lines[0]!['time'] as string).toISOString()).toBe(lines[0]!['time']);
  });

  it('carries the active span’s trace and span ids, and none outside a span', () => {
    const { log, lines } = capturedLogger();
    const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    context.with(trace.setSpanContext(context.active(), spanContext), () => log.info('inside'));
    log.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', traceId: spanContext.traceId, spanId: spanContext.spanId });
    expect(lines[1]).not.toHaveProperty('traceId');
    expect(lines[1]).not.toHaveProperty('spanId');
  });
});
