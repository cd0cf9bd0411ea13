// Wiegand → serial converters of the S4A kind (protocols.md §3.6): a card is printed as 10
// ASCII decimal digits + CR LF (Wiegand `1E256` → `0000123478\r\n`); a 4-bit key as its ASCII
// character; an 8-bit key as the raw byte (high nibble = ones' complement of the low, §3.5).
// A lone digit is a key or the start of a card number; it is judged a key once `keyGapMs`
// passes without the rest of a line, or when an 11th digit shows it cannot be part of a card.
// An idle line (idle-gap.ts) settles it the same way: the converter prints a card line in one
// burst, so digits followed by a quiet line are keys, and a card line cut after its CR is dropped.
import { asciiBytes } from './bytes.ts';
import { emptyStats, type DecoderStats } from './decoder-stats.ts';
import { IDLE_GAP_FLOOR_MS } from './idle-gap.ts';
import { ESPHOME_KEYPAD, keyByteCode, keypadChar, type KeypadMap } from './wiegand.ts';

const CR = 0x0d;
const LF = 0x0a;
const DIGITS = 10;

export interface WiegandDecimalLineOptions {
  /** Quiet time after which pending digits are keys. Default: the idle gap, 100 ms (a card line takes ~13 ms at 9600 baud). */
  keyGapMs?: number;
  /** Characters of 8-bit key codes 10 and 11 (§3.5). Default ESPHome's `*`, `#`. */
  keypad?: KeypadMap;
}

export type WiegandDecimalItem =
  { kind: 'card'; digits: string; value: number; facility: number; card: number } | { kind: 'key'; key: string; source: 'ascii' | 'byte' };

/** `DDDDDDDDDD\r\n` for a W26 (24-bit) or W34 (32-bit) data value. */
export function encodeWiegandDecimalLine(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`value 0..2^32-1: ${value}`);
  return asciiBytes(String(value).padStart(DIGITS, '0') + '\r\n');
}

/** What the converter sends for a key: the ASCII character (4-bit) or the raw byte (8-bit). */
export function encodeWiegandDecimalKey(code: number, bits: 4 | 8, keypad: KeypadMap = ESPHOME_KEYPAD): Uint8Array {
  const ch = keypadChar(code, keypad);
  if (ch === null) throw new RangeError(`keypad code 0..11: ${code}`);
  return bits === 4 ? asciiBytes(ch) : Uint8Array.of(((~code & 0x0f) << 4) | code);
}

export class WiegandDecimalLineDecoder {
  private readonly keyGapMs: number;
  private readonly keypad: KeypadMap;
  private pending = '';
  private sawCr = false;
  private lastAtMs = 0;
  private readonly s: DecoderStats = emptyStats();

  constructor(opts: WiegandDecimalLineOptions = {}) {
    this.keyGapMs = opts.keyGapMs ?? IDLE_GAP_FLOOR_MS;
    this.keypad = opts.keypad ?? ESPHOME_KEYPAD;
  }

  push(chunk: Uint8Array, nowMs: number): WiegandDecimalItem[] {
    const out: WiegandDecimalItem[] = [];
    for (let i = 0; i < chunk.length; i++) this.byte(chunk[i]!, out);
    if (chunk.length > 0) this.lastAtMs = nowMs;
    return out;
  }

  /** Pending digits become keys once the line has been quiet for `keyGapMs`. */
  tick(nowMs: number): WiegandDecimalItem[] {
    const out: WiegandDecimalItem[] = [];
    if (!this.sawCr && this.pending.length > 0 && nowMs - this.lastAtMs >= this.keyGapMs) this.digitsAsKeys(out);
    return out;
  }

  /**
   * The line went quiet (idle-gap.ts): lone digits are keys (a card line would have gone on), a
   * line cut between its CR and LF is dropped and counted, so nothing is glued to the next line.
   */
  idle(): WiegandDecimalItem[] {
    const out: WiegandDecimalItem[] = [];
    if (this.sawCr) {
      this.sawCr = false;
      this.s.idleResets++;
      this.s.garbageBytes += this.pending.length + 1;
      this.pending = '';
    } else this.digitsAsKeys(out);
    return out;
  }

  /** End of stream: an unterminated card line counts as truncated; lone digits are keys. */
  flush(): WiegandDecimalItem[] {
    const out: WiegandDecimalItem[] = [];
    if (this.sawCr) this.reject('truncated', this.pending.length + 1);
    else this.digitsAsKeys(out);
    return out;
  }

  stats(): DecoderStats {
    return { ...this.s };
  }

  private byte(c: number, out: WiegandDecimalItem[]): void {
    if (this.sawCr) {
      this.sawCr = false;
      if (c === LF && this.pending.length === DIGITS) {
        const value = Number(this.pending);
        if (value <= 0xffffffff) {
          this.s.frames++;
          out.push({ kind: 'card', digits: this.pending, value, facility: Math.floor(value / 0x10000), card: value % 0x10000 });
          this.pending = '';
          return;
        }
      }
      this.reject('badFormat', this.pending.length + 1 + (c === LF ? 1 : 0));
      if (c === LF) return;
    }
    if (c >= 0x30 && c <= 0x39) {
      // A card number is exactly 10 digits, so an 11th pending digit means the oldest was a key.
      if (this.pending.length === DIGITS) this.digitsAsKeys(out, 1);
      this.pending += String.fromCharCode(c);
    } else if (c === CR) {
      if (this.pending.length === DIGITS) this.sawCr = true;
      else this.reject('badFormat', this.pending.length + 1);
    } else if (c === this.keypad[10].charCodeAt(0) || c === this.keypad[11].charCodeAt(0)) {
      this.digitsAsKeys(out);
      out.push({ kind: 'key', key: String.fromCharCode(c), source: 'ascii' });
      this.s.frames++;
    } else if (keyByteCode(c) >= 0) {
      this.digitsAsKeys(out);
      out.push({ kind: 'key', key: keypadChar(keyByteCode(c), this.keypad)!, source: 'byte' });
      this.s.frames++;
    } else {
      // Noise: pending digits cannot be trusted as keys either.
      if (this.pending.length > 0) this.reject('badFormat', this.pending.length);
      this.s.garbageBytes++;
    }
  }

  private digitsAsKeys(out: WiegandDecimalItem[], count = this.pending.length): void {
    for (let k = 0; k < count; k++) {
      out.push({ kind: 'key', key: this.pending[k]!, source: 'ascii' });
      this.s.frames++;
    }
    this.pending = this.pending.slice(count);
  }

  private reject(reason: 'badFormat' | 'truncated', bytes: number): void {
    this.s[reason]++;
    this.s.garbageBytes += bytes;
    this.pending = '';
  }
}
