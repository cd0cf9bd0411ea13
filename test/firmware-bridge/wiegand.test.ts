import { describe, it, expect } from 'vitest';
import {
  ESPHOME_KEYPAD,
  MONKEYBOARD_KEYPAD,
  WiegandReceiver,
  bitsToNumber,
  bitsToRawBytes,
  decodeWiegand,
  encodeWiegand26,
  encodeWiegand34,
  encodeWiegandKey,
  wiegandPulses,
  type WiegandFrame,
} from '../../firmware-bridge/index.ts';
import { hx } from './bytes-util.ts';

const bits = (s: string): number[] => [...s.replace(/\s/g, '')].map(Number);

// protocols.md §3.4 worked examples.
const W26 = [
  { fac: 1, card: 1, bits: '1 00000001 0000000000000001 0', value: 0x2020002, raw: '80 80 00 80' },
  { fac: 12, card: 62363, bits: '0 00001100 1111001110011011 0', value: 0x019e736, raw: '06 79 CD 80' },
  { fac: 213, card: 2000, bits: '1 11010101 0000011111010000 1', value: 0x3aa0fa1, raw: 'EA 83 E8 40' },
  { fac: 8, card: 27885, bits: '1 00001000 0110110011101101 1', value: 0x210d9db, raw: '84 36 76 C0' },
];
const W34 = [
  { data: 0x00d507d0, bits: '1 0000000011010101 0000011111010000 1', value: 0x201aa0fa1 },
  { data: 0xe3086ced, bits: '0 1110001100001000 0110110011101101 1', value: 0x1c610d9db },
];

describe('Wiegand 26 / 34 (protocols.md §3.2–§3.4)', () => {
  it.each(W26)('W26 fac $fac card $card: bits, value, OSDP raw bytes, decode', (v) => {
    const b = encodeWiegand26(v.fac, v.card);
    expect(b).toEqual(bits(v.bits));
    expect(bitsToNumber(b)).toBe(v.value);
    expect(bitsToRawBytes(b)).toEqual(hx(v.raw));
    expect(decodeWiegand(b)).toEqual({
      ok: true,
      frame: { kind: 'card', format: 'w26', facility: v.fac, card: v.card, data: v.fac * 65536 + v.card },
    });
  });

  it.each(W34)('W34 data $data: bits, value, decode', (v) => {
    const b = encodeWiegand34(v.data);
    expect(b).toEqual(bits(v.bits));
    expect(bitsToNumber(b)).toBe(v.value);
    expect(decodeWiegand(b)).toEqual({
      ok: true,
      frame: { kind: 'card', format: 'w34', facility: v.data >>> 16, card: v.data & 0xffff, data: v.data },
    });
  });

  it("agrees with ESPHome's parity rule on the 26-bit integer (§3.2)", () => {
    const pop = (x: number): number => x.toString(2).split('1').length - 1;
    for (const v of W26) {
      const n = v.value;
      expect(pop((n >> 13) & 0x1fff) % 2).toBe(0);
      expect(pop(n & 0x1fff) % 2).toBe(1);
      expect((n >> 1) & 0xffffff).toBe(v.fac * 65536 + v.card);
    }
  });

  it('the EM reader card 0013961168 in W26 mode is fac 213 card 2000 (§1.5 ↔ §3.4)', () => {
    expect(encodeWiegand26((13961168 >>> 16) & 0xff, 13961168 & 0xffff)).toEqual(bits(W26[2]!.bits));
  });

  it('rejects every single-bit error in W26 and W34 frames', () => {
    for (const b of [...W26.map((v) => bits(v.bits)), ...W34.map((v) => bits(v.bits))]) {
      for (let i = 0; i < b.length; i++) {
        const flipped = b.slice();
        flipped[i]! ^= 1;
        expect(decodeWiegand(flipped)).toEqual({ ok: false, reason: 'parity' });
      }
    }
  });

  it('rejects bursts of other lengths', () => {
    expect(decodeWiegand(bits(W26[0]!.bits).slice(1))).toEqual({ ok: false, reason: 'length' });
    expect(decodeWiegand([])).toEqual({ ok: false, reason: 'length' });
    expect(decodeWiegand(new Array(37).fill(0))).toEqual({ ok: false, reason: 'length' });
  });

  it('decodes 4- and 8-bit keypad bursts, checks the 8-bit nibbles, and maps * / # as configured (§3.5)', () => {
    expect(encodeWiegandKey(1, 8)).toEqual(bits('11100001')); // 0xE1
    expect(encodeWiegandKey(5, 8)).toEqual(bits('10100101')); // 0xA5
    expect(decodeWiegand(bits('11100001'))).toEqual({ ok: true, frame: { kind: 'key', key: '1', code: 1, bits: 8 } });
    expect(decodeWiegand(bits('0111'))).toEqual({ ok: true, frame: { kind: 'key', key: '7', code: 7, bits: 4 } });
    expect(decodeWiegand(bits('11100101'))).toEqual({ ok: false, reason: 'key-check' });
    expect(decodeWiegand(bits('1100'))).toEqual({ ok: false, reason: 'key-check' });
    expect(decodeWiegand(encodeWiegandKey(10, 4), ESPHOME_KEYPAD)).toMatchObject({ frame: { key: '*' } });
    expect(decodeWiegand(encodeWiegandKey(10, 4), MONKEYBOARD_KEYPAD)).toMatchObject({ frame: { key: '#' } });
    expect(decodeWiegand(encodeWiegandKey(11, 8), MONKEYBOARD_KEYPAD)).toMatchObject({ frame: { key: '*' } });
  });

  it('refuses to encode out-of-range values', () => {
    expect(() => encodeWiegand26(256, 0)).toThrow(RangeError);
    expect(() => encodeWiegand26(0, 65536)).toThrow(RangeError);
    expect(() => encodeWiegand34(2 ** 32)).toThrow(RangeError);
    expect(() => encodeWiegandKey(12, 4)).toThrow(RangeError);
  });
});

