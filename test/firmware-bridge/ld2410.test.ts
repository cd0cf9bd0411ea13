import { describe, it, expect } from 'vitest';
import {
  Ld2410Decoder,
  Ld2410Sim,
  concatBytes,
  encodeLd2410Ack,
  encodeLd2410Command,
  encodeLd2410Report,
  ld2410EnableConfig,
  ld2410EndConfig,
  ld2410EngineeringMode,
  ld2410ReadFirmware,
  ld2410ReadParameters,
  ld2410SetGatesAndDuration,
  type Ld2410Item,
} from '../../firmware-bridge/index.ts';
import { byteByByte, hx, pushAll, twoWaySplits } from './bytes-util.ts';

// protocols.md §4.2 worked examples.
const OUR_BASIC = hx('F4 F3 F2 F1 0D 00 02 AA 03 78 00 3C 96 00 28 96 00 55 00 F8 F7 F6 F5');
const HILINK_BASIC = hx('F4 F3 F2 F1 0D 00 02 AA 02 51 00 00 00 00 3B 00 00 55 00 F8 F7 F6 F5');
// The Hi-Link engineering example, bytes as transcribed in ncmreynolds/ld2410 docs (§4 sources).
const HILINK_ENGINEERING = hx(
  'F4 F3 F2 F1 23 00 01 AA 03 1E 00 3C 00 00 39 00 00 08 08 3C 22 05 03 03 04 03 06 05 00 00 39 10 13 06 06 08 04 03 05 55 00 F8 F7 F6 F5',
);

const basic = (over: Partial<Parameters<typeof encodeLd2410Report>[0]> = {}): Uint8Array =>
  encodeLd2410Report({
    targetState: 3,
    movingDistanceCm: 120,
    movingEnergy: 60,
    stationaryDistanceCm: 150,
    stationaryEnergy: 40,
    detectionDistanceCm: 150,
    ...over,
  });

describe('LD2410 report frames (protocols.md §4.2)', () => {
  it('our basic frame: exact bytes from the fields, and decoded back', () => {
    expect(basic()).toEqual(OUR_BASIC);
    expect(new Ld2410Decoder().push(OUR_BASIC)).toEqual([
      {
        kind: 'report',
        targetState: 3,
        moving: true,
        stationary: true,
        movingDistanceCm: 120,
        movingEnergy: 60,
        stationaryDistanceCm: 150,
        stationaryEnergy: 40,
        detectionDistanceCm: 150,
        engineering: null,
        light: null,
        outPin: null,
      },
    ]);
  });

  it('the Hi-Link basic example decodes as documented and re-encodes identically', () => {
    const [r] = new Ld2410Decoder().push(HILINK_BASIC);
    expect(r).toMatchObject({
      kind: 'report',
      targetState: 2,
      moving: false,
      stationary: true,
      movingDistanceCm: 81,
      movingEnergy: 0,
      stationaryDistanceCm: 0,
      stationaryEnergy: 59,
      detectionDistanceCm: 0,
    });
    expect(encodeLd2410Report(r as Parameters<typeof encodeLd2410Report>[0])).toEqual(HILINK_BASIC);
  });

  it('the Hi-Link engineering example (45 bytes, length 0x23) decodes per gate and re-encodes identically', () => {
    expect(HILINK_ENGINEERING.length).toBe(45);
    const [r] = new Ld2410Decoder().push(HILINK_ENGINEERING);
    expect(r).toMatchObject({
      targetState: 3,
      movingDistanceCm: 30,
      movingEnergy: 60,
      stationaryDistanceCm: 0,
      stationaryEnergy: 57,
      detectionDistanceCm: 0,
      engineering: {
        maxMovingGate: 8,
        maxStationaryGate: 8,
        movingGateEnergy: [60, 34, 5, 3, 3, 4, 3, 6, 5],
        stationaryGateEnergy: [0, 0, 57, 16, 19, 6, 6, 8, 4],
        extra: hx('03 05'),
      },
      light: 3,
      outPin: false,
    });
    expect(encodeLd2410Report(r as Parameters<typeof encodeLd2410Report>[0])).toEqual(HILINK_ENGINEERING);
  });

  it('decodes frames cut at every point and one byte at a time', () => {
    for (const frame of [OUR_BASIC, HILINK_ENGINEERING]) {
      for (const chunks of [...twoWaySplits(frame), byteByByte(frame)]) {
        const dec = new Ld2410Decoder();
        expect(pushAll(chunks, (c) => dec.push(c))).toHaveLength(1);
        expect(dec.stats()).toMatchObject({ frames: 1, garbageBytes: 0 });
      }
    }
  });

  it('resyncs only on the full 4-byte header: 244 cm is F4 00, 253 cm is FD 00', () => {
    const tricky = basic({ movingDistanceCm: 244, stationaryDistanceCm: 253, detectionDistanceCm: 0xf3f4 });
    const input = concatBytes(hx('F4 F3 F2 FD FC FB F4'), tricky, hx('F4'), tricky, hx('FD FC'));
    const dec = new Ld2410Decoder();
    const out = dec.push(input);
    expect(out.map((r) => (r.kind === 'report' ? [r.movingDistanceCm, r.stationaryDistanceCm, r.detectionDistanceCm] : []))).toEqual([
      [244, 253, 0xf3f4],
      [244, 253, 0xf3f4],
    ]);
    expect(dec.stats()).toMatchObject({ frames: 2, garbageBytes: 8, badFormat: 0 });
  });

  it('counts a cut frame, a bad footer, a bad tail, an oversized length, out-of-range values; decodes what follows', () => {
    const badFooter = OUR_BASIC.slice();
    badFooter[22] = 0xf4;
    const badTail = OUR_BASIC.slice();
    badTail[17] = 0x54;
    const badState = basic({ targetState: 4 });
    const badEnergy = basic({ movingEnergy: 101 });
    const parts = [OUR_BASIC.subarray(0, 10), OUR_BASIC, badFooter, OUR_BASIC, badTail, hx('F4 F3 F2 F1 FF 00'), badState, badEnergy, OUR_BASIC];
    const dec = new Ld2410Decoder();
    expect(dec.push(concatBytes(...parts))).toHaveLength(3);
    expect(dec.stats()).toMatchObject({ frames: 3, truncated: 1, badFormat: 2, oversized: 1, badValue: 2 });
  });

  it('never holds more than a frame of garbage', () => {
    const dec = new Ld2410Decoder();
    const noise = Uint8Array.from({ length: 50_000 }, (_, i) => [0xf4, 0xf3, 0xf2, 0xf1, 0x40, 0x00][i % 6]!);
    expect(dec.push(noise)).toEqual([]);
    expect(dec.push(OUR_BASIC)).toHaveLength(1);
  });
});

