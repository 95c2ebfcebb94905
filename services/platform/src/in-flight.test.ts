import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';

/** Work that finishes when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('work in flight', () => {
  it('counts work while it runs, also when it fails', async () => {
    const inFlight = new InFlight();
    const work = gate();
    const tracked = inFlight.track(() => work.promise.then(() => 'done'));
    const failing = inFlight.track(() => Promise.reject(new Error('no')));
    expect(inFlight.count).toBe(2);
    await expect(failing).rejects.toThrow('no');
    expect(inFlight.count).toBe(1);
    work.open();
    expect(await tracked).toBe('done');
    expect(inFlight.count).toBe(0);
  });

  it('drains at once when nothing is in flight, and says it is draining from then on', async () => {
    const inFlight = new InFlight();
    expect(inFlight.draining).toBe(false);
    expect(await inFlight.drain(1_000)).toBe(true);
    expect(inFlight.draining).toBe(true);
  });

  it('waits for the work in flight to finish before it reports the drain done', async () => {
    const inFlight = new InFlight();
    const work = gate();
    const tracked = inFlight.track(() => work.promise);
    let drained: boolean | undefined;
    const drain = inFlight.drain(5_000).then((result) => (drained = result));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drained).toBeUndefined();
    work.open();
    await tracked;
    await drain;
    expect(drained).toBe(true);
  });

  it('gives up on work that outlasts the drain’s time, and says so', async () => {
    const inFlight = new InFlight();
    const work = gate();
    const tracked = inFlight.track(() => work.promise);
    const started = Date.now();
    expect(await inFlight.drain(100)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(inFlight.count).toBe(1);
    work.open();
    await tracked;
  });
});
