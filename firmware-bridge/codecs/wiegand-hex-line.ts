// Wiegand → RS-232 converters of the Priority 1 Design WIE232-A / generic WG2RS232 kind
// (protocols.md §3.6): after its own parity check the converter prints the 24 data bits of a
// W26 burst as 6 ASCII hex characters and a CR: `XXYYZZ\r` (XX = facility, YYZZ = card).
// The format has no start marker, so a line is everything since the previous CR or the last
// idle gap (idle-gap.ts): the converter prints a line in one burst, so a quiet line means what
// came before it was noise or a cut line, and it must not become the front of the next card.
import { asciiBytes, hexNibble, toHex } from './bytes.ts';
import { emptyStats, type DecoderStats } from './decoder-stats.ts';
import type { WiegandCard } from './wiegand.ts';

const CR = 0x0d;
const LF = 0x0a;

export interface WiegandHexLineOptions {
  /** Also accept 8 hex characters as the 32 data bits of a W34 burst (not in §3.6). Default false. */
  allowW34?: boolean;
}

/** `XXYYZZ\r` for the 24 data bits of a W26 burst. */
export function encodeWiegandHexLine(facility: number, card: number): Uint8Array {
  if (facility < 0 || facility > 0xff || card < 0 || card > 0xffff) throw new RangeError('W26 facility 0..255, card 0..65535');
  return asciiBytes(toHex([facility, card >> 8, card & 0xff]) + '\r');
}

export class WiegandHexLineDecoder {
  private readonly maxChars: number;
  private readonly allowW34: boolean;
  private readonly line: number[] = [];
  private chars = 0;
  private bad = false;
  private readonly s: DecoderStats = emptyStats();

  constructor(opts: WiegandHexLineOptions = {}) {
    this.allowW34 = opts.allowW34 ?? false;
    this.maxChars = this.allowW34 ? 8 : 6;
  }

  push(chunk: Uint8Array): WiegandCard[] {
    const out: WiegandCard[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === CR) {
        this.endLine(out);
      } else if (c === LF && this.chars === 0) {
        // A CR LF converter: the LF starts an empty line; tolerate it silently.
      } else {
        const v = hexNibble(c);
        if (v < 0) this.bad = true;
        else if (this.chars < this.maxChars) this.line.push(v);
        this.chars++;
      }
    }
    return out;
  }

  /** The line went quiet (idle-gap.ts): an unterminated line is dropped and counted. */
  idle(): void {
    if (this.chars > 0) {
      this.s.idleResets++;
      this.s.garbageBytes += this.chars;
    }
    this.resetLine();
  }

  /** End of stream: an unterminated line counts as truncated. */
  flush(): void {
    if (this.chars > 0) {
      this.s.truncated++;
      this.s.garbageBytes += this.chars;
    }
    this.resetLine();
  }

  stats(): DecoderStats {
    return { ...this.s };
  }

  private endLine(out: WiegandCard[]): void {
    const n = this.chars;
    if (n === 0) return; // lone CR: nothing to judge
    if (n > this.maxChars) this.s.oversized++;
    else if (this.bad || (n !== 6 && !(this.allowW34 && n === 8))) this.s.badFormat++;
    else {
      let data = 0;
      for (const v of this.line) data = data * 16 + v;
      this.s.frames++;
      const format = n === 6 ? 'w26' : 'w34';
      out.push({ kind: 'card', format, facility: Math.floor(data / 0x10000), card: data % 0x10000, data });
      this.resetLine();
      return;
    }
    this.s.garbageBytes += n + 1;
    this.resetLine();
  }

  private resetLine(): void {
    this.line.length = 0;
    this.chars = 0;
    this.bad = false;
  }
}
