// Wiegand frames as bit arrays (protocols.md §3): 26-bit H10301 (§3.2), 34-bit (§3.3) and
// 4-/8-bit keypad bursts (§3.5). Bits are in the order sent: index 0 = first bit = leading
// parity. Decoding checks parity; encoding computes it.

/** One Wiegand burst: 0/1 values, first-sent first. */
export type WiegandBits = ArrayLike<number>;

/** Keypad code → character for codes 10 and 11; vendors disagree (§3.5). ESPHome's is the default. */
export interface KeypadMap {
  10: string;
  11: string;
}
export const ESPHOME_KEYPAD: KeypadMap = { 10: '*', 11: '#' };
export const MONKEYBOARD_KEYPAD: KeypadMap = { 10: '#', 11: '*' };

export interface WiegandCard {
  kind: 'card';
  format: 'w26' | 'w34';
  /** W26: 8-bit facility; W34: the high 16 data bits (Promag split, §3.3). */
  facility: number;
  /** The low 16 data bits. */
  card: number;
  /** The data bits without parity: 24 (W26) or 32 (W34) bits. */
  data: number;
}

export interface WiegandKey {
  kind: 'key';
  key: string;
  /** Keypad code 0..11. */
  code: number;
  bits: 4 | 8;
}

export type WiegandFrame = WiegandCard | WiegandKey;

export type WiegandReject = 'parity' | 'length' | 'key-check';

export type WiegandResult = { ok: true; frame: WiegandFrame } | { ok: false; reason: WiegandReject };

function ones(bits: WiegandBits, from: number, to: number): number {
  let c = 0;
  for (let i = from; i < to; i++) c += bits[i]! & 1;
  return c;
}

/** Unsigned value of `bits[from..to)` MSB first (up to 53 bits). */
export function bitsToNumber(bits: WiegandBits, from = 0, to = bits.length): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 2 + (bits[i]! & 1);
  return v;
}

/** `count` bits of `value`, MSB first. */
export function numberToBits(value: number, count: number): number[] {
  const out = new Array<number>(count);
  let v = value;
  for (let i = count - 1; i >= 0; i--) {
    out[i] = v % 2;
    v = Math.floor(v / 2);
  }
  return out;
}

/** The burst left-aligned in bytes, MSB first: the OSDP RAW card-data form of §3.4. */
export function bitsToRawBytes(bits: WiegandBits): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]! & 1) out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

/** Wraps `data` (n bits) in even leading parity over the first half and odd trailing over the second. */
function withParity(data: number[]): number[] {
  const half = data.length / 2;
  const even = ones(data, 0, half) % 2; // makes the first half plus this bit even
  const odd = 1 - (ones(data, half, data.length) % 2); // makes the second half plus this bit odd
  return [even, ...data, odd];
}

/** W26 (§3.2): facility 0–255, card 0–65535. */
export function encodeWiegand26(facility: number, card: number): number[] {
  if (!Number.isInteger(facility) || facility < 0 || facility > 0xff) throw new RangeError(`W26 facility 0..255: ${facility}`);
  if (!Number.isInteger(card) || card < 0 || card > 0xffff) throw new RangeError(`W26 card 0..65535: ${card}`);
  return withParity(numberToBits(facility * 0x10000 + card, 24));
}

/** W34 (§3.3): 32 data bits (e.g. `facility16 << 16 | card16`, or a card serial). */
export function encodeWiegand34(data: number): number[] {
  if (!Number.isInteger(data) || data < 0 || data > 0xffffffff) throw new RangeError(`W34 data 0..2^32-1: ${data}`);
  return withParity(numberToBits(data, 32));
}

/** Keypad burst (§3.5): 4 bits = the code; 8 bits = ones' complement nibble + code. */
export function encodeWiegandKey(code: number, bits: 4 | 8): number[] {
  if (!Number.isInteger(code) || code < 0 || code > 11) throw new RangeError(`keypad code 0..11: ${code}`);
  return bits === 4 ? numberToBits(code, 4) : numberToBits(((~code & 0x0f) << 4) | code, 8);
}

/** Character of keypad code 0..11, null for other codes (§3.5). */
export function keypadChar(code: number, keypad: KeypadMap = ESPHOME_KEYPAD): string | null {
  if (code <= 9) return String(code);
  if (code === 10 || code === 11) return keypad[code];
  return null;
}

/** Judges one burst by its bit count (§3.1) and checks parity / the key nibble check. */
export function decodeWiegand(bits: WiegandBits, keypad: KeypadMap = ESPHOME_KEYPAD): WiegandResult {
  const n = bits.length;
  if (n === 26 || n === 34) {
    const half = (n - 2) / 2;
    // §3.2/§3.3: the leading bit gives the first half + itself even parity, the trailing bit
    // gives the second half + itself odd parity.
    if (ones(bits, 0, half + 1) % 2 !== 0 || ones(bits, half + 1, n) % 2 !== 1) return { ok: false, reason: 'parity' };
    const data = bitsToNumber(bits, 1, n - 1);
    const format = n === 26 ? 'w26' : 'w34';
    return { ok: true, frame: { kind: 'card', format, facility: Math.floor(data / 0x10000), card: data % 0x10000, data } };
  }
  if (n === 4 || n === 8) {
    const v = bitsToNumber(bits);
    if (n === 8 && v >> 4 !== (~v & 0x0f)) return { ok: false, reason: 'key-check' };
    const code = v & 0x0f;
    const key = keypadChar(code, keypad);
    if (key === null) return { ok: false, reason: 'key-check' };
    return { ok: true, frame: { kind: 'key', key, code, bits: n } };
  }
  return { ok: false, reason: 'length' };
}

/** Keypad code of a raw 8-bit key byte (§3.5), or -1 when the nibble check fails or the code is > 11. */
export function keyByteCode(byte: number): number {
  const code = byte & 0x0f;
  return byte >> 4 === (~code & 0x0f) && code <= 11 ? code : -1;
}
