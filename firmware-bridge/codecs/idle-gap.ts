// When a serial line has been quiet long enough that whatever came before cannot be the start of
// the next frame. Every device we read sends a frame in one burst from its UART: the RDM6300's
// 14 bytes (protocols.md §1.2), a converter's `XXYYZZ\r` or 10 digits + CR LF, printed after the
// Wiegand burst has ended (§3.6), an LD2410 report (§4.2). Inside a frame the characters follow
// each other back to back, so a quiet line ends a frame: a fragment before it (noise, a line cut
// by a loose wire, a byte lost to a framing error) is dropped, never glued to the next frame.
// Codecs stay pure: the driver, which owns the clock, asks this class about each chunk and tells
// the codec `idle()`.

/** 8N1: start bit, 8 data bits, stop bit (§1.1, §3.6, §4.1). */
export const UART_BITS_PER_CHAR = 10;
/** Quiet character times that end a frame: a UART sender has no pauses inside a burst. */
export const IDLE_GAP_CHARS = 4;
/**
 * The floor, and at our rates (9600 → 1.04 ms a character, 256000 → 0.04 ms) the gap itself. A
 * host does not see the wire: a USB-serial adapter hands bytes over when its buffer fills or its
 * latency timer runs out (FTDI's default 16 ms; CH340 and CP210x poll in the same range), so one
 * burst can arrive as two chunks that far apart, and the event loop adds its own jitter: on a
 * 2-core machine at load 17 we measured up to 33 ms between two chunks of one 9600-baud line.
 * 100 ms is three times that. It is also what the line itself guarantees: a WIE232-style
 * converter ends a Wiegand burst after more than 50 ms of quiet (§3.6) and the burst takes
 * ~52 ms (26 bits × 2 ms), so two converter lines are never closer than this; ESPHome ends a
 * Wiegand frame after 100 ms too (§3 sources), and an S4A line's lone digit is a keypad key
 * after the same 100 ms. It stays below the 150–250 ms an idle line lasted between a
 * disturbance and the next card in issue 17.
 */
export const IDLE_GAP_FLOOR_MS = 100;

/** The gap that ends a frame on a line at `baudRate`: a few character times, at least the floor. */
export function idleGapMs(baudRate: number, floorMs = IDLE_GAP_FLOOR_MS): number {
  if (!(baudRate > 0)) throw new RangeError(`baud rate must be positive: ${baudRate}`);
  return Math.max(floorMs, (IDLE_GAP_CHARS * UART_BITS_PER_CHAR * 1000) / baudRate);
}

/**
 * Decides, chunk by chunk, whether the line was idle before it. A chunk is timestamped when it
 * is read, i.e. after its last byte; its first byte was on the wire `length` character times
 * earlier, so the quiet time is measured to that, not to the read: a long chunk read late after
 * a short one is not mistaken for a gap.
 */
export class IdleGap {
  readonly gapMs: number;
  private readonly charMs: number;
  private lastAtMs: number | null = null;

  /** `baudRate` 0: the chunks carry no wire time of their own (evdev records, already timestamped). */
  constructor(opts: { baudRate: number; gapMs?: number }) {
    this.charMs = opts.baudRate > 0 ? (UART_BITS_PER_CHAR * 1000) / opts.baudRate : 0;
    this.gapMs = opts.gapMs ?? idleGapMs(opts.baudRate);
  }

  /** `length` bytes were read at `nowMs`: true when the line had been quiet for longer than the gap before them. */
  arrive(length: number, nowMs: number): boolean {
    const last = this.lastAtMs;
    this.lastAtMs = nowMs;
    if (last === null) return false;
    return nowMs - length * this.charMs - last > this.gapMs;
  }

  /** A new port (or a reopened one): nothing came before. */
  reset(): void {
    this.lastAtMs = null;
  }
}
