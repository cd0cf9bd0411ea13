// Suppression of repeated reads while a card stays in the field (protocols.md §1.3), per
// credential: the first read of an ID is reported, later reads of the same ID are not until
// the card has been taken away. What "taken away" means depends on what the reader can say.
//  - A reader that repeats by itself (RDM6300 every ~65 ms, Wiegand converters) says nothing
//    when the card goes: no read of that ID for `holdMs` is the removal (a sliding window).
//  - A polled reader (PN532) says it: a poll that succeeded and listed no such card. A poll
//    that failed (lost answer, timeout, NACK) says nothing, so it removes nothing, however
//    long the recovery takes. The removal must come at least `holdMs` after the last read, so
//    a card wobbling at the edge of the field for one poll stays one presentation.
// Time comes from the caller.

export interface RepeatSuppressorOptions {
  /** Removal is only what `absent()` reports (polled readers), never the passing of time. */
  polled?: boolean;
}

export class RepeatSuppressor {
  /** Last read of each ID still held (polled: not yet seen absent). */
  private readonly held = new Map<string, number>();
  private readonly polled: boolean;

  /** `holdMs <= 0` disables suppression. */
  constructor(
    private readonly holdMs: number,
    opts: RepeatSuppressorOptions = {},
  ) {
    this.polled = opts.polled ?? false;
  }

  /** Records a read at `nowMs`; true when it should be reported, false for a repeat. */
  accept(key: string, nowMs: number): boolean {
    if (this.holdMs <= 0) return true;
    if (!this.polled) this.expire(nowMs);
    const last = this.held.get(key);
    this.held.set(key, nowMs);
    return last === undefined || nowMs < last;
  }

  /**
   * A poll that succeeded at `nowMs` listed exactly `present`: every other held ID that was last
   * read at least `holdMs` ago has been taken away. Only for a poll that got its answer.
   */
  absent(present: readonly string[], nowMs: number): void {
    for (const [key, last] of this.held) {
      if (!present.includes(key) && nowMs - last >= this.holdMs) this.held.delete(key);
    }
  }

  /** Forget every held card (e.g. the reader was disconnected). */
  reset(): void {
    this.held.clear();
  }

  /** Sliding window: an ID not read for `holdMs` is gone. */
  private expire(nowMs: number): void {
    for (const [key, last] of this.held) {
      const dt = nowMs - last;
      if (dt >= this.holdMs || dt < 0) this.held.delete(key);
    }
  }
}
