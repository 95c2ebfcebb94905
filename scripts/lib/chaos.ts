import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { EventName } from '@sweetgiggles/contracts';
import type { Fault } from './chaos-faults.ts';
import { chaosRows, type ChaosRow, type Inflicted } from './chaos-report.ts';
import { replayCustomerHistory } from './notification-client.ts';
import { waitForQuiet } from './measure.ts';
import { isSettled, OrderFlow, type AcceptedOrder, type OrderShop } from './order-flow.ts';
import { PrivateRabbitMQ, PrivateRedis, type PrivateBroker } from './private-broker.ts';
import { serviceNames, type Broker, type RunningSystem } from './system.ts';

/** How a chaos run gets a fresh system: `launchSystem` in a partition of its own (the chaos script, the tests). */
export type StartChaosSystem = (options: {
  broker: Broker;
  basePort: number;
  env: Record<string, string>;
  redisHost?: string;
  rabbitmqUrl?: string;
}) => Promise<RunningSystem>;

export interface ChaosOptions {
  broker: Broker;
  /** Inflicted one after another on one system, each once the system has recovered from the one before. */
  faults: Fault[];
  /** Orders per second, placed open loop from before the first fault until after the last. */
  rate: number;
  /** How long orders flow before the first fault. */
  leadMs: number;
  /** How long orders flow at least after each fault (and until it has recovered). */
  afterMs: number;
  /** How long the orders of a fault may take to settle before they count as stuck. */
  recoveryBoundMs: number;
  /** First of a block of 80 loopback ports: 50 for the system, then its own brokers' (see `startOwnBrokers`). */
  basePort: number;
  start: StartChaosSystem;
  shop: (shopUrl: string) => OrderShop;
}

/**
 * What every chaos system runs with, over the instant simulation. Every step is instant, so an order
 * unchanged for 3 s has stalled (the order service drives it again; 30 s by default); the notifier
 * keeps every event of the run, so that each order's published facts can be counted at the end.
 */
export const chaosEnv: Record<string, string> = { STALL_AFTER_MS: '3000', HISTORY_LIMIT: '10000', HISTORY_MAX_BYTES: '4194304' };

/**
 * Starts a system, places a steady flow of orders, inflicts each fault in turn, places every refused
 * order once more with its Idempotency-Key (as its customer would), then checks every accepted order:
 * settled, with no fact that may happen once (a charge, a refund, a delivery, an end) seen twice,
 * whether in the order's own history or among the events the notifier recorded. Faults
 * that restart or cut the broker run on brokers of the run's own; the others on whatever `start`
 * gives. Stops everything it started, whatever happens.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosRow[]> {
  const { broker, basePort } = options;
  const own = options.faults.some((fault) => fault.needsOwnBroker) ? await startOwnBrokers(broker, basePort + 60) : undefined;
  let system: RunningSystem | undefined;
  try {
    system = await options.start({ broker, basePort, env: chaosEnv, ...own?.addresses });
    const shop = options.shop(system.shopUrl);
    await warmUp(shop);
    const flow = new OrderFlow(shop);
    flow.start(options.rate, `chaos-${randomUUID().slice(0, 8)}`);
    await delay(options.leadMs);
    const inflicted: Inflicted[] = [];
    for (const fault of options.faults) {
      const startedAt = Date.now();
      await fault.inflict({ system, broker: own?.pubsub });
      const doneAt = Date.now();
      inflicted.push({ fault: fault.name, startedAt, doneAt });
      await delay(options.afterMs);
      await flow.waitFor((orders) => hasRecovered(orders, doneAt), options.recoveryBoundMs);
    }
    await flow.stop();
    await flow.retryRefused();
    await flow.waitForAllSettled(options.recoveryBoundMs);
    // A duplicate may come after an order settled: read them all again once nothing moves any more.
    const running = system;
    await waitForQuiet(
      serviceNames.map((name) => `http://127.0.0.1:${running.options.ports[name].daprMetrics}/metrics`),
      2_000,
      30_000,
    );
    await flow.readAll();
    const notified = await notifiedFacts(system.shopUrl, flow.accepted);
    return chaosRows(broker, inflicted, flow.accepted, flow.refused, notified);
  } finally {
    await system?.stop();
    await own?.stop();
  }
}

/** Every order placed up to `at` has settled, and one placed after it has too. */
function hasRecovered(orders: readonly AcceptedOrder[], at: number): boolean {
  return (
    orders.every((order) => order.placedAt > at || order.settledAt !== undefined) &&
    orders.some((order) => order.placedAt > at && order.settledAt !== undefined)
  );
}

/**
 * One order through the whole saga first, so what follows runs on a system in its stride. Placed
 * again (same Idempotency-Key) while refused: a sidecar takes its app for healthy only at its first
 * health probe, which can come a moment after the app answers its own readiness check.
 */
async function warmUp(shop: OrderShop, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const key = randomUUID();
  let orderId: string | undefined;
  while (!orderId) {
    orderId = await shop
      .placeOrder('chaos-warm-up', [{ sku: 'gummy-bears', quantity: 1 }], key)
      .then((order) => order.orderId)
      .catch((error: unknown) => {
        if (Date.now() > deadline) throw error;
        return undefined;
      });
    if (!orderId) await delay(250);
  }
  while (!isSettled(await shop.getOrder(orderId).catch(() => undefined))) {
    if (Date.now() > deadline) throw new Error(`the warm-up order ${orderId} did not settle within ${timeoutMs} ms`);
    await delay(250);
  }
}

/** The events the notifier recorded, by order, from each customer's history replayed in full. */
async function notifiedFacts(shopUrl: string, orders: readonly AcceptedOrder[]): Promise<Map<string, { name: EventName }[]>> {
  const byOrder = new Map<string, { name: EventName }[]>();
  for (const customerId of new Set(orders.map((order) => order.customerId))) {
    for (const event of await replayCustomerHistory(shopUrl, customerId)) {
      byOrder.set(event.orderId, [...(byOrder.get(event.orderId) ?? []), event]);
    }
  }
  return byOrder;
}

/** Brokers of a run's own: the broker pub/sub runs on, and where the services keep state. */
interface OwnBrokers {
  pubsub: PrivateBroker;
  addresses: { redisHost: string; rabbitmqUrl?: string };
  stop(): Promise<void>;
}

/**
 * A Redis (state, and pub/sub on Redis) with an append-only file, as a production Redis would keep
 * its streams over a restart, and for RabbitMQ a node of its own: on ports `port` to `port + 10`.
 */
async function startOwnBrokers(broker: Broker, port: number): Promise<OwnBrokers> {
  const redis = await PrivateRedis.start(port + 10);
  if (broker === 'redis') return { pubsub: redis, addresses: { redisHost: redis.address }, stop: () => redis.stop() };
  const rabbit = await PrivateRabbitMQ.start(port).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  return {
    pubsub: rabbit,
    addresses: { redisHost: redis.address, rabbitmqUrl: rabbit.address },
    stop: async () => {
      await Promise.all([rabbit.stop(), redis.stop()]);
    },
  };
}
