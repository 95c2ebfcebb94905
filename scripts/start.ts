// `npm start`: the whole shop on this machine, each service with its own real daprd sidecar.
// PUBSUB=rabbitmq picks RabbitMQ instead of Redis Streams for pub/sub. Ctrl-C stops everything.
import { join } from 'node:path';
import { brokerAddresses, brokerFromEnv, checkBrokers } from './lib/brokers.ts';
import { repoRoot, standardPorts, startSystem } from './lib/system.ts';

const broker = brokerFromEnv();
const logDir = join(repoRoot, '.cache', 'logs');
await checkBrokers(broker);

console.log(`Starting SweetGiggles on ${broker === 'redis' ? 'Redis Streams' : 'RabbitMQ'} (logs in .cache/logs/)…`);
const started = Date.now();
const system = await startSystem({
  broker,
  ports: standardPorts(),
  output: { dir: logDir },
  redisHost: brokerAddresses.redis,
  rabbitmqUrl: brokerAddresses.rabbitmq,
  env: { STATIC_DIR: join(repoRoot, 'frontend', 'dist') },
});

console.log(`
  SweetGiggles is open at http://localhost:8080  (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)
  Shop API:  http://localhost:8080/api/catalog   Follow the logs: tail -f .cache/logs/*.log
  Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping: letting each service finish its work, then its sidecar…');
    await system.stop();
    console.log('Stopped.');
    process.exit(0);
  });
}
