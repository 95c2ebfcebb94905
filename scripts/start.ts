// `npm start`: the whole shop on this machine, each service with its own real daprd sidecar.
// PUBSUB=rabbitmq picks RabbitMQ instead of Redis Streams for pub/sub; OBSERVABILITY=1 also starts
// Jaeger and Prometheus and sends every service's traces to Jaeger. Ctrl-C stops everything.
import { join } from 'node:path';
import { brokerAddresses, brokerFromEnv, checkBrokers } from './lib/brokers.ts';
import { scrapeTargetsOf, startObservability, type RunningObservability } from './lib/observability.ts';
import { removeOperatorAccess, writeOperatorAccess } from './lib/operator-access.ts';
import { repoRoot, standardPorts, startSystem } from './lib/system.ts';

const broker = brokerFromEnv();
const ports = standardPorts();
await checkBrokers(broker);

let observability: RunningObservability | undefined;
if (process.env['OBSERVABILITY'] === '1') {
  console.log('Starting Jaeger and Prometheus…');
  observability = await startObservability({ targets: scrapeTargetsOf(ports), dataDir: join(repoRoot, '.cache', 'observability') });
}

console.log(`Starting SweetGiggles on ${broker === 'redis' ? 'Redis Streams' : 'RabbitMQ'} (logs in .cache/logs/)…`);
const started = Date.now();
const system = await startSystem({
  broker,
  ports,
  output: { dir: join(repoRoot, '.cache', 'logs') },
  redisHost: brokerAddresses.redis,
  rabbitmqUrl: brokerAddresses.rabbitmq,
  // With a collector running, the sidecars trace every request and send their spans to it.
  ...(observability ? { daprConfigOverlays: [observability.daprConfigPath] } : {}),
  env: {
    STATIC_DIR: join(repoRoot, 'frontend', 'dist'),
    // The notifier reads an order's trace from Jaeger's query API for the storefront's waterfall.
    ...(observability ? { OTEL_EXPORTER_OTLP_ENDPOINT: observability.otlpEndpoint, JAEGER_QUERY_URL: observability.jaegerUrl } : {}),
  },
}).catch(async (error: unknown) => {
  await observability?.stop();
  throw error;
});

// For `npm run dead-letters`: the order sidecar and its token, new at every start.
writeOperatorAccess({ orderSidecarUrl: system.sidecarUrl('order'), daprApiToken: system.sidecarHeaders('order')['dapr-api-token']! });

console.log(`
  SweetGiggles is open at http://localhost:8080  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  Shop API:  http://localhost:8080/api/catalog   Follow the logs: tail -f .cache/logs/*.log${
    observability
      ? `
  Traces:    "Behind the scenes" on each order in the shop, or ${observability.jaegerUrl}/api/traces?service=order
  Metrics:   ${observability.prometheusUrl}`
      : ''
  }
  Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping: letting each service finish its work, then its sidecar…');
    removeOperatorAccess();
    await system.stop();
    await observability?.stop();
    console.log('Stopped.');
    process.exit(0);
  });
}
