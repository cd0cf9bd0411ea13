import { describe, it, expect } from 'vitest';
import {
  PN532_ACK,
  PN532_ERROR_FRAME,
  PN532_NACK,
  Pn532Decoder,
  concatBytes,
  describePn532Status,
  encodeInListPassiveTargetA,
  encodePn532Frame,
  encodePn532Response,
  getFirmwareVersion,
  inListPassiveTarget,
  parseFirmwareVersion,
  parseInListPassiveTargetA,
  rfConfigurationRetries,
  samConfiguration,
  type Pn532Frame,
} from '../../firmware-bridge/index.ts';
import { byteByByte, hx, pushAll, twoWaySplits } from './bytes-util.ts';

const info = (f: Pn532Frame | undefined): Uint8Array => (f?.kind === 'info' ? f.data : new Uint8Array(0));

// protocols.md §2.5: every verified frame and the builder that must reproduce it.
const COMMANDS: Array<[string, Uint8Array, string]> = [
  ['SAMConfiguration, mode only (libnfc)', samConfiguration([0x01]), '00 00 FF 03 FD D4 14 01 17 00'],
  ['SAMConfiguration 01 14 01 (Adafruit)', samConfiguration(), '00 00 FF 05 FB D4 14 01 14 01 02 00'],
  ['SAMConfiguration response', encodePn532Response(0x14), '00 00 FF 02 FE D5 15 16 00'],
  ['GetFirmwareVersion', getFirmwareVersion(), '00 00 FF 02 FE D4 02 2A 00'],
  ['GetFirmwareVersion response', encodePn532Response(0x02, [0x32, 0x01, 0x06, 0x07]), '00 00 FF 06 FA D5 03 32 01 06 07 E8 00'],
  ['RFConfiguration item 5', rfConfigurationRetries(0x01), '00 00 FF 06 FA D4 32 05 FF 01 01 F4 00'],
  ['RFConfiguration response', encodePn532Response(0x32), '00 00 FF 02 FE D5 33 F8 00'],
  ['InListPassiveTarget 1, 106 kbps A', inListPassiveTarget(1, 0x00), '00 00 FF 04 FC D4 4A 01 00 E1 00'],
];

// §2.6 verified InListPassiveTarget responses.
const TARGETS = [
  { name: '4-byte UID', uid: 'DEADBEEF', atqa: 0x0004, sak: 0x08, wire: '00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 DE AD BE EF 96 00' },
  { name: '7-byte UID', uid: '04112233445566', atqa: 0x0044, sak: 0x00, wire: '00 00 FF 0F F1 D5 4B 01 01 00 44 00 07 04 11 22 33 44 55 66 2A 00' },
  { name: '4-byte UID, SAK 18', uid: '01020304', atqa: 0x0002, sak: 0x18, wire: '00 00 FF 0C F4 D5 4B 01 01 00 02 18 04 01 02 03 04 B6 00' },
  { name: 'real capture (cnblogs)', uid: '901F2AA4', atqa: 0x0004, sak: 0x08, wire: '00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 90 1F 2A A4 51 00' },
];

