// RDM6300 / EM4100 125 kHz reader frames (protocols.md §1): STX, 10 ASCII hex characters
// (version byte + 4 ID bytes), 2 ASCII hex characters of the XOR checksum, ETX. The module
// only transmits (§1.1) and repeats the frame while the card is held (§1.3).
import { ByteWindow } from './byte-window.ts';
import { asciiBytes, hexNibble, toHex } from './bytes.ts';
import { emptyStats, feed, type DecoderStats, type RejectReason } from './decoder-stats.ts';
import type { CardFormat } from '../../contracts/readers.ts';
import { formatEmCardNumber } from './em-card-number.ts';
import { RepeatSuppressor } from './repeat-suppressor.ts';

const STX = 0x02;
const ETX = 0x03;
export const RDM6300_FRAME_LEN = 14;

export interface Rdm6300Options {
  /** Identical reads closer together than this are one presentation (§1.3). Default 300; 0 = off. */
  holdMs?: number;
  /** How `number` is printed (§1.4). Default `dec10`, what ESPHome and arduino12 return. */
  format?: CardFormat;
}

export interface Rdm6300Read {
  kind: 'card';
  /** The full 40-bit ID as 10 uppercase hex characters. */
  hex: string;
  /** First data byte: version / customer ID (§1.4 `V`). */
  version: number;
  /** Bytes 2..5 as big-endian uint32 (§1.4 `id32`). */
  id32: number;
  /** The ID printed in the reader's configured format. */
  number: string;
  atMs: number;
}

export interface Rdm6300Stats extends DecoderStats {
  /** Valid frames not reported because the same card was still held. */
  suppressed: number;
}

/** XOR of the 5 data bytes (§1.2). */
export function rdm6300Checksum(data: ArrayLike<number>): number {
  let x = 0;
  for (let i = 0; i < 5; i++) x ^= data[i]! & 0xff;
  return x;
}

/** The exact 14 bytes a reader sends for `cardHex` (10 hex characters, any case). */
export function encodeRdm6300(cardHex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{10}$/.test(cardHex)) throw new RangeError(`RDM6300 card must be 10 hex characters: ${cardHex}`);
  const data: number[] = [];
  for (let i = 0; i < 5; i++) data.push(parseInt(cardHex.slice(i * 2, i * 2 + 2), 16));
  const frame = new Uint8Array(RDM6300_FRAME_LEN);
  frame[0] = STX;
  frame.set(asciiBytes(cardHex.toUpperCase() + toHex([rdm6300Checksum(data)])), 1);
  frame[13] = ETX;
  return frame;
}

/** Streaming decoder: push any split of the serial byte stream, get card reads back. */
export class Rdm6300Decoder {
  private readonly win = new ByteWindow(RDM6300_FRAME_LEN * 2);
  private readonly suppressor: RepeatSuppressor;
  private readonly format: CardFormat;
  private readonly s: Rdm6300Stats = { ...emptyStats(), suppressed: 0 };
  private readonly data = new Uint8Array(6);

  constructor(opts: Rdm6300Options = {}) {
    this.suppressor = new RepeatSuppressor(opts.holdMs ?? 300);
    this.format = opts.format ?? 'dec10';
  }

  /** `nowMs` is the caller's clock (epoch or monotonic ms), used only for repeat suppression. */
  push(chunk: Uint8Array, nowMs: number): Rdm6300Read[] {
    const out: Rdm6300Read[] = [];
    feed(
      this.win,
      chunk,
      () => this.parse(out, nowMs),
      (n) => (this.s.garbageBytes += n),
    );
    return out;
  }

  /** The line went quiet (idle-gap.ts): the module sends a frame in one burst, so a partial one is dropped. */
  idle(): void {
    const b = this.win.bytes();
    if (b.length > 0 && b[0] === STX) this.s.idleResets++;
    this.s.garbageBytes += b.length;
    this.win.clear();
  }

  /** End of stream (port closed / reopened): a pending partial frame counts as truncated. */
  flush(): void {
    const b = this.win.bytes();
    if (b.length > 0 && b[0] === STX) this.s.truncated++;
    this.s.garbageBytes += b.length;
    this.win.clear();
  }

  /** Forget the held card, e.g. after the reader was reconnected. */
  resetHold(): void {
    this.suppressor.reset();
  }

  stats(): Rdm6300Stats {
    return { ...this.s };
  }

  private parse(out: Rdm6300Read[], nowMs: number): void {
    const b = this.win.bytes();
    const n = b.length;
    let pos = 0;
    while (pos < n) {
      const i = b.indexOf(STX, pos);
      if (i < 0) {
        this.s.garbageBytes += n - pos;
        pos = n;
        break;
      }
      this.s.garbageBytes += i - pos;
      pos = i;
      const avail = Math.min(n - i, RDM6300_FRAME_LEN);
      // §1.2 parser advice: 12 hex characters, then ETX; judge as soon as a byte is wrong so a
      // cut frame does not swallow the STX of the next one.
      let reason: RejectReason | null = null;
      for (let k = 1; k < avail && k <= 12; k++) {
        const c = b[i + k]!;
        if (hexNibble(c) < 0) {
          reason = c === STX ? 'truncated' : 'badFormat';
          break;
        }
      }
      if (reason === null && avail === RDM6300_FRAME_LEN && b[i + 13] !== ETX) reason = 'badFormat';
      if (reason === null && avail < RDM6300_FRAME_LEN) break; // wait for the rest
      if (reason === null && !this.decodeAt(b, i)) reason = 'badChecksum';
      if (reason !== null) {
        this.s[reason]++;
        this.s.garbageBytes++;
        pos = i + 1;
        continue;
      }
      pos = i + RDM6300_FRAME_LEN;
      this.s.frames++;
      const hex = formatEmCardNumber(this.data, 'hex');
      if (!this.suppressor.accept(hex, nowMs)) {
        this.s.suppressed++;
        continue;
      }
      const d = this.data;
      out.push({
        kind: 'card',
        hex,
        version: d[0]!,
        id32: ((d[1]! << 24) | (d[2]! << 16) | (d[3]! << 8) | d[4]!) >>> 0,
        number: this.format === 'hex' ? hex : formatEmCardNumber(d, this.format),
        atMs: nowMs,
      });
    }
    this.win.drop(pos);
  }

  /** Hex-decodes the 6 bytes of the frame at `i` into `data`; true when the XOR is 0 (§1.2). */
  private decodeAt(b: Uint8Array, i: number): boolean {
    let x = 0;
    for (let k = 0; k < 6; k++) {
      const v = (hexNibble(b[i + 1 + 2 * k]!) << 4) | hexNibble(b[i + 2 + 2 * k]!);
      this.data[k] = v;
      x ^= v;
    }
    return x === 0;
  }
}