describe('LD2410 commands and ACKs (protocols.md §4.3)', () => {
  it.each([
    ['enable config', ld2410EnableConfig(), 'FD FC FB FA 04 00 FF 00 01 00 04 03 02 01'],
    ['end config', ld2410EndConfig(), 'FD FC FB FA 02 00 FE 00 04 03 02 01'],
    ['engineering on', ld2410EngineeringMode(true), 'FD FC FB FA 02 00 62 00 04 03 02 01'],
    ['engineering off', ld2410EngineeringMode(false), 'FD FC FB FA 02 00 63 00 04 03 02 01'],
    ['read parameters', ld2410ReadParameters(), 'FD FC FB FA 02 00 61 00 04 03 02 01'],
    ['firmware', ld2410ReadFirmware(), 'FD FC FB FA 02 00 A0 00 04 03 02 01'],
    [
      'gates 8/8, no-one 5 s',
      ld2410SetGatesAndDuration({ maxMovingGate: 8, maxStationaryGate: 8, noOneDurationS: 5 }),
      'FD FC FB FA 14 00 60 00 00 00 08 00 00 00 01 00 08 00 00 00 02 00 05 00 00 00 04 03 02 01',
    ],
  ])('%s is byte-exact and decodes as a command', (_n, built, wire) => {
    expect(built).toEqual(hx(wire));
    const [c] = new Ld2410Decoder().push(hx(wire));
    expect(c).toMatchObject({ kind: 'command', command: hx(wire)[6]! | (hx(wire)[7]! << 8) });
  });

  it('refuses gate and duration values outside the documented ranges', () => {
    expect(() => ld2410SetGatesAndDuration({ maxMovingGate: 1, maxStationaryGate: 8, noOneDurationS: 5 })).toThrow(RangeError);
    expect(() => ld2410SetGatesAndDuration({ maxMovingGate: 8, maxStationaryGate: 9, noOneDurationS: 5 })).toThrow(RangeError);
    expect(() => ld2410SetGatesAndDuration({ maxMovingGate: 8, maxStationaryGate: 8, noOneDurationS: 65536 })).toThrow(RangeError);
  });

  it('parses the verified enable-config ACK, plain ACKs and a failure', () => {
    const enableAck = hx('FD FC FB FA 08 00 FF 01 00 00 01 00 40 00 04 03 02 01');
    expect(encodeLd2410Ack(0x00ff, 0, [0x01, 0x00, 0x40, 0x00])).toEqual(enableAck);
    const items = new Ld2410Decoder().push(
      concatBytes(enableAck, hx('FD FC FB FA 04 00 FE 01 00 00 04 03 02 01'), hx('FD FC FB FA 04 00 60 01 01 00 04 03 02 01')),
    );
    expect(items).toEqual([
      { kind: 'ack', command: 0x00ff, status: 0, ok: true, data: hx('01 00 40 00'), detail: { type: 'enable-config', protocolVersion: 1, bufferSize: 0x40 } },
      { kind: 'ack', command: 0x00fe, status: 0, ok: true, data: new Uint8Array(0), detail: null },
      { kind: 'ack', command: 0x0060, status: 1, ok: false, data: new Uint8Array(0), detail: null },
    ]);
  });

  it('parses the firmware ACK structurally (type, minor, major, build) as V1.02.22062416', () => {
    const ack = hx('FD FC FB FA 0C 00 A0 01 00 00 00 00 02 01 16 24 06 22 04 03 02 01');
    const [a] = new Ld2410Decoder().push(ack);
    expect(a).toMatchObject({ kind: 'ack', command: 0xa0, detail: { type: 'firmware', major: 1, minor: 2, build: 0x22062416, version: 'V1.02.22062416' } });
  });

  it('reports and ACKs interleave on one stream', () => {
    const dec = new Ld2410Decoder();
    const stream = concatBytes(OUR_BASIC, hx('FD FC FB FA 04 00 62 01 00 00 04 03 02 01'), HILINK_ENGINEERING);
    expect(dec.push(stream).map((i: Ld2410Item) => i.kind)).toEqual(['report', 'ack', 'report']);
  });
});

