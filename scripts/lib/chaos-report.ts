import type { EventName } from '@sweetgiggles/contracts';
import type { AcceptedOrder, OrderAttempt } from './order-flow.ts';
import { duplicatedFacts, sagaViolations } from './saga-rules.ts';

/** A fault as it happened: when it began, and when it was done (the moment recovery is timed from). */
export interface Inflicted {
  fault: string;
  startedAt: number;
  doneAt: number;
}

/** What became of the orders of one fault. */
export interface ChaosRow {
  fault: string;
  broker: string;
  /**
   * Orders the shop accepted, placed from the fault before this one (or the start) up to the next:
   * at the first POST, or when the customer placed a refused one again (see `OrderFlow.retryRefused`).
   */
  orders: number;
  /** POSTs the shop refused meanwhile (a 503 while a process was away). */
  refused: number;
  /** Accepted orders that settled: ended, with a history the saga allows. */
  ended: number;
  /** Orders with a fact that may happen once seen twice, each with what was: `orderId: PaymentAccepted ×2`. */
  duplicates: string[];
  /** Accepted orders that never settled, each with its last status and what its history lacks. */
  stuck: string[];
  /**
   * Seconds from the fault being done until the first order placed after it settled: when the shop
   * served again from end to end. Undefined when none did.
   */
  firstEndS: number | undefined;
  /**
   * Seconds from the fault being done until the last order in flight at the fault (placed before it
   * was done, not settled before it began) settled; 0 when none was in flight, undefined when one
   * never settled.
   */
  inFlightS: number | undefined;
}

/** Time to recover: until the shop both serves new orders again and has finished the ones the fault caught. */
export function recoveredS(row: ChaosRow): number | undefined {
  return row.firstEndS === undefined || row.inFlightS === undefined ? undefined : Math.max(row.firstEndS, row.inFlightS);
}

export const isClean = (row: ChaosRow) => row.duplicates.length === 0 && row.stuck.length === 0;

/**
 * One row per fault: each order belongs to the fault before which it was placed, or after which it
 * was placed when no fault follows (`inflicted` in the order they happened). `notified` holds, by
 * order, the events the notifier recorded for it (each id once).
 */
export function chaosRows(
  broker: string,
  inflicted: Inflicted[],
  accepted: readonly AcceptedOrder[],
  refused: readonly OrderAttempt[],
  notified: ReadonlyMap<string, { name: EventName }[]>,
): ChaosRow[] {
  return inflicted.map(({ fault, startedAt, doneAt }, i) => {
    const from = i === 0 ? -Infinity : startedAt;
    const to = inflicted[i + 1]?.startedAt ?? Infinity;
    const orders = accepted.filter(({ placedAt }) => placedAt >= from && placedAt < to);
    const seconds = (at: number) => Math.max(0, at - doneAt) / 1000;
    // Orders accepted only on a retry after the run say nothing of how fast the shop recovered.
    const timed = accepted.filter((o) => !o.retried);
    const firstEnd = Math.min(...timed.filter((o) => o.placedAt > doneAt && o.settledAt !== undefined).map((o) => o.settledAt!));
    const inFlight = timed.filter((o) => o.placedAt <= doneAt && (o.settledAt === undefined || o.settledAt > startedAt));
    return {
      fault,
      broker,
      orders: orders.length,
      refused: refused.filter(({ placedAt }) => placedAt >= from && placedAt < to).length,
      ended: orders.filter((o) => o.settledAt !== undefined).length,
      duplicates: orders.flatMap(({ orderId, view }) => {
        const seen = [...new Set([...duplicatedFacts(view?.history ?? []), ...duplicatedFacts(notified.get(orderId) ?? [])])];
        return seen.length > 0 ? [`${orderId}: ${seen.join(', ')}`] : [];
      }),
      stuck: orders
        .filter((o) => o.settledAt === undefined)
        .map(({ orderId, view }) => `${orderId} (${view ? [view.status, ...sagaViolations(view.history)].join(', ') : 'unread'})`),
      firstEndS: Number.isFinite(firstEnd) ? seconds(firstEnd) : undefined,
      inFlightS: inFlight.some((o) => o.settledAt === undefined)
        ? undefined
        : seconds(Math.max(doneAt, ...inFlight.map((o) => o.settledAt!))),
    };
  });
}

const s = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(1));

/** The table's header line. */
export const chaosHeader = `${'fault'.padEnd(22)} ${'broker'.padEnd(8)} ${'orders'.padStart(6)} ${'refused'.padStart(7)} ${'ended'.padStart(6)} ${'duplicates'.padStart(10)} ${'stuck'.padStart(6)}  recovered s (first new order / in flight)`;

/** One line of the table. */
export function formatChaosRow(row: ChaosRow): string {
  const count = (value: number, width: number) => String(value).padStart(width);
  return `${row.fault.padEnd(22)} ${row.broker.padEnd(8)} ${count(row.orders, 6)} ${count(row.refused, 7)} ${count(row.ended, 6)} ${count(row.duplicates.length, 10)} ${count(row.stuck.length, 6)}  ${s(recoveredS(row)).padStart(11)} (${s(row.firstEndS)} / ${s(row.inFlightS)})`;
}

/** The table `npm run chaos` prints, one line per row, then what went wrong with which order. */
export function formatChaosTable(rows: ChaosRow[]): string {
  const lines = [chaosHeader, ...rows.map(formatChaosRow)];
  for (const row of rows.filter((r) => !isClean(r))) {
    lines.push('', `${row.fault} on ${row.broker}:`);
    for (const line of row.duplicates) lines.push(`  duplicated: ${line}`);
    for (const line of row.stuck) lines.push(`  stuck: ${line}`);
  }
  return lines.join('\n');
}
