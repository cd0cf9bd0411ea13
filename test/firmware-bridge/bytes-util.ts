// Test helpers: hex literals and every way of cutting a byte stream.
import { fromHex } from '../../firmware-bridge/index.ts';

/** `hx('02 36 32')` → bytes. */
export const hx = (text: string): Uint8Array => fromHex(text);

/** Every split of `bytes` into two chunks (cut after 0..n bytes). */
export function twoWaySplits(bytes: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [];
  for (let k = 0; k <= bytes.length; k++) out.push([bytes.subarray(0, k), bytes.subarray(k)]);
  return out;
}

/** One byte per chunk. */
export const byteByByte = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (b) => Uint8Array.of(b));

/** Pushes every chunk through `push` and collects the items. */
export function pushAll<T>(chunks: Uint8Array[], push: (c: Uint8Array) => T[]): T[] {
  return chunks.flatMap((c) => push(c));
}
