import { describe, it, expect } from 'vitest';
import {
  OsdpCmd,
  OsdpDecoder,
  OsdpReply,
  concatBytes,
  decodeBuz,
  decodeLed,
  decodeOsdpReply,
  decodeOut,
  encodeBuz,
  encodeComset,
  encodeIdRequest,
  encodeKeypad,
  encodeKeyset,
  encodeLed,
  encodeOsdpPacket,
  encodeOut,
  encodePdcap,
  encodePdid,
  encodeRaw,
  osdpChecksum,
  osdpCrc16,
  toHex,
  type OsdpPacket,
} from '../../firmware-bridge/index.ts';
import { byteByByte, hx, pushAll, twoWaySplits } from './bytes-util.ts';

type P = Omit<OsdpPacket, 'mac'>;
const cmd = (address: number, sqn: number, code: number, data: ArrayLike<number> = [], extra: Partial<P> = {}): P => ({
  address,
  reply: false,
  sqn,
  crc: true,
  mark: false,
  scb: null,
  code,
  data: Uint8Array.from(data),
  ...extra,
});
const rep = (address: number, sqn: number, code: number, data: ArrayLike<number> = [], extra: Partial<P> = {}): P =>
  cmd(address, sqn, code, data, { reply: true, ...extra });

const LED_EXAMPLE = {
  reader: 0,
  led: 0,
  temporary: { controlCode: 2, onTime: 5, offTime: 5, onColor: 1, offColor: 0, timer: 30 },
  permanent: { controlCode: 1, onTime: 1, offTime: 0, onColor: 2, offColor: 0 },
};

// protocols.md §5.6 (captured against libosdp) and §5.2 (Annex-E): the encoder must reproduce each.
const FRAMES: Array<[string, P, string]> = [
  ['CP POLL seq0', cmd(1, 0, OsdpCmd.POLL), '53 01 08 00 04 60 BA 00'],
  ['PD ACK', rep(1, 0, OsdpReply.ACK), '53 81 08 00 04 40 08 06'],
  ['CP ID seq1', cmd(1, 1, OsdpCmd.ID, encodeIdRequest()), '53 01 09 00 05 61 00 50 14'],
  [
    'PD PDID',
    rep(1, 1, OsdpReply.PDID, encodePdid({ vendor: 0x0a0b0c, model: 3, version: 2, serial: 0x11223344, firmware: { major: 1, minor: 2, build: 3 } })),
    '53 81 14 00 05 45 0C 0B 0A 03 02 44 33 22 11 01 02 03 3A 67',
  ],
  ['CP CAP seq2', cmd(1, 2, OsdpCmd.CAP, [0]), '53 01 09 00 06 62 00 53 18'],
  [
    'PD PDCAP',
    rep(
      1,
      2,
      OsdpReply.PDCAP,
      encodePdcap([
        { fn: 2, compliance: 1, items: 1 },
        { fn: 4, compliance: 1, items: 1 },
        { fn: 5, compliance: 1, items: 1 },
        { fn: 8, compliance: 1, items: 0 },
        { fn: 9, compliance: 1, items: 0 },
        { fn: 10, compliance: 0, items: 1 },
        { fn: 16, compliance: 2, items: 0 },
      ]),
    ),
    '53 81 1D 00 06 46 02 01 01 04 01 01 05 01 01 08 01 00 09 01 00 0A 00 01 10 02 00 BC 0F',
  ],
  [
    'CP LED seq3',
    cmd(
      1,
      3,
      OsdpCmd.LED,
      encodeLed([{ ...LED_EXAMPLE, temporary: { ...LED_EXAMPLE.temporary, onColor: 1 }, permanent: { ...LED_EXAMPLE.permanent, onColor: 2 } }]),
    ),
    '53 01 16 00 07 69 00 00 02 05 05 01 00 1E 00 01 01 00 02 00 A3 74',
  ],
  ['PD ACK seq3', rep(1, 3, OsdpReply.ACK), '53 81 08 00 07 40 5B 53'],
  ['CP BUZ seq1', cmd(1, 1, OsdpCmd.BUZ, encodeBuz({ reader: 0, tone: 2, onTime: 3, offTime: 3, count: 2 })), '53 01 0D 00 05 6A 00 02 03 03 02 FC 11'],
  ['CP POLL seq3', cmd(1, 3, OsdpCmd.POLL), '53 01 08 00 07 60 E9 55'],
  ['PD KEYPAD 1234', rep(1, 3, OsdpReply.KEYPAD, encodeKeypad(0, '1234')), '53 81 0E 00 07 53 00 04 31 32 33 34 70 85'],
  ['CP POLL checksum with mark', cmd(1, 1, OsdpCmd.POLL, [], { crc: false, mark: true }), 'FF 53 01 07 00 01 60 44'],
  ['PD ACK mark mirrored', rep(1, 1, OsdpReply.ACK, [], { mark: true }), 'FF 53 81 08 00 05 40 39 35'],
  ['PD NAK 04', rep(1, 2, OsdpReply.NAK, [4]), '53 81 09 00 06 41 04 42 DF'],
  ['PD NAK 03', rep(1, 0, OsdpReply.NAK, [3]), '53 81 09 00 04 41 03 C5 C1'],
  ['broadcast reply FF', rep(0x7f, 2, OsdpReply.ACK), '53 FF 08 00 06 40 44 B2'],
  ['POLL address 0', cmd(0, 0, OsdpCmd.POLL), '53 00 08 00 04 60 EB AA'],
  [
    'RAW W26 fac 1 card 1',
    rep(1, 2, OsdpReply.RAW, encodeRaw({ reader: 0, format: 1, bits: 26, data: hx('80 80 00 80') })),
    '53 81 10 00 06 50 00 01 1A 00 80 80 00 80 E7 E1',
  ],
  ['OUT 0 temporary on 5 s', cmd(1, 2, OsdpCmd.OUT, encodeOut([{ output: 0, controlCode: 5, timer: 50 }])), '53 01 0C 00 06 68 00 05 32 00 39 37'],
  // Annex-E
  ['COMSET broadcast CRC', cmd(0x7f, 0, OsdpCmd.COMSET, encodeComset({ address: 0, baud: 9600 })), '53 7F 0D 00 04 6E 00 80 25 00 00 6E 38'],
  ['ID address 0 CRC', cmd(0, 0, OsdpCmd.ID, [0]), '53 00 09 00 04 61 00 C0 66'],
  ['COMSET broadcast checksum', cmd(0x7f, 0, OsdpCmd.COMSET, encodeComset({ address: 0, baud: 9600 }), { crc: false }), '53 7F 0C 00 00 6E 00 80 25 00 00 0F'],
  ['ID address 0 checksum', cmd(0, 0, OsdpCmd.ID, [0], { crc: false }), '53 00 08 00 00 61 00 44'],
];

