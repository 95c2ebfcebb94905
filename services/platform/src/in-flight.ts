/**
 * Counts the work a process has accepted and not finished (HTTP requests, event deliveries), so that
 * a graceful shutdown can wait for it.
 */
export class InFlight {
  #count = 0;
  #draining = false;
  #idle: (() => void)[] = [];

  /** True once shutdown began: new work should be refused so the sidecar redelivers it elsewhere. */
  get draining(): boolean {
    return this.#draining;
  }

  get count(): number {
    return this.#count;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.#count += 1;
    try {
      return await work();
    } finally {
      this.#count -= 1;
      if (this.#count === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /** Stops accepting work and resolves when what was accepted has finished, or after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#draining = true;
    if (this.#count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.#idle.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const finished = await Promise.race([idle, late]);
    clearTimeout(timer);
    return finished;
  }
}
