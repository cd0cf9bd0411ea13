import { describe, it, expect } from 'vitest';
import {
  KeyboardWedgeDecoder,
  WiegandConverterSim,
  WiegandDecimalLineDecoder,
  WiegandHexLineDecoder,
  asciiBytes,
  concatBytes,
  encodeKeyboardWedge,
  encodeWiegand26,
  encodeWiegand34,
  encodeWiegandDecimalKey,
  encodeWiegandDecimalLine,
  encodeWiegandHexLine,
  encodeWiegandKey,
} from '../../firmware-bridge/index.ts';
import { byteByByte, hx, pushAll, twoWaySplits } from './bytes-util.ts';

describe('WIE232-A / WG2RS232 hex lines (protocols.md §3.6)', () => {
  it('prints the 24 data bits of a W26 burst as XXYYZZ\\r and decodes them back', () => {
    expect(encodeWiegandHexLine(12, 62363)).toEqual(asciiBytes('0CF39B\r'));
    const frame = encodeWiegandHexLine(213, 2000);
    for (const chunks of [...twoWaySplits(frame), byteByByte(frame)]) {
      const dec = new WiegandHexLineDecoder();
      expect(pushAll(chunks, (c) => dec.push(c))).toEqual([{ kind: 'card', format: 'w26', facility: 213, card: 2000, data: 0xd507d0 }]);
    }
  });

  it('tolerates CR LF and lowercase, rejects bad lines and resumes on the next CR', () => {
    const dec = new WiegandHexLineDecoder();
    const input = concatBytes(asciiBytes('010001\r\n0cf39b\r\nXYZ\r12345\r1234567890\r'), encodeWiegandHexLine(8, 27885));
    expect(dec.push(input).map((c) => `${c.facility},${c.card}`)).toEqual(['1,1', '12,62363', '8,27885']);
    expect(dec.stats()).toMatchObject({ frames: 3, badFormat: 2, oversized: 1 });
  });

  it('accepts 8 hex characters (W34) only when asked to', () => {
    expect(new WiegandHexLineDecoder().push(asciiBytes('E3086CED\r'))).toEqual([]);
    expect(new WiegandHexLineDecoder({ allowW34: true }).push(asciiBytes('E3086CED\r'))).toEqual([
      { kind: 'card', format: 'w34', facility: 0xe308, card: 0x6ced, data: 0xe3086ced },
    ]);
  });
});

describe('S4A decimal lines (protocols.md §3.6)', () => {
  it('Wiegand 1E256 → 30 30 30 30 31 32 33 34 37 38 0D 0A, exactly, and back', () => {
    const wire = hx('30 30 30 30 31 32 33 34 37 38 0D 0A');
    expect(encodeWiegandDecimalLine(0x1e256)).toEqual(wire);
    for (const chunks of [...twoWaySplits(wire), byteByByte(wire)]) {
      const dec = new WiegandDecimalLineDecoder();
      expect(pushAll(chunks, (c) => dec.push(c, 0))).toEqual([{ kind: 'card', digits: '0000123478', value: 123478, facility: 1, card: 0xe256 }]);
    }
  });

  it('keys: ASCII digits after a quiet gap, * and # at once, 8-bit raw bytes with the nibble check', () => {
    const dec = new WiegandDecimalLineDecoder({ keyGapMs: 100 });
    expect(dec.push(encodeWiegandDecimalKey(5, 4), 0)).toEqual([]);
    expect(dec.tick(99)).toEqual([]);
    expect(dec.tick(100)).toEqual([{ kind: 'key', key: '5', source: 'ascii' }]);
    expect(dec.push(concatBytes(encodeWiegandDecimalKey(7, 4), encodeWiegandDecimalKey(11, 4)), 200)).toEqual([
      { kind: 'key', key: '7', source: 'ascii' },
      { kind: 'key', key: '#', source: 'ascii' },
    ]);
    expect(encodeWiegandDecimalKey(1, 8)).toEqual(hx('E1'));
    expect(dec.push(hx('E1 A5 E5'), 300)).toEqual([
      { kind: 'key', key: '1', source: 'byte' },
      { kind: 'key', key: '5', source: 'byte' },
    ]);
    expect(dec.stats().garbageBytes).toBe(1); // E5 fails the nibble check
  });

  it('a key typed just before a card line is split off the 11 digits', () => {
    const dec = new WiegandDecimalLineDecoder();
    const out = dec.push(concatBytes(asciiBytes('3'), encodeWiegandDecimalLine(848795)), 0);
    expect(out).toEqual([
      { kind: 'key', key: '3', source: 'ascii' },
      { kind: 'card', digits: '0000848795', value: 848795, facility: 12, card: 62363 },
    ]);
  });

  it('rejects a line without LF, too short, or above 2^32 − 1, and decodes the next one', () => {
    const dec = new WiegandDecimalLineDecoder();
    const input = concatBytes(asciiBytes('0000123478\rX123\r\n9999999999\r\n'), encodeWiegandDecimalLine(0xffffffff));
    expect(
      dec
        .push(input, 0)
        .filter((i) => i.kind === 'card')
        .map((i) => (i.kind === 'card' ? i.value : 0)),
    ).toEqual([0xffffffff]);
    expect(dec.stats().badFormat).toBe(3);
  });
});

