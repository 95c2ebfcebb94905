import { setTimeout as delay } from 'node:timers/promises';
import { readCounters } from './measure.ts';
import type { PrivateBroker } from './private-broker.ts';
import { serviceNames, type RunningSystem, type ServiceName } from './system.ts';

/** What a fault acts on. */
export interface FaultTarget {
  system: RunningSystem;
  /** The broker pub/sub runs on, when it is the run's own (see `Fault.needsOwnBroker`). */
  broker: PrivateBroker | undefined;
}

/** One thing that goes wrong in production, done on purpose to a running system. */
export interface Fault {
  /** Its name in the table and in CHAOS_FAULTS, such as `kill-9:payment-daprd`. */
  name: string;
  /** Restarts the broker or cuts its connections, so the run needs a broker nobody else uses. */
  needsOwnBroker: boolean;
  /** Does it, and resolves once it is done (the signal sent, the broker back): the moment recovery is timed from. */
  inflict(target: FaultTarget): Promise<void>;
}

/**
 * A signal to a service's app or sidecar. The launcher restarts whatever exits (see `supervise` in
 * system.ts), as Compose's restart policy and Kubernetes would: SIGKILL is a crash, with nothing
 * flushed; SIGTERM is a rolling update, which the app answers by finishing what it has in hand, so it
 * is sent while the app holds a delivery.
 */
function signalFault(signal: 'SIGKILL' | 'SIGTERM', service: ServiceName, role: 'app' | 'sidecar'): Fault {
  const what = role === 'app' ? service : `${service}-daprd`;
  return {
    name: `${signal === 'SIGKILL' ? 'kill-9' : 'sigterm'}:${what}`,
    needsOwnBroker: false,
    inflict: async ({ system }) => {
      if (signal === 'SIGTERM') await whileWorking(`${system.sidecarAppUrl(service)}/metrics`);
      const pid = system.pid(service, role);
      if (pid === undefined) throw new Error(`${what} is not running`);
      process.kill(pid, signal);
    },
  };
}

const inFlight = 'sweetgiggles_deliveries_in_flight';

/**
 * Resolves once the app whose metrics are at `metricsUrl` holds at least one event delivery, or
 * after `timeoutMs` whatever it holds: a steady flow keeps every app busy now and then.
 */
async function whileWorking(metricsUrl: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (await readCounters(metricsUrl, [inFlight]))[inFlight] === 0) await delay(5);
}

function ownBroker(broker: PrivateBroker | undefined): PrivateBroker {
  if (!broker) throw new Error('this fault needs a broker nobody else uses');
  return broker;
}

/**
 * Every fault the chaos suite knows, in the order it runs them: a kill -9 of each app and of each
 * sidecar, a SIGTERM to each app under load, a broker restart (away for `brokerDownMs`) and every
 * broker connection cut at once.
 */
export function chaosFaults(brokerDownMs = 8_000): Fault[] {
  return [
    ...serviceNames.map((service) => signalFault('SIGKILL', service, 'app')),
    ...serviceNames.map((service) => signalFault('SIGKILL', service, 'sidecar')),
    ...serviceNames.map((service) => signalFault('SIGTERM', service, 'app')),
    { name: 'broker-restart', needsOwnBroker: true, inflict: ({ broker }) => ownBroker(broker).restart(brokerDownMs) },
    { name: 'connections-cut', needsOwnBroker: true, inflict: ({ broker }) => ownBroker(broker).cutConnections() },
  ];
}

/**
 * The faults named in `names` (comma-separated; `kill-9` names every kill -9, `sigterm` every SIGTERM),
 * in the order they are listed; all of them when `names` is empty. Throws naming what it does not know.
 */
export function selectFaults(names: string | undefined, faults = chaosFaults()): Fault[] {
  const wanted = (names ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (wanted.length === 0) return faults;
  const unknown = wanted.filter((name) => !faults.some((fault) => matches(fault, name)));
  if (unknown.length > 0)
    throw new Error(`unknown fault ${unknown.join(', ')}; the faults are ${faults.map((fault) => fault.name).join(', ')}`);
  return wanted.flatMap((name) => faults.filter((fault) => matches(fault, name)));
}

const matches = (fault: Fault, name: string) => fault.name === name || fault.name.startsWith(`${name}:`);
