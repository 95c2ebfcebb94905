import { pino, type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from './telemetry.ts';

export type { Logger };

/**
 * The one logger of a process: structured JSON on stdout, named after the service. Every line
 * written while a span is active carries its `traceId` and `spanId`, so a log line leads to its trace.
 * `destination` is for tests.
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info', destination?: DestinationStream): Logger {
  const options = { name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: activeTraceIds };
  return destination ? pino(options, destination) : pino(options);
}
