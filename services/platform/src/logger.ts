import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger of a process: structured JSON on stdout, named after the service. Handlers derive
 * child loggers carrying the order id and trace id.
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
