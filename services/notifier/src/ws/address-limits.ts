/** Why a new socket from an address is refused, if it is. */
export type AddressRefusal = 'too-many-sockets' | 'too-many-handshakes';

export interface AddressLimitsOptions {
  /** Open sockets one address may hold at once. */
  maxSocketsPerAddress: number;
  /** Handshakes one address may start per `windowMs`, refused or not. */
  maxHandshakesPerWindow: number;
  windowMs: number;
}

interface AddressState {
  open: number;
  windowStart: number;
  handshakes: number;
}

/**
 * Per client address: how many sockets it holds and how fast it opens new ones, so one machine cannot
 * take every socket of a replica or keep it busy with handshakes.
 */
export class AddressLimits {
  readonly #options: AddressLimitsOptions;
  readonly #byAddress = new Map<string, AddressState>();
  #lastSweep = 0;

  constructor(options: AddressLimitsOptions) {
    this.#options = options;
  }

  /**
   * Counts a handshake from `address` and says whether it may go on; when it may, it holds one of the
   * address's places until `closed` (so handshakes in flight count too).
   */
  admit(address: string, now: number): AddressRefusal | undefined {
    this.#forgetIdle(now);
    const state = this.#byAddress.get(address) ?? { open: 0, windowStart: now, handshakes: 0 };
    this.#byAddress.set(address, state);
    if (now - state.windowStart >= this.#options.windowMs) {
      state.windowStart = now;
      state.handshakes = 0;
    }
    state.handshakes += 1;
    if (state.handshakes > this.#options.maxHandshakesPerWindow) return 'too-many-handshakes';
    if (state.open >= this.#options.maxSocketsPerAddress) return 'too-many-sockets';
    state.open += 1;
    return undefined;
  }

  /** A connection `admit` let through closed (whether its handshake completed or not). */
  closed(address: string): void {
    const state = this.#byAddress.get(address);
    if (state && state.open > 0) state.open -= 1;
  }

  /** Addresses tracked (for tests and metrics). */
  get size(): number {
    return this.#byAddress.size;
  }

  // Addresses with no open socket and no handshake in the current window are forgotten, so the map
  // stays as small as the set of clients actually connected; at most one sweep per window.
  #forgetIdle(now: number): void {
    if (this.#byAddress.size < 1_000 || now - this.#lastSweep < this.#options.windowMs) return;
    this.#lastSweep = now;
    for (const [address, state] of this.#byAddress) {
      if (state.open === 0 && now - state.windowStart >= this.#options.windowMs) this.#byAddress.delete(address);
    }
  }
}
