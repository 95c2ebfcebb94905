import type { SidecarConfig } from './config.ts';
import { Sidecar } from './dapr/sidecar.ts';
import { InFlight } from './in-flight.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics, gaugeDeliveriesInFlight, type Metrics } from './metrics.ts';
import { startTelemetry, stopTelemetry } from './telemetry.ts';

/** What every service process has: its logger, its sidecar, metrics, tracing and the in-flight counter. */
export interface Runtime {
  log: Logger;
  sidecar: Sidecar;
  metrics: Metrics;
  inFlight: InFlight;
  /** Flushes and stops tracing; call on shutdown. */
  stopTelemetry: () => Promise<void>;
}

/** Sets up a service process's runtime from its validated configuration. */
export function createRuntime(service: string, config: SidecarConfig): Runtime {
  // Usually started already, by `--import @sweetgiggles/platform/instrumentation`.
  startTelemetry(service);
  const metrics = createMetrics(service);
  const inFlight = new InFlight();
  gaugeDeliveriesInFlight(metrics, inFlight);
  return {
    log: createLogger(service),
    sidecar: new Sidecar({
      baseUrl: `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`,
      timeoutMs: config.DAPR_TIMEOUT_MS,
      apiToken: config.DAPR_API_TOKEN,
    }),
    metrics,
    inFlight,
    stopTelemetry,
  };
}
