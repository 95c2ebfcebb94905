import type { OrderView } from '@sweetgiggles/contracts';
import { describe, expect, it } from 'vitest';
import { chaosFaults, selectFaults } from './chaos-faults.ts';
import { chaosRows, formatChaosTable, recoveredS, type Inflicted } from './chaos-report.ts';
import type { AcceptedOrder } from './order-flow.ts';
import { happyPath } from './saga-rules.ts';

const completed = (names = happyPath): OrderView =>
  ({ status: 'completed', history: names.map((name) => ({ name, time: '2026-11-29T00:00:00.000Z' })) }) as unknown as OrderView;

const order = (orderId: string, placedAt: number, settledAt?: number, view = completed()): AcceptedOrder => ({
  orderId,
  customerId: 'c',
  placedAt,
  view,
  ...(settledAt === undefined ? {} : { settledAt }),
});

describe('chaosRows', () => {
  const kill: Inflicted = { fault: 'kill-9:payment', startedAt: 10_000, doneAt: 10_000 };

  it('times recovery from the fault: the first new order to settle, and the last one it caught in flight', () => {
    const [row] = chaosRows(
      'redis',
      [kill],
      [order('a', 1_000, 2_000), order('b', 9_500, 14_000), order('c', 11_000, 12_500)],
      [{ customerId: 'c', idempotencyKey: 'k', placedAt: 10_500 }],
      new Map(),
    );
    expect(row).toMatchObject({ orders: 3, refused: 1, ended: 3, duplicates: [], stuck: [], firstEndS: 2.5, inFlightS: 4 });
    expect(recoveredS(row!)).toBe(4);
  });

  it("checks an order accepted only on its customer's retry, but leaves it out of the time to recover", async () => {
    const retried = { ...order('b', 10_500, 30_000), retried: true };
    const [row] = chaosRows('redis', [kill], [order('a', 9_000, 11_000), retried, order('c', 11_000, 12_000)], [], new Map());
    expect(row).toMatchObject({ orders: 3, ended: 3, firstEndS: 2, inFlightS: 1 });
  });

  it('counts an order that never settled as stuck, and leaves its recovery time unknown', () => {
    const open = { ...completed(), status: 'paid' } as OrderView;
    const [row] = chaosRows('redis', [kill], [order('a', 9_000, undefined, open), order('b', 11_000, 11_500)], [], new Map());
    expect(row!.stuck).toEqual(['a (paid)']);
    expect(row!.inFlightS).toBeUndefined();
    expect(recoveredS(row!)).toBeUndefined();
  });

  it('finds a second charge in the order history or among the events the notifier recorded', () => {
    const charged = completed([...happyPath.slice(0, 2), 'PaymentAccepted', ...happyPath.slice(2)]);
    const notified = new Map([['b', [{ name: 'OrderCompleted' as const }, { name: 'OrderCompleted' as const }]]]);
    const [row] = chaosRows('rabbitmq', [kill], [order('a', 9_000, 9_900, charged), order('b', 11_000, 11_500)], [], notified);
    expect(row!.duplicates).toEqual(['a: PaymentAccepted ×2', 'b: OrderCompleted ×2']);
    expect(formatChaosTable([row!])).toContain('duplicated: a: PaymentAccepted ×2');
  });

  it('gives each order to the fault it was placed before, and the last fault what follows it', () => {
    const cut: Inflicted = { fault: 'connections-cut', startedAt: 20_000, doneAt: 20_100 };
    const rows = chaosRows(
      'redis',
      [kill, cut],
      [order('a', 5_000, 5_100), order('b', 15_000, 15_100), order('c', 25_000, 25_100)],
      [],
      new Map(),
    );
    expect(rows.map((row) => row.orders)).toEqual([2, 1]);
    expect(rows[1]!.firstEndS).toBeCloseTo(5);
  });
});

describe('selectFaults', () => {
  it('takes names and groups in the order given, and refuses a name it does not know', () => {
    expect(selectFaults('connections-cut,sigterm').map((fault) => fault.name)).toEqual([
      'connections-cut',
      'sigterm:order',
      'sigterm:payment',
      'sigterm:delivery',
      'sigterm:notifier',
    ]);
    expect(selectFaults('').length).toBe(chaosFaults().length);
    expect(() => selectFaults('kill-9:warehouse')).toThrow(/unknown fault kill-9:warehouse/);
  });
});