describe('OSDP check bytes', () => {
  it('CRC-16/AUG-CCITT check value for "123456789" is E5CC', () => {
    expect(osdpCrc16(new TextEncoder().encode('123456789'))).toBe(0xe5cc);
  });
  it('checksum is the two’s complement of the byte sum', () => {
    expect(osdpChecksum(hx('53 00 08 00 00 61 00'))).toBe(0x44);
  });
});

describe('OSDP packets, byte-exact against protocols.md §5.2/§5.6', () => {
  for (const [name, p, wire] of FRAMES) {
    it(`${name}: encodes to ${wire}`, () => {
      expect(toHex(encodeOsdpPacket(p), ' ')).toBe(wire);
    });
    it(`${name}: decodes back, whole, byte by byte and in every two-way split`, () => {
      const bytes = hx(wire);
      for (const chunks of [[bytes], byteByByte(bytes), ...twoWaySplits(bytes)]) {
        const dec = new OsdpDecoder();
        const got = pushAll(chunks, (c) => dec.push(c));
        expect(got).toHaveLength(1);
        const g = got[0]!;
        expect({ ...g, frame: undefined }).toEqual({ ...p, address: p.address & 0x7f, mac: null, frame: undefined });
        expect(toHex(encodeOsdpPacket(g), ' ')).toBe(wire);
        expect(dec.stats().garbageBytes).toBe(0);
      }
    });
  }

  it('reads the payloads of the captured replies', () => {
    const dec = new OsdpDecoder();
    const all = dec.push(hx(FRAMES.map((f) => f[2]).join(' ')));
    expect(all).toHaveLength(FRAMES.length);
    const replies = all.filter((p) => p.reply).map((p) => decodeOsdpReply(p.code, p.data));
    expect(replies).toContainEqual({
      kind: 'pdid',
      id: { vendor: 0x0a0b0c, model: 3, version: 2, serial: 0x11223344, firmware: { major: 1, minor: 2, build: 3 } },
    });
    expect(replies).toContainEqual({ kind: 'keypad', reader: 0, keys: '1234' });
    expect(replies).toContainEqual({ kind: 'nak', code: 4, reason: 'sequence-number' });
    expect(replies).toContainEqual({ kind: 'nak', code: 3, reason: 'unknown-command' });
    expect(replies).toContainEqual({ kind: 'raw', card: { reader: 0, format: 1, bits: 26, data: hx('80 80 00 80') } });
    const cap = replies.find((r) => r.kind === 'pdcap');
    expect(cap?.kind === 'pdcap' && cap.caps.find((c) => c.fn === 10)).toEqual({ fn: 10, compliance: 0, items: 1 });
  });

  it('command payloads decode to what was encoded', () => {
    expect(decodeLed(encodeLed([LED_EXAMPLE]))).toEqual([LED_EXAMPLE]);
    expect(decodeBuz(encodeBuz({ reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 }))).toEqual({ reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 });
    expect(decodeOut(encodeOut([{ output: 1, controlCode: 2, timer: 0 }]))).toEqual([{ output: 1, controlCode: 2, timer: 0 }]);
    expect(toHex(encodeKeyset(hx('00112233445566778899AABBCCDDEEFF')), ' ')).toBe('01 10 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF');
  });

  it('encoders refuse values a field cannot hold', () => {
    expect(() => encodeOsdpPacket(cmd(128, 0, 0x60))).toThrow(/address/);
    expect(() => encodeOsdpPacket(cmd(1, 4, 0x60))).toThrow(/sequence/);
    expect(() => encodeLed([{ ...LED_EXAMPLE, led: 256 }])).toThrow(/LED number/);
    expect(() => encodeKeyset(new Uint8Array(8))).toThrow(/16 bytes/);
    expect(() => encodeOsdpPacket(cmd(1, 1, 0x60, [], { scb: hx('02 15') }))).toThrow(/MAC/);
  });

  it('a malformed reply payload decodes to invalid, never throws', () => {
    expect(decodeOsdpReply(OsdpReply.PDID, hx('01 02')).kind).toBe('invalid');
    expect(decodeOsdpReply(OsdpReply.RAW, hx('00 01 1A 00 80')).kind).toBe('invalid');
    expect(decodeOsdpReply(OsdpReply.KEYPAD, hx('00 02 31')).kind).toBe('invalid');
    expect(decodeOsdpReply(OsdpReply.KEYPAD, hx('00 01 01')).kind).toBe('invalid');
    expect(decodeOsdpReply(OsdpReply.ACK, hx('00')).kind).toBe('invalid');
  });
});

