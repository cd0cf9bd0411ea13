// A Wiegand → serial / USB converter (protocols.md §3.6): takes one Wiegand burst, checks it
// as the converter would, and returns the bytes it writes. Output kinds:
// - `hex-line`: WIE232-A / WG2RS232, W26 only → `XXYYZZ\r`
// - `decimal-line`: S4A → 10 digits + CR LF for W26/W34; a 4-bit key as ASCII, an 8-bit key raw
// - `keyboard`: a USB keyboard wedge typing the 10-digit decimal and Enter, as evdev records ([U])
import { encodeKeyboardWedge } from '../codecs/keyboard-wedge.ts';
import { encodeWiegandDecimalKey, encodeWiegandDecimalLine } from '../codecs/wiegand-decimal-line.ts';
import { encodeWiegandHexLine } from '../codecs/wiegand-hex-line.ts';
import { ESPHOME_KEYPAD, decodeWiegand, type KeypadMap, type WiegandBits } from '../codecs/wiegand.ts';

export type WiegandConverterOutput = 'hex-line' | 'decimal-line' | 'keyboard';

export interface WiegandConverterSimOptions {
  output: WiegandConverterOutput;
  keypad?: KeypadMap;
  /** For `keyboard`: evdev record size. Default 24. */
  eventSize?: 16 | 24;
}

export class WiegandConverterSim {
  private readonly o: Required<WiegandConverterSimOptions>;

  constructor(opts: WiegandConverterSimOptions) {
    this.o = { keypad: ESPHOME_KEYPAD, eventSize: 24, ...opts };
  }

  /** Bytes the converter writes for one burst; empty when it drops it (parity, unsupported). */
  burst(bits: WiegandBits, nowMs = 0): Uint8Array {
    const r = decodeWiegand(bits, this.o.keypad);
    if (!r.ok) return new Uint8Array(0);
    const f = r.frame;
    switch (this.o.output) {
      case 'hex-line':
        return f.kind === 'card' && f.format === 'w26' ? encodeWiegandHexLine(f.facility, f.card) : new Uint8Array(0);
      case 'decimal-line':
        return f.kind === 'card' ? encodeWiegandDecimalLine(f.data) : encodeWiegandDecimalKey(f.code, f.bits, this.o.keypad);
      case 'keyboard':
        return f.kind === 'card' ? encodeKeyboardWedge(String(f.data).padStart(10, '0'), { eventSize: this.o.eventSize, timeMs: nowMs }) : new Uint8Array(0);
    }
  }
}
