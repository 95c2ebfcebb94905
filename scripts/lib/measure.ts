import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** The value below which `p` percent of `values` fall (nearest rank); NaN for none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** What one unit of work (an order, a chain of hops) reported: its request time, and when it ended. */
export interface Attempt {
  /** How long the request that started it took, in ms; undefined when it failed. */
  requestMs: number | undefined;
  /** Milliseconds from the start of the request to the observed end; undefined when it never ended. */
  endMs: number | undefined;
}

/** The figures of one open-loop run at one offered rate. */
export interface RateResult {
  offered: number;
  started: number;
  ended: number;
  /** Requests that failed plus units that never ended within the drain time. */
  failures: number;
  /** Units ended per second, from the first start to the last end. */
  completedPerSecond: number;
  requestP50: number;
  requestP99: number;
  endP50: number;
  endP95: number;
  endP99: number;
  /** Every unit ended and p99 stayed under 1 s. */
  sustained: boolean;
}

/**
 * Starts `start(i)` at a fixed rate for `seconds`, whether or not earlier ones have finished (open
 * loop: a slow system does not slow the offered load down), then waits for all of them.
 */
export async function openLoop(rate: number, seconds: number, start: (i: number) => Promise<Attempt>): Promise<RateResult> {
  const total = Math.max(1, Math.round(rate * seconds));
  const startedAt = performance.now();
  const runs: Promise<Attempt & { at: number }>[] = [];
  for (let i = 0; i < total; i++) {
    const due = startedAt + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await delay(wait);
    const at = performance.now();
    runs.push(start(i).then((attempt) => ({ ...attempt, at })));
  }
  const attempts = await Promise.all(runs);
  const ends = attempts.filter((a) => a.endMs !== undefined);
  const endMs = ends.map((a) => a.endMs!);
  const requestMs = attempts.filter((a) => a.requestMs !== undefined).map((a) => a.requestMs!);
  const lastEnd = Math.max(...ends.map((a) => a.at + a.endMs!));
  const window = (lastEnd - startedAt) / 1000;
  const result = {
    offered: rate,
    started: total,
    ended: ends.length,
    failures: attempts.filter((a) => a.requestMs === undefined || a.endMs === undefined).length,
    completedPerSecond: ends.length && window > 0 ? ends.length / window : 0,
    requestP50: percentile(requestMs, 50),
    requestP99: percentile(requestMs, 99),
    endP50: percentile(endMs, 50),
    endP95: percentile(endMs, 95),
    endP99: percentile(endMs, 99),
  };
  return { ...result, sustained: result.failures === 0 && result.endP99 < 1000 };
}

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * The process listening on a TCP port of this machine (a broker's), found as `ss -ltnp` would: the
 * listening socket's inode in /proc/net/tcp, then the process holding that socket. Undefined when the
 * port is on another machine, or the process is not ours to see.
 */
export function listenerPid(port: number): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // local_address is "ADDR:PORT" in hex, st "0A" is LISTEN, and the inode is the tenth field.
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port) inodes.add(fields[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
        if (target.startsWith('socket:[') && inodes.has(target.slice(8, -1))) return Number(entry);
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  return undefined;
}

/** Sums the samples of the named counters on a Prometheus text endpoint (daprd's metrics port). */
export async function readCounters(url: string, names: string[]): Promise<Record<string, number>> {
  const totals: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).text();
    for (const line of text.split('\n')) {
      const name = line.split(/[{ ]/, 1)[0] ?? '';
      if (name in totals) totals[name]! += Number(line.split(' ').at(-1));
    }
  } catch {
    // A sidecar without metrics counts as zero.
  }
  return totals;
}

/**
 * Waits until no sidecar (given its metrics URL) has received a message for `quietMs`, or `timeoutMs`
 * passes: the system has done what it was given. A starting notifier's broadcast subscription (a new
 * Redis consumer group per replica), for one, first reads every event the streams retain.
 */
export async function waitForQuiet(metricsUrls: string[], quietMs = 3_000, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const counts = await Promise.all(metricsUrls.map((url) => readCounters(url, [delivered])));
    const total = counts.reduce((sum, c) => sum + (c[delivered] ?? 0), 0);
    if (total !== last) {
      last = total;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
    await delay(500);
  }
}

const delivered = 'dapr_component_pubsub_ingress_count';

/** Formats milliseconds for a table: one decimal below 100, whole above. */
export const ms = (value: number) => (Number.isNaN(value) ? '-' : value < 100 ? value.toFixed(1) : value.toFixed(0));