describe('USB keyboard wedge, evdev records (protocols.md §3.6 [U])', () => {
  it.each([24, 16] as const)('types a number and Enter; the decoder reads it back (%i-byte records)', (eventSize) => {
    const ev = encodeKeyboardWedge('0013961168', { eventSize, timeMs: 1_700_000_000_123 });
    expect(ev.length).toBe(11 * 4 * eventSize);
    // First record: EV_KEY (1), KEY_0 (11), press (1).
    expect(Array.from(ev.subarray(eventSize - 8, eventSize))).toEqual([1, 0, 11, 0, 1, 0, 0, 0]);
    for (const chunks of [[ev], byteByByte(ev), ...twoWaySplits(ev).filter((_, k) => k % 7 === 0)]) {
      const dec = new KeyboardWedgeDecoder({ eventSize });
      expect(pushAll(chunks, (c) => dec.push(c))).toEqual([{ kind: 'line', text: '0013961168' }]);
    }
  });

  it('reads hex IDs, drops lines with foreign keys or too long', () => {
    const dec = new KeyboardWedgeDecoder({ maxLength: 12 });
    const foreign = encodeKeyboardWedge('12');
    foreign[24 * 4 + 18] = 16; // second key → KEY_Q
    const input = concatBytes(encodeKeyboardWedge('62e3086ced'), foreign, encodeKeyboardWedge('1234567890123'), encodeKeyboardWedge('7'));
    expect(dec.push(input).map((l) => l.text)).toEqual(['62E3086CED', '7']);
    expect(dec.stats()).toMatchObject({ frames: 2, badFormat: 1, oversized: 1 });
  });
});

describe('converter simulator: Wiegand burst in, converter bytes out', () => {
  it('hex-line: W26 only; parity errors are dropped as the converter does', () => {
    const sim = new WiegandConverterSim({ output: 'hex-line' });
    expect(sim.burst(encodeWiegand26(12, 62363))).toEqual(asciiBytes('0CF39B\r'));
    expect(sim.burst(encodeWiegand34(1))).toHaveLength(0);
    const bad = encodeWiegand26(12, 62363);
    bad[3]! ^= 1;
    expect(sim.burst(bad)).toHaveLength(0);
  });

  it('decimal-line: the Soyal example (site 12, card 62363) prints 0000848795; keys as ASCII / raw', () => {
    const sim = new WiegandConverterSim({ output: 'decimal-line' });
    expect(sim.burst(encodeWiegand26(12, 62363))).toEqual(asciiBytes('0000848795\r\n'));
    expect(sim.burst(encodeWiegand34(0xe3086ced))).toEqual(asciiBytes('3808980205\r\n'));
    expect(sim.burst(encodeWiegandKey(10, 4))).toEqual(asciiBytes('*'));
    expect(sim.burst(encodeWiegandKey(5, 8))).toEqual(hx('A5'));
  });

  it('keyboard: a W26 card is typed as its 10-digit decimal', () => {
    const sim = new WiegandConverterSim({ output: 'keyboard' });
    expect(new KeyboardWedgeDecoder().push(sim.burst(encodeWiegand26(213, 2000)))).toEqual([{ kind: 'line', text: '0013961168' }]);
  });
});