describe('LD2410 simulator', () => {
  it('ignores commands outside a configuration session, then configures, reports and ends the session', () => {
    const sim = new Ld2410Sim();
    const dec = new Ld2410Decoder();
    const ask = (cmd: Uint8Array): Ld2410Item[] => dec.push(sim.receive(cmd));
    expect(ask(ld2410ReadParameters())).toEqual([]);
    expect(sim.receive(ld2410EnableConfig())).toEqual(hx('FD FC FB FA 08 00 FF 01 00 00 01 00 40 00 04 03 02 01'));
    expect(ask(ld2410SetGatesAndDuration({ maxMovingGate: 6, maxStationaryGate: 4, noOneDurationS: 30 }))).toMatchObject([{ command: 0x60, ok: true }]);
    expect(ask(encodeLd2410Command(0x0060, [0, 0, 9, 0, 0, 0, 1, 0, 4, 0, 0, 0, 2, 0, 1, 0, 0, 0]))).toMatchObject([{ ok: false }]);
    expect(ask(ld2410ReadParameters())).toMatchObject([
      {
        command: 0x61,
        ok: true,
        detail: {
          type: 'parameters',
          maxGate: 8,
          maxMovingGate: 6,
          maxStationaryGate: 4,
          noOneDurationS: 30,
          movingSensitivity: [50, 50, 40, 30, 20, 15, 15, 15, 15],
        },
      },
    ]);
    expect(ask(ld2410ReadFirmware())).toMatchObject([{ detail: { version: 'V1.02.22062416' } }]);
    expect(ask(ld2410EngineeringMode(true))).toMatchObject([{ command: 0x62, ok: true }]);
    expect(ask(ld2410EndConfig())).toMatchObject([{ command: 0xfe, ok: true }]);
    expect(sim.inConfig).toBe(false);
    expect(ask(ld2410EngineeringMode(false))).toEqual([]);

    sim.setTarget({ targetState: 3, movingDistanceCm: 30, movingEnergy: 60, stationaryDistanceCm: 0, stationaryEnergy: 57 });
    sim.setGateEnergies([60, 34, 5, 3, 3, 4, 3, 6, 5], [0, 0, 57, 16, 19, 6, 6, 8, 4], [3, 5]);
    expect(sim.report()).toEqual(HILINK_ENGINEERING);
  });

  it('can pause reports during configuration', () => {
    const sim = new Ld2410Sim({ reportInConfig: false });
    expect(sim.report()).toHaveLength(23);
    sim.receive(ld2410EnableConfig());
    expect(sim.report()).toHaveLength(0);
  });
});
