// `npm run bench`: the saga against a floor of bare Dapr pub/sub hops, open loop, on each broker.
// Options (environment): BENCH_RATES orders/s, lowest first (default 5,10,20,50,100,150,200); BENCH_SECONDS
// per rate (default 10); BENCH_BROKERS (default redis,rabbitmq); BENCH_CUSTOMERS, the customers with a
// socket open (default 50).
import { formatReport, runBenchmark } from './lib/benchmark.ts';
import { checkBrokers } from './lib/brokers.ts';
import type { Broker } from './lib/system.ts';

const rates = (process.env['BENCH_RATES'] ?? '5,10,20,50,100,150,200').split(',').map(Number);
const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const brokers = (process.env['BENCH_BROKERS'] ?? 'redis,rabbitmq').split(',') as Broker[];
const customers = Number(process.env['BENCH_CUSTOMERS'] ?? 50);

for (const broker of brokers) await checkBrokers(broker);
console.log(`Benchmark: open loop at ${rates.join(', ')} orders/s, ${seconds} s each, on ${brokers.join(' and ')}; simulated work off.`);
const reports = await runBenchmark({ brokers, rates, seconds, customers, basePort: 24100, timeoutMs: 30_000 });
console.log(formatReport(reports));
