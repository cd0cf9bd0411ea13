// USB "keyboard wedge" readers (protocols.md §3.6, [U]): a HID keyboard that types the card
// number and Enter. The gateway reads `/dev/input/by-id/*-event-kbd` (grabbed exclusively);
// this decodes that byte stream of Linux `struct input_event` records into typed lines.
// Record layout (linux/input.h): timeval (2 × long), u16 type, u16 code, s32 value, host
// byte order (little-endian on the Pi): 24 bytes with a 64-bit long, 16 bytes with a 32-bit one.
// Key codes from linux/input-event-codes.h.
// Every record carries the kernel's timestamp of the key event, so this path needs no clock of
// its own to resynchronise: a pause inside a line longer than `idleGapMs` means the reader
// stopped typing (unplugged mid-line, a key bounced), and the half-typed line is dropped rather
// than glued to the next card (idle-gap.ts, the same rule as the serial lines).
import { emptyStats, type DecoderStats } from './decoder-stats.ts';
import { IdleGap } from './idle-gap.ts';

const EV_SYN = 0x00;
const EV_KEY = 0x01;
const EV_MAX = 0x1f;
const KEY_ENTER = 28;
const KEY_KPENTER = 96;
const SHIFT_KEYS = new Set([42, 54]); // KEY_LEFTSHIFT, KEY_RIGHTSHIFT
/**
 * A wedge types a character as a press and a release report, at most one report per USB poll
 * (bInterval ≤ 10 ms for a full-speed HID keyboard), so about 20 ms a character at worst; five
 * character times of silence end a line, the same 100 ms as on a serial line (idle-gap.ts).
 * [U] for slow "typing speed" settings some readers offer: raise `idleGapMs` for those.
 */
export const KEYBOARD_WEDGE_GAP_MS = 100;

/** Key code → character: top-row digits, keypad digits and the hex letters A–F. */
const KEY_CHARS = new Map<number, string>([
  [2, '1'],
  [3, '2'],
  [4, '3'],
  [5, '4'],
  [6, '5'],
  [7, '6'],
  [8, '7'],
  [9, '8'],
  [10, '9'],
  [11, '0'],
  [79, '1'],
  [80, '2'],
  [81, '3'],
  [75, '4'],
  [76, '5'],
  [77, '6'],
  [71, '7'],
  [72, '8'],
  [73, '9'],
  [82, '0'],
  [30, 'A'],
  [48, 'B'],
  [46, 'C'],
  [32, 'D'],
  [18, 'E'],
  [33, 'F'],
]);
const CHAR_KEYS = new Map<string, number>([...KEY_CHARS].filter(([code]) => code < 70).map(([code, ch]) => [ch, code]));

export interface KeyboardWedgeOptions {
  /** Bytes per event record: 24 on 64-bit userspace (default), 16 on 32-bit Raspberry Pi OS. */
  eventSize?: 16 | 24;
  /** Longest line accepted. Default 20. */
  maxLength?: number;
  /** A pause between key events longer than this drops the half-typed line. Default `KEYBOARD_WEDGE_GAP_MS`. */
  idleGapMs?: number;
}

export interface KeyboardWedgeLine {
  kind: 'line';
  /** Digits and uppercase A–F as typed, e.g. `0013961168`. */
  text: string;
}

/** `badFormat`: lines with a key other than a digit / A–F, or a record with an impossible type. */
export interface KeyboardWedgeStats extends DecoderStats {
  events: number;
}

/** The event records a wedge produces when typing `text` + Enter: press, SYN, release, SYN per key. */
export function encodeKeyboardWedge(text: string, opts: { eventSize?: 16 | 24; timeMs?: number } = {}): Uint8Array {
  const size = opts.eventSize ?? 24;
  const codes = [...text.toUpperCase()].map((ch) => {
    const code = CHAR_KEYS.get(ch);
    if (code === undefined) throw new RangeError(`no key for ${JSON.stringify(ch)}`);
    return code;
  });
  codes.push(KEY_ENTER);
  const out = new Uint8Array(codes.length * 4 * size);
  const view = new DataView(out.buffer);
  const timeMs = opts.timeMs ?? 0;
  const sec = Math.floor(timeMs / 1000);
  const usec = Math.round((timeMs - sec * 1000) * 1000);
  let o = 0;
  const put = (type: number, code: number, value: number): void => {
    if (size === 24) {
      // 64-bit longs, little-endian; seconds stay far below 2^32 until 2106.
      view.setUint32(o, sec >>> 0, true);
      view.setUint32(o + 8, usec, true);
    } else {
      view.setUint32(o, sec >>> 0, true);
      view.setUint32(o + 4, usec, true);
    }
    view.setUint16(o + size - 8, type, true);
    view.setUint16(o + size - 6, code, true);
    view.setInt32(o + size - 4, value, true);
    o += size;
  };
  for (const code of codes) {
    put(EV_KEY, code, 1);
    put(EV_SYN, 0, 0);
    put(EV_KEY, code, 0);
    put(EV_SYN, 0, 0);
  }
  return out;
}

