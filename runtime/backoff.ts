// Reconnect delays: minMs doubling up to maxMs, back to minMs after a successful connect.
export class Backoff {
  #nextMs: number;

  constructor(
    readonly minMs = 1000,
    readonly maxMs = 30_000,
  ) {
    this.#nextMs = minMs;
  }

  /** The delay to use now; the one after it doubles. */
  next(): number {
    const d = this.#nextMs;
    this.#nextMs = Math.min(this.#nextMs * 2, this.maxMs);
    return d;
  }

  reset(): void {
    this.#nextMs = this.minMs;
  }
}
