// An RDM6300 with a card in its field (protocols.md §1.3): the first frame as soon as the card
// is presented, then the same frame every `repeatMs` (~65 ms) until it is removed. Pure: the
// demo's timer calls `tick` and writes what it returns to the PTY.
import { encodeRdm6300 } from '../codecs/rdm6300.ts';

export interface Rdm6300SimOptions {
  /** Repeat period while the card is held. Default 65. */
  repeatMs?: number;
}

export class Rdm6300Sim {
  private readonly repeatMs: number;
  private frame: Uint8Array | null = null;
  private nextAtMs = 0;

  constructor(opts: Rdm6300SimOptions = {}) {
    this.repeatMs = opts.repeatMs ?? 65;
  }

  /** Puts card `cardHex` (10 hex characters) in the field; returns the first frame. */
  present(cardHex: string, nowMs: number): Uint8Array {
    this.frame = encodeRdm6300(cardHex);
    this.nextAtMs = nowMs + this.repeatMs;
    return this.frame;
  }

  remove(): void {
    this.frame = null;
  }

  get holding(): boolean {
    return this.frame !== null;
  }

  /** The repeat frame when one is due (at most one per call), else an empty array. */
  tick(nowMs: number): Uint8Array {
    if (this.frame === null || nowMs < this.nextAtMs) return new Uint8Array(0);
    this.nextAtMs = Math.max(this.nextAtMs + this.repeatMs, nowMs);
    return this.frame;
  }
}
