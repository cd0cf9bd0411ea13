// The fault counters every streaming decoder keeps. A rejected candidate frame is counted once
// under its reason; `garbageBytes` counts every byte that did not end up in an accepted frame
// (bytes of rejected frames included), except idle `00` fill where a protocol allows it.

export interface DecoderStats {
  /** Frames accepted. */
  frames: number;
  /** Bytes discarded: noise between frames and the bytes of rejected frames. */
  garbageBytes: number;
  /** Frames whose checksum / parity did not verify. */
  badChecksum: number;
  /** Frames with a wrong fixed byte, a non-hex character, a bad length, a missing end marker. */
  badFormat: number;
  /** Frames whose length field exceeds what the protocol allows. */
  oversized: number;
  /** Frames cut short: the next frame started inside them, or `flush()` found one pending. */
  truncated: number;
  /** Partial frames dropped because the line went quiet before they ended (`idle()`, idle-gap.ts). */
  idleResets: number;
}

export function emptyStats(): DecoderStats {
  return { frames: 0, garbageBytes: 0, badChecksum: 0, badFormat: 0, oversized: 0, truncated: 0, idleResets: 0 };
}

export type RejectReason = 'badChecksum' | 'badFormat' | 'oversized' | 'truncated';

/** Sum of the reject counters (codec-specific reasons are added by the caller). */
export function rejectedCount(s: DecoderStats): number {
  return s.badChecksum + s.badFormat + s.oversized + s.truncated + s.idleResets;
}

/**
 * Feeds `chunk` into `win` piece by piece, running `parse` after each piece. Every parser leaves
 * fewer bytes than one maximal frame, so a window of twice that size always has room; should a
 * parser ever fail to, the window is cleared and the bytes reported through `overflow` rather
 * than looping.
 */
export function feed(
  win: { fill(src: Uint8Array, from: number): number; readonly length: number; clear(): void },
  chunk: Uint8Array,
  parse: () => void,
  overflow: (droppedBytes: number) => void,
): void {
  let off = 0;
  while (off < chunk.length) {
    const n = win.fill(chunk, off);
    if (n === 0) {
      overflow(win.length);
      win.clear();
      continue;
    }
    off += n;
    parse();
  }
}
