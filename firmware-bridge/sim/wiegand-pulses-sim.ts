// A Wiegand reader's output as D0/D1 pulses (protocols.md §3.1): one low pulse per bit, `0` on
// D0, `1` on D1, MSB first, `intervalMs` apart (2 ms on typical readers). The GPIO simulator
// replays these as falling edges into a `WiegandReceiver`.
import type { WiegandBits } from '../codecs/wiegand.ts';

export interface WiegandPulse {
  /** 0 = D0, 1 = D1. */
  line: 0 | 1;
  atMs: number;
}

export function wiegandPulses(bits: WiegandBits, startMs: number, intervalMs = 2): WiegandPulse[] {
  const out: WiegandPulse[] = [];
  for (let i = 0; i < bits.length; i++) out.push({ line: bits[i] === 1 ? 1 : 0, atMs: startMs + i * intervalMs });
  return out;
}
