// Small byte helpers shared by the codecs: hex text <-> bytes, concatenation, search.
// Pure functions; the only ones that throw are the parsers of caller-supplied text.

const HEX = '0123456789ABCDEF';

/** Uppercase hex of `bytes`, optionally separated (`sep = ' '` gives `02 36 32`). */
export function toHex(bytes: ArrayLike<number>, sep = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0xff;
    if (i > 0) s += sep;
    s += HEX[b >> 4]! + HEX[b & 0x0f]!;
  }
  return s;
}

/** Parses hex text; spaces, colons and `0x` prefixes are ignored. Throws on anything else. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new RangeError(`not hex: ${JSON.stringify(text)}`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function concatBytes(...parts: ArrayLike<number>[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** First index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: ArrayLike<number>, from = 0): number {
  const n = needle.length;
  if (n === 0) return from <= hay.length ? from : -1;
  const first = needle[0]!;
  for (let i = hay.indexOf(first, from); i >= 0 && i + n <= hay.length; i = hay.indexOf(first, i + 1)) {
    let k = 1;
    while (k < n && hay[i + k] === needle[k]) k++;
    if (k === n) return i;
  }
  return -1;
}

/** ASCII '0'-'9', 'A'-'F', 'a'-'f' → 0..15, anything else → -1. */
export function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** ASCII bytes of a string of code points < 0x80. */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f;
  return out;
}
