// Assembles Wiegand bursts from D0/D1 pulses (protocols.md §3.1): one falling edge = one bit,
// D0 → 0, D1 → 1; a burst ends after `gapMs` without a pulse and is judged by its bit count.
// Pure: the GPIO driver passes each edge with its timestamp and calls `tick` periodically.
import { ESPHOME_KEYPAD, decodeWiegand, type KeypadMap, type WiegandFrame } from './wiegand.ts';

export interface WiegandReceiverOptions {
  /** Silence that ends a burst: 25–100 ms in the references (§3.1). Default 50. */
  gapMs?: number;
  /** Longest burst kept; longer ones are dropped as oversized. Default 64. */
  maxBits?: number;
  keypad?: KeypadMap;
}

export interface WiegandReceiverStats {
  frames: number;
  badParity: number;
  badLength: number;
  badKey: number;
  oversized: number;
}

export class WiegandReceiver {
  private readonly gapMs: number;
  private readonly maxBits: number;
  private readonly keypad: KeypadMap;
  private bits: number[] = [];
  private count = 0;
  private lastAtMs = 0;
  private readonly s: WiegandReceiverStats = { frames: 0, badParity: 0, badLength: 0, badKey: 0, oversized: 0 };

  constructor(opts: WiegandReceiverOptions = {}) {
    this.gapMs = opts.gapMs ?? 50;
    this.maxBits = opts.maxBits ?? 64;
    this.keypad = opts.keypad ?? ESPHOME_KEYPAD;
  }

  /** A falling edge on D0 (`line` 0) or D1 (`line` 1) at `atMs`. */
  pulse(line: 0 | 1, atMs: number): WiegandFrame[] {
    const out = this.count > 0 && atMs - this.lastAtMs >= this.gapMs ? this.finish() : [];
    if (this.count < this.maxBits) this.bits.push(line === 1 ? 1 : 0);
    this.count++;
    this.lastAtMs = atMs;
    return out;
  }

  /** Call periodically (e.g. every 10–20 ms); completes a burst once the line has been quiet `gapMs`. */
  tick(nowMs: number): WiegandFrame[] {
    return this.count > 0 && nowMs - this.lastAtMs >= this.gapMs ? this.finish() : [];
  }

  stats(): WiegandReceiverStats {
    return { ...this.s };
  }

  private finish(): WiegandFrame[] {
    const bits = this.bits;
    const count = this.count;
    this.bits = [];
    this.count = 0;
    if (count > this.maxBits) {
      this.s.oversized++;
      return [];
    }
    const r = decodeWiegand(bits, this.keypad);
    if (r.ok) {
      this.s.frames++;
      return [r.frame];
    }
    if (r.reason === 'parity') this.s.badParity++;
    else if (r.reason === 'length') this.s.badLength++;
    else this.s.badKey++;
    return [];
  }
}
