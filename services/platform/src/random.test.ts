import { describe, expect, it } from 'vitest';
import { jitter, randomFrom, seededRandom, sleep } from './random.ts';

describe('the simulation’s randomness', () => {
  it('repeats itself for a seed, differs between seeds, and stays in [0, 1)', () => {
    const draw = (seed: number) => Array.from({ length: 100 }, seededRandom(seed));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    for (const value of draw(7)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
    expect(randomFrom(42)()).toBe(seededRandom(42)());
    expect(randomFrom(undefined)).toBe(Math.random);
  });

  it('jitters a duration within half of it either way, and leaves zero alone', () => {
    expect(jitter(() => 0, 1_000)).toBe(500);
    expect(jitter(() => 0.999, 1_000)).toBe(1_499);
    expect(jitter(() => 0.5, 0)).toBe(0);
  });

  it('sleeps for the time asked, or less when aborted', async () => {
    let started = Date.now();
    await sleep(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const abort = new AbortController();
    started = Date.now();
    const sleeping = sleep(10_000, abort.signal);
    abort.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
