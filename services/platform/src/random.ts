/** A source of numbers in [0, 1). Services take one as a dependency so tests and benchmarks are deterministic. */
export type Random = () => number;

/**
 * A small seedable generator (mulberry32). Not for cryptography: it drives the simulated payment
 * decisions, worker searches and drives, where a seed makes a run repeatable.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seeded generator when a seed is given, Math.random otherwise. */
export function randomFrom(seed: number | undefined): Random {
  return seed === undefined ? Math.random : seededRandom(seed);
}

/** A duration drawn around `meanMs` (±50 %), so a demo does not tick like a metronome. Zero stays zero. */
export function jitter(random: Random, meanMs: number): number {
  return Math.round(meanMs * (0.5 + random()));
}

/** Resolves after `ms` milliseconds, or at once when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
