// `npm start`: the whole shop on one host, each service with its own real daprd sidecar.
// PUBSUB=rabbitmq picks RabbitMQ instead of Redis Streams for pub/sub; OBSERVABILITY=1 also starts
// Jaeger and Prometheus and sends every service's traces to Jaeger. Ctrl-C stops everything.
import { join } from 'node:path';
import { brokerFromEnv, checkBrokers } from './lib/brokers.ts';
import { launchSystem } from './lib/launch.ts';
import { removeOperatorAccess, writeOperatorAccess } from './lib/operator-access.ts';
import { repoRoot } from './lib/system.ts';

const broker = brokerFromEnv();
await checkBrokers(broker);

const observed = process.env['OBSERVABILITY'] === '1';
if (observed) console.log('Starting Jaeger and Prometheus…');
console.log(`Starting SweetGiggles on ${broker === 'redis' ? 'Redis Streams' : 'RabbitMQ'} (logs in .cache/logs/)…`);
const started = Date.now();
const system = await launchSystem({
  broker,
  simulation: 'realistic',
  logsDir: join(repoRoot, '.cache', 'logs'),
  ...(observed ? { observability: { dataDir: join(repoRoot, '.cache', 'observability') } } : {}),
});
const { observability } = system;

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
    console.log('Stopped.');
    process.exit(0);
  });
}
