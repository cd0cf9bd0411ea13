// Reconnect delays: minMs doubling up to maxMs, back to minMs after a successful connect.
// With `jitter` (0..1) each delay is drawn from [d·(1−jitter), d]: never above maxMs, and peers
// that lost the same broker at the same moment do not all come back in the same millisecond.
export interface BackoffOptions {
  /** Fraction of each delay that is random, 0 (default: exact delays) to 1. */
  jitter?: number;
  /** The random source, [0, 1) (tests pass their own). */
  random?: () => number;
}

export class Backoff {
  #nextMs: number;
  readonly #jitter: number;
  readonly #random: () => number;

  constructor(
    readonly minMs = 1000,
    readonly maxMs = 30_000,
    opts: BackoffOptions = {},
  ) {
    this.#nextMs = minMs;
    this.#jitter = Math.min(Math.max(opts.jitter ?? 0, 0), 1);
    this.#random = opts.random ?? Math.random;
  }

  /** The delay to use now; the one after it doubles. */
  next(): number {
    const d = this.#nextMs;
    this.#nextMs = Math.min(this.#nextMs * 2, this.maxMs);
    return this.#jitter === 0 ? d : Math.round(d * (1 - this.#jitter * this.#random()));
  }

  reset(): void {
    this.#nextMs = this.minMs;
  }
}
