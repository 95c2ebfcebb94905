import { describe, expect, it } from 'vitest';
import { StalledOrders } from './stalled-orders.ts';

function watch(maxRedrives = 2) {
  let now = 0;
  const stalls = new StalledOrders({ stallAfterMs: 1_000, maxRedrives, now: () => now });
  return { stalls, pass: (ms: number) => (now += ms) };
}

describe('the stalled-order watch', () => {
  it('names an unsettled order that has not changed for the stall period, and not before', () => {
    const { stalls, pass } = watch();
    stalls.changed({ orderId: 'a', settled: false });
    pass(999);
    expect(stalls.due().stalled).toEqual([]);
    pass(1);
    expect(stalls.due().stalled).toEqual(['a']);
    expect(stalls.counts).toEqual({ open: 1, stalled: 1 });
  });

  it('waits a whole stall period again after each re-drive, and a change starts the count afresh', () => {
    const { stalls, pass } = watch();
    stalls.changed({ orderId: 'a', settled: false });
    pass(1_000);
    expect(stalls.due().stalled).toEqual(['a']);
    pass(500);
    expect(stalls.due().stalled).toEqual([]);
    stalls.changed({ orderId: 'a', settled: false });
    expect(stalls.counts).toEqual({ open: 1, stalled: 0 });
    pass(999);
    expect(stalls.due().stalled).toEqual([]);
  });

  it('does not drive an order stuck on a parked dead letter, and follows it again once it moves', () => {
    const { stalls, pass } = watch();
    stalls.changed({ orderId: 'a', settled: false });
    stalls.changed({ orderId: 'a', settled: false, stuck: true });
    pass(5_000);
    expect(stalls.due()).toEqual({ stalled: [], givenUp: [] });
    expect(stalls.counts.open).toBe(0);
    stalls.changed({ orderId: 'a', settled: false, stuck: false });
    pass(1_000);
    expect(stalls.due().stalled).toEqual(['a']);
  });

  it('forgets an order once it has settled', () => {
    const { stalls, pass } = watch();
    stalls.changed({ orderId: 'a', settled: false });
    stalls.changed({ orderId: 'a', settled: true });
    pass(5_000);
    expect(stalls.due()).toEqual({ stalled: [], givenUp: [] });
    expect(stalls.counts.open).toBe(0);
  });

  it('gives an order up after the last re-drive that did not move it, and says so once', () => {
    const { stalls, pass } = watch(2);
    stalls.changed({ orderId: 'a', settled: false });
    pass(1_000);
    expect(stalls.due().stalled).toEqual(['a']);
    pass(1_000);
    expect(stalls.due().stalled).toEqual(['a']);
    pass(1_000);
    expect(stalls.due()).toEqual({ stalled: [], givenUp: ['a'] });
    pass(1_000);
    expect(stalls.due()).toEqual({ stalled: [], givenUp: [] });
  });

  it('follows at most its capacity of orders, dropping the oldest', () => {
    let now = 0;
    const stalls = new StalledOrders({ stallAfterMs: 1, maxRedrives: 1, capacity: 2, now: () => now });
    for (const orderId of ['a', 'b', 'c']) stalls.changed({ orderId, settled: false });
    now = 10;
    expect(stalls.due().stalled).toEqual(['b', 'c']);
  });
});
