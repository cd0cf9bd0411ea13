import { describe, it, expect } from 'vitest';
import { Rdm6300Decoder, Rdm6300Sim, concatBytes, encodeRdm6300, formatEmCardNumber, fromHex, rdm6300Checksum } from '../../firmware-bridge/index.ts';
import { byteByByte, hx, pushAll, twoWaySplits } from './bytes-util.ts';

// protocols.md §1.5, every row: data bytes, checksum, wire frame, 10-digit, W26 fac,card.
const VERIFIED = [
  { data: '62E3086CED', sum: 0x08, wire: '02 36 32 45 33 30 38 36 43 45 44 30 38 03', dec10: '3808980205', w26: '008,27885' },
  { data: '01000734E0', sum: 0xd2, wire: '02 30 31 30 30 30 37 33 34 45 30 44 32 03', dec10: '0000472288', w26: '007,13536' },
  { data: '4500C5D1E9', sum: 0xb8, wire: '02 34 35 30 30 43 35 44 31 45 39 42 38 03', dec10: '0012964329', w26: '197,53737' },
  { data: '0000D507D0', sum: 0x02, wire: '02 30 30 30 30 44 35 30 37 44 30 30 32 03', dec10: '0013961168', w26: '213,02000' },
];

describe('RDM6300 / EM4100 (protocols.md §1)', () => {
  it.each(VERIFIED)('encodes and decodes the verified frame for $data', (v) => {
    expect(rdm6300Checksum(fromHex(v.data))).toBe(v.sum);
    expect(encodeRdm6300(v.data)).toEqual(hx(v.wire));
    const reads = new Rdm6300Decoder({ format: 'dec10' }).push(hx(v.wire), 0);
    expect(reads).toEqual([
      {
        kind: 'card',
        hex: v.data,
        version: fromHex(v.data)[0],
        id32: Number(v.dec10),
        number: v.dec10,
        atMs: 0,
      },
    ]);
    expect(new Rdm6300Decoder({ format: 'w26' }).push(hx(v.wire), 0)[0]!.number).toBe(v.w26);
    expect(new Rdm6300Decoder({ format: 'hex' }).push(hx(v.wire), 0)[0]!.number).toBe(v.data);
  });

  it('prints the other §1.4 formats: 8-digit W26 and the 40-bit decimal (Suprema example)', () => {
    expect(formatEmCardNumber(fromHex('0000D507D0'), 'w26-8')).toBe('21302000');
    expect(formatEmCardNumber(fromHex('4B00423C15'), 'dec40')).toBe('322126887957');
    expect(formatEmCardNumber(fromHex('4B00423C15'), 'dec10')).toBe('0004340757');
  });

  it('decodes a frame cut at every point, and one byte at a time', () => {
    const frame = hx(VERIFIED[0]!.wire);
    for (const chunks of [...twoWaySplits(frame), byteByByte(frame)]) {
      const dec = new Rdm6300Decoder();
      expect(pushAll(chunks, (c) => dec.push(c, 0)).map((r) => r.hex)).toEqual(['62E3086CED']);
      expect(dec.stats()).toMatchObject({ frames: 1, garbageBytes: 0, badChecksum: 0, badFormat: 0, truncated: 0 });
    }
  });

  it('decodes many frames in one chunk, lowercase hex, with garbage between them', () => {
    const lower = Uint8Array.from(encodeRdm6300('62e3086ced'), (c) => (c >= 0x41 && c <= 0x46 ? c + 0x20 : c));
    const input = concatBytes(hx('FF 00 41 03'), encodeRdm6300('01000734E0'), hx('0D 0A 55'), lower, hx('03 03'), encodeRdm6300('4500C5D1E9'));
    const dec = new Rdm6300Decoder({ format: 'hex' });
    expect(dec.push(input, 0).map((r) => r.hex)).toEqual(['01000734E0', '62E3086CED', '4500C5D1E9']);
    expect(dec.stats()).toMatchObject({ frames: 3, garbageBytes: 9 });
  });

  it('counts a bad checksum, a bad character, a cut frame, and resynchronises on the next frame', () => {
    const bad = encodeRdm6300('62E3086CED');
    bad[12] = 0x39; // checksum "09" instead of "08"
    const nonHex = encodeRdm6300('01000734E0');
    nonHex[5] = 0x47; // 'G'
    const cut = encodeRdm6300('4500C5D1E9').subarray(0, 8);
    const dec = new Rdm6300Decoder({ format: 'hex' });
    const reads = dec.push(concatBytes(bad, nonHex, cut, encodeRdm6300('0000D507D0')), 0);
    expect(reads.map((r) => r.hex)).toEqual(['0000D507D0']);
    expect(dec.stats()).toMatchObject({ frames: 1, badChecksum: 1, badFormat: 1, truncated: 1, garbageBytes: 14 + 14 + 8 });
  });

  it('flush() counts a pending partial frame as truncated', () => {
    const dec = new Rdm6300Decoder();
    expect(dec.push(encodeRdm6300('62E3086CED').subarray(0, 9), 0)).toEqual([]);
    dec.flush();
    expect(dec.push(encodeRdm6300('62E3086CED').subarray(9), 10)).toEqual([]);
    expect(dec.stats()).toMatchObject({ frames: 0, truncated: 1, garbageBytes: 14 });
  });

  it('never holds more than a frame of garbage', () => {
    const dec = new Rdm6300Decoder();
    const noise = new Uint8Array(100_000).fill(0x41);
    for (let k = 0; k < 10; k++) noise[k * 9000] = 0x02; // STX followed by hex that never ends
    expect(dec.push(noise, 0)).toEqual([]);
    expect(dec.push(encodeRdm6300('62E3086CED'), 0)).toHaveLength(1);
    expect(dec.stats().garbageBytes).toBe(100_000);
    expect(dec.stats().badFormat).toBe(10);
  });

  it('reports a held card once, again after holdMs without a frame, and a new card at once', () => {
    const a = encodeRdm6300('62E3086CED');
    const b = encodeRdm6300('01000734E0');
    const dec = new Rdm6300Decoder({ holdMs: 300, format: 'hex' });
    const seen: string[] = [];
    for (let t = 0; t <= 1950; t += 65) seen.push(...dec.push(a, t).map((r) => `${r.atMs}:${r.hex}`));
    seen.push(...dec.push(a, 1950 + 299).map((r) => r.hex)); // 299 ms gap: still the same presentation
    seen.push(...dec.push(a, 2249 + 300).map((r) => `${r.atMs}:${r.hex}`)); // lifted ≥ 300 ms, presented again
    seen.push(...dec.push(b, 2600).map((r) => r.hex));
    expect(seen).toEqual(['0:62E3086CED', '2549:62E3086CED', '01000734E0']);
    expect(dec.stats().suppressed).toBe(31);
    const all = new Rdm6300Decoder({ holdMs: 0 });
    expect(all.push(concatBytes(a, a, a), 0)).toHaveLength(3);
  });

  it('the simulator sends the exact frame, repeats it every 65 ms while held, and stops on removal', () => {
    const sim = new Rdm6300Sim();
    const dec = new Rdm6300Decoder({ format: 'dec10' });
    const out: string[] = [];
    const first = sim.present('0000D507D0', 1000);
    expect(first).toEqual(hx(VERIFIED[3]!.wire));
    out.push(...dec.push(first, 1000).map((r) => r.number));
    let frames = 1;
    for (let t = 1001; t < 1500; t++) {
      const b = sim.tick(t);
      if (b.length) frames++;
      out.push(...dec.push(b, t).map((r) => r.number));
    }
    sim.remove();
    expect(sim.tick(2000)).toHaveLength(0);
    expect(frames).toBe(8); // 1000, 1065, …, 1455
    expect(out).toEqual(['0013961168']);
  });

  it('refuses to encode something that is not 10 hex characters', () => {
    expect(() => encodeRdm6300('62E3086CE')).toThrow(RangeError);
    expect(() => encodeRdm6300('62E3086CEG')).toThrow(RangeError);
  });
});
