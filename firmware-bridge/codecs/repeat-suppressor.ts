// Suppression of repeated reads while a card stays in the field (protocols.md §1.3): the first
// read of an ID is reported; the same ID is suppressed until no read of it has arrived for
// `holdMs` (a sliding window, the reader repeats every ~65 ms). Time comes from the caller.

export class RepeatSuppressor {
  private lastKey: string | null = null;
  private lastSeenMs = 0;

  /** `holdMs <= 0` disables suppression. */
  constructor(private readonly holdMs: number) {}

  /** Records a read at `nowMs`; true when it should be reported, false for a repeat. */
  accept(key: string, nowMs: number): boolean {
    const dt = nowMs - this.lastSeenMs;
    const repeat = this.holdMs > 0 && key === this.lastKey && dt >= 0 && dt < this.holdMs;
    this.lastKey = key;
    this.lastSeenMs = nowMs;
    return !repeat;
  }

  /** Forget the last card (e.g. the reader was disconnected). */
  reset(): void {
    this.lastKey = null;
  }
}