describe('OSDP decoder resync and rejects', () => {
  const poll = hx('53 01 08 00 04 60 BA 00');
  const ack = hx('53 81 08 00 04 40 08 06');

  it('finds a packet behind noise full of SOM bytes and counts the noise', () => {
    const dec = new OsdpDecoder();
    const got = dec.push(concatBytes(hx('53 53 00 12 53 FF FF'), poll));
    expect(got.map((p) => p.code)).toEqual([0x60]);
    expect(dec.stats().frames).toBe(1);
    expect(dec.stats().garbageBytes).toBeGreaterThan(0);
  });

  it('a bad CRC is counted and the next packet still decodes', () => {
    const bad = poll.slice();
    bad[5] = bad[5]! ^ 0x01;
    const dec = new OsdpDecoder();
    expect(dec.push(concatBytes(bad, ack)).map((p) => p.code)).toEqual([0x40]);
    expect(dec.stats().badChecksum).toBe(1);
  });

  it('a LEN over the maximum is oversized and does not hold back the next packet', () => {
    const dec = new OsdpDecoder();
    expect(dec.push(concatBytes(hx('53 01 FF 7F 04'), ack)).map((p) => p.code)).toEqual([0x40]);
    expect(dec.stats().oversized).toBe(1);
  });

  it('a bogus LEN inside the limit holds back only until the packet is complete, then resyncs', () => {
    const dec = new OsdpDecoder();
    // LEN 0x30 swallows the ACK; once 0x30 bytes are in, the check fails and the ACK is found.
    const got = dec.push(concatBytes(hx('53 01 30 00 04'), ack, new Uint8Array(48)));
    expect(got.map((p) => p.code)).toEqual([0x40]);
    expect(dec.stats().badChecksum).toBe(1);
  });

  it('reserved CTRL bits, a bad security block and a too-short LEN are format errors', () => {
    const dec = new OsdpDecoder();
    dec.push(hx('53 01 08 00 14 60 00 00'));
    dec.push(hx('53 01 0A 00 0C 02 99 60 00 00'));
    dec.push(hx('53 01 03 00'));
    expect(dec.stats().badFormat).toBe(3);
    expect(dec.stats().frames).toBe(0);
  });

  it('flush drops a pending half packet as truncated', () => {
    const dec = new OsdpDecoder();
    expect(dec.push(poll.subarray(0, 5))).toEqual([]);
    dec.flush();
    expect(dec.stats().truncated).toBe(1);
    expect(dec.push(poll)).toHaveLength(1);
  });
});