describe('Wiegand receiver: pulses → bursts (protocols.md §3.1)', () => {
  const feed = (rx: WiegandReceiver, b: number[], startMs: number, intervalMs = 2): WiegandFrame[] =>
    wiegandPulses(b, startMs, intervalMs).flatMap((p) => rx.pulse(p.line, p.atMs));

  it('ends a burst after gapMs of silence, not before', () => {
    const rx = new WiegandReceiver({ gapMs: 50 });
    expect(feed(rx, encodeWiegand26(12, 62363), 1000)).toEqual([]);
    expect(rx.tick(1050 + 49)).toEqual([]); // last pulse at 1050
    expect(rx.tick(1100)).toEqual([{ kind: 'card', format: 'w26', facility: 12, card: 62363, data: 848795 }]);
    expect(rx.tick(2000)).toEqual([]);
  });

  it('splits back-to-back bursts on the gap, and also on the next pulse when nobody ticked', () => {
    const rx = new WiegandReceiver({ gapMs: 25 });
    const out = [...feed(rx, encodeWiegandKey(1, 4), 0), ...feed(rx, encodeWiegandKey(2, 4), 40), ...feed(rx, encodeWiegand34(0xe3086ced), 100)];
    out.push(...rx.tick(1000));
    expect(out.map((f) => (f.kind === 'key' ? f.key : f.data))).toEqual(['1', '2', 0xe3086ced]);
  });

  it('counts parity errors, odd lengths, bad keys and oversized bursts', () => {
    const rx = new WiegandReceiver({ gapMs: 25, maxBits: 40 });
    const bad = encodeWiegand26(1, 1);
    bad[5]! ^= 1;
    feed(rx, bad, 0);
    feed(rx, new Array(30).fill(1), 100);
    feed(rx, bits('11110001'), 200);
    feed(rx, new Array(100).fill(0), 300);
    feed(rx, encodeWiegand26(1, 1), 600);
    expect(rx.tick(1000)).toHaveLength(1);
    expect(rx.stats()).toEqual({ frames: 1, badParity: 1, badLength: 1, badKey: 1, oversized: 1 });
  });
});