describe('PN532 frames (protocols.md §2.2, §2.3, §2.5, §2.6)', () => {
  it.each(COMMANDS)('%s is byte-exact and decodes back', (_name, built, wire) => {
    expect(built).toEqual(hx(wire));
    const [f] = new Pn532Decoder().push(hx(wire));
    expect(f).toMatchObject({ kind: 'info', extended: false, tfi: hx(wire)[5] });
    expect(encodePn532Frame(f!.kind === 'info' ? f!.tfi : 0, info(f))).toEqual(hx(wire));
  });

  it.each(TARGETS)('InListPassiveTarget response, $name: exact bytes and decoded target', (t) => {
    const payload = encodeInListPassiveTargetA([{ uid: hx(t.uid), atqa: t.atqa, sak: t.sak }]);
    expect(encodePn532Response(0x4a, payload)).toEqual(hx(t.wire));
    const frames = new Pn532Decoder().push(hx(t.wire));
    expect(parseInListPassiveTargetA(info(frames[0]))).toEqual([{ tg: 1, atqa: t.atqa, sak: t.sak, uid: hx(t.uid), uidHex: t.uid, ats: null }]);
  });

  it('no target: exact bytes, empty list', () => {
    expect(encodePn532Response(0x4a, encodeInListPassiveTargetA([]))).toEqual(hx('00 00 FF 03 FD D5 4B 00 E0 00'));
    expect(parseInListPassiveTargetA(hx('4B 00'))).toEqual([]);
  });

  it('10-byte UIDs and an ATS (ISO14443-4, SAK 20) round-trip', () => {
    const uid = hx('08 11 22 33 44 55 66 77 88 99');
    const ats = hx('06 75 77 81 02 80');
    const wire = encodePn532Response(0x4a, encodeInListPassiveTargetA([{ uid, atqa: 0x0344, sak: 0x20, ats }]));
    const [t] = parseInListPassiveTargetA(info(new Pn532Decoder().push(wire)[0]))!;
    expect(t).toEqual({ tg: 1, atqa: 0x0344, sak: 0x20, uid, uidHex: '08112233445566778899', ats });
  });

  it('rejects malformed target lists (bad UID length, short, wrong Tg, trailing bytes)', () => {
    expect(parseInListPassiveTargetA(hx('4B 01 01 00 04 08 05 01 02 03 04 05'))).toBeNull();
    expect(parseInListPassiveTargetA(hx('4B 01 01 00 04 08 04 01 02 03'))).toBeNull();
    expect(parseInListPassiveTargetA(hx('4B 01 02 00 04 08 04 01 02 03 04'))).toBeNull();
    expect(parseInListPassiveTargetA(hx('4B 01 01 00 04 08 04 01 02 03 04 03 AA'))).toBeNull();
    expect(parseInListPassiveTargetA(hx('03 00'))).toBeNull();
  });

  it('parses the firmware response and the §2.7 status byte', () => {
    expect(parseFirmwareVersion(hx('03 32 01 06 07'))).toEqual({ ic: 0x32, ver: 1, rev: 6, support: 7 });
    expect(parseFirmwareVersion(hx('03 32 01'))).toBeNull();
    expect(describePn532Status(0x41)).toEqual({ code: 1, name: 'timeout', more: true, nad: false });
    expect(describePn532Status(0x94)).toEqual({ code: 0x14, name: 'mifare-auth', more: false, nad: true });
  });

  it('decodes ACK, NACK and the application-level error frame', () => {
    expect(PN532_ACK).toEqual(hx('00 00 FF 00 FF 00'));
    expect(PN532_NACK).toEqual(hx('00 00 FF FF 00 00'));
    expect(PN532_ERROR_FRAME).toEqual(hx('00 00 FF 01 FF 7F 81 00'));
    const dec = new Pn532Decoder();
    expect(dec.push(concatBytes(PN532_ACK, PN532_NACK, PN532_ERROR_FRAME))).toEqual([{ kind: 'ack' }, { kind: 'nack' }, { kind: 'error' }]);
    expect(dec.stats()).toMatchObject({ frames: 3, garbageBytes: 0 });
  });

  it('builds and parses extended frames (LENm LENl LCS), automatically above 254 data bytes', () => {
    const data = Uint8Array.from({ length: 260 }, (_, i) => i & 0xff);
    const ext = encodePn532Frame(0xd5, data);
    expect(Array.from(ext.subarray(0, 8))).toEqual([0x00, 0x00, 0xff, 0xff, 0xff, 0x01, 0x05, 0xfa]);
    expect(ext.length).toBe(8 + 261 + 2);
    expect(new Pn532Decoder().push(ext)).toEqual([{ kind: 'info', tfi: 0xd5, data, extended: true }]);
    expect(encodePn532Frame(0xd4, Uint8Array.of(0x02, 0x00), { extended: false }).length).toBe(10);
    expect(encodePn532Frame(0xd4, new Uint8Array(254))[3]).toBe(0xff); // LEN FF, LCS 01: still normal
    expect(encodePn532Frame(0xd4, new Uint8Array(255))[3]).toBe(0xff);
    expect(encodePn532Frame(0xd4, new Uint8Array(255))[4]).toBe(0xff); // extended marker
    const small = encodePn532Frame(0xd4, hx('4A 01 00'), { extended: true });
    expect(new Pn532Decoder().push(small)).toEqual([{ kind: 'info', tfi: 0xd4, data: hx('4A 01 00'), extended: true }]);
    expect(() => encodePn532Frame(0xd4, new Uint8Array(265))).toThrow(RangeError);
  });

  it('decodes a frame cut at every point, and one byte at a time', () => {
    const frame = hx(TARGETS[1]!.wire);
    for (const chunks of [...twoWaySplits(frame), byteByByte(frame)]) {
      const dec = new Pn532Decoder();
      const frames = pushAll(chunks, (c) => dec.push(c));
      expect(frames).toHaveLength(1);
      expect(dec.stats()).toMatchObject({ frames: 1, garbageBytes: 0, badChecksum: 0 });
    }
  });

  it('tolerates extra leading 00 bytes and garbage between frames', () => {
    const dec = new Pn532Decoder();
    const input = concatBytes(hx('00 00 00 00'), PN532_ACK, hx('55 55 12 FF'), hx(TARGETS[0]!.wire), hx('AB'), hx(COMMANDS[2]![2]));
    expect(dec.push(input).map((f) => f.kind)).toEqual(['ack', 'info', 'info']);
    expect(dec.stats()).toMatchObject({ frames: 3, garbageBytes: 5 });
  });

  it('counts bad LCS, bad DCS, a bad postamble, a cut frame and an oversized extended length; resyncs each time', () => {
    const good = hx(TARGETS[0]!.wire);
    const badLcs = good.slice();
    badLcs[4] = 0xf5;
    const badDcs = good.slice();
    badDcs[17]! ^= 0x01;
    const badPost = good.slice();
    badPost[18] = 0x01;
    const cut = good.subarray(0, 12);
    const oversized = hx('00 00 FF FF FF 02 00 FE D5 4B');
    const dec = new Pn532Decoder();
    const frames = dec.push(concatBytes(badLcs, good, badDcs, good, badPost, good, cut, good, oversized, good));
    expect(frames).toHaveLength(5);
    expect(dec.stats()).toMatchObject({ frames: 5, badChecksum: 2, badFormat: 1, truncated: 1, oversized: 1 });
  });

  it('drops a frame whose TFI is neither D4 nor D5 without waiting for its length', () => {
    const dec = new Pn532Decoder();
    expect(dec.push(hx('00 00 FF 40 C0 AA 01 02'))).toEqual([]);
    expect(dec.push(PN532_ACK)).toEqual([{ kind: 'ack' }]);
    expect(dec.stats().badFormat).toBe(1);
  });
});