export class KeyboardWedgeDecoder {
  private readonly size: number;
  private readonly maxLength: number;
  private readonly partial: Uint8Array;
  private have = 0;
  private text = '';
  private bad = false;
  private overlong = false;
  private readonly s: KeyboardWedgeStats = { ...emptyStats(), events: 0 };
  private lineEvents = 0;
  private readonly gap: IdleGap;

  constructor(opts: KeyboardWedgeOptions = {}) {
    this.size = opts.eventSize ?? 24;
    this.maxLength = opts.maxLength ?? 20;
    this.partial = new Uint8Array(this.size);
    this.gap = new IdleGap({ baudRate: 0, gapMs: opts.idleGapMs ?? KEYBOARD_WEDGE_GAP_MS });
  }

  /** Reads from an evdev node always return whole records; any split is tolerated anyway. */
  push(chunk: Uint8Array): KeyboardWedgeLine[] {
    const out: KeyboardWedgeLine[] = [];
    let i = 0;
    while (i < chunk.length) {
      const n = Math.min(this.size - this.have, chunk.length - i);
      this.partial.set(chunk.subarray(i, i + n), this.have);
      this.have += n;
      i += n;
      if (this.have === this.size) {
        this.have = 0;
        this.event(out);
      }
    }
    return out;
  }

  /** The reader paused longer than the gap: a half-typed line is dropped and counted. */
  idle(): void {
    if (this.text.length > 0 || this.bad || this.overlong) {
      this.s.idleResets++;
      this.s.garbageBytes += this.lineEvents * this.size;
    }
    this.lineEvents = 0;
    this.text = '';
    this.bad = this.overlong = false;
  }

  /** Device gone: a half-typed line (or half a record) counts as truncated. */
  flush(): void {
    if (this.text.length > 0 || this.have > 0) this.s.truncated++;
    this.s.garbageBytes += this.lineEvents * this.size + this.have;
    this.have = this.lineEvents = 0;
    this.text = '';
    this.bad = this.overlong = false;
  }

  stats(): KeyboardWedgeStats {
    return { ...this.s };
  }

  private event(out: KeyboardWedgeLine[]): void {
    const p = this.partial;
    const o = this.size - 8;
    const type = p[o]! | (p[o + 1]! << 8);
    const code = p[o + 2]! | (p[o + 3]! << 8);
    const value = p[o + 4]! | (p[o + 5]! << 8) | (p[o + 6]! << 16) | (p[o + 7]! << 24);
    // timeval: seconds, then microseconds at the next long (offset 8 with 64-bit longs, 4 with 32-bit).
    const sec = p[0]! + p[1]! * 0x100 + p[2]! * 0x10000 + p[3]! * 0x1000000;
    const u = this.size === 24 ? 8 : 4;
    const usec = p[u]! + p[u + 1]! * 0x100 + p[u + 2]! * 0x10000 + p[u + 3]! * 0x1000000;
    if (this.gap.arrive(0, sec * 1000 + usec / 1000)) this.idle();
    this.s.events++;
    this.lineEvents++;
    if (type > EV_MAX) {
      this.bad = true;
      return;
    }
    if (type !== EV_KEY || value !== 1) return; // releases, autorepeat, SYN, MSC
    if (code === KEY_ENTER || code === KEY_KPENTER) {
      if (this.overlong) this.s.oversized++;
      else if (this.bad) this.s.badFormat++;
      else if (this.text.length > 0) {
        this.s.frames++;
        out.push({ kind: 'line', text: this.text });
      }
      if (this.overlong || this.bad) this.s.garbageBytes += this.lineEvents * this.size;
      this.lineEvents = 0;
      this.text = '';
      this.bad = this.overlong = false;
      return;
    }
    if (SHIFT_KEYS.has(code)) return;
    const ch = KEY_CHARS.get(code);
    if (ch === undefined) this.bad = true;
    else if (this.text.length >= this.maxLength) this.overlong = true;
    else this.text += ch;
  }
}
