// LD2410 command and ACK frames (protocols.md §4.3): `FD FC FB FA`, length (LE), command word
// (LE), value, `04 03 02 01`. An ACK echoes `command | 0x0100`, then a 2-byte status
// (`00 00` success) and return data. Commands other than enable-config only work inside a
// configuration session: enable config → commands → end config.
import { concatBytes } from './bytes.ts';

export const LD2410_COMMAND_HEADER = Uint8Array.of(0xfd, 0xfc, 0xfb, 0xfa);
export const LD2410_COMMAND_FOOTER = Uint8Array.of(0x04, 0x03, 0x02, 0x01);

export const Ld2410Command = {
  EnableConfig: 0x00ff,
  EndConfig: 0x00fe,
  SetGatesAndDuration: 0x0060,
  ReadParameters: 0x0061,
  EngineeringOn: 0x0062,
  EngineeringOff: 0x0063,
  GateSensitivity: 0x0064,
  ReadFirmware: 0x00a0,
  SetBaudRate: 0x00a1,
  FactoryReset: 0x00a2,
  Restart: 0x00a3,
} as const;

export type Ld2410AckDetail =
  | { type: 'enable-config'; protocolVersion: number; bufferSize: number }
  | {
      type: 'parameters';
      maxGate: number;
      maxMovingGate: number;
      maxStationaryGate: number;
      movingSensitivity: number[];
      stationarySensitivity: number[];
      noOneDurationS: number;
    }
  | { type: 'firmware'; firmwareType: number; major: number; minor: number; build: number; version: string };

export interface Ld2410Ack {
  kind: 'ack';
  /** The command acknowledged (without the `0x0100` bit). */
  command: number;
  status: number;
  ok: boolean;
  /** Return data after the status. */
  data: Uint8Array;
  /** Typed return data of enable-config, read-parameters and firmware ACKs; null otherwise. */
  detail: Ld2410AckDetail | null;
}

/** A host → module command (what the simulator receives). */
export interface Ld2410CommandFrame {
  kind: 'command';
  command: number;
  value: Uint8Array;
}

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

function frame(word: number, payload: ArrayLike<number>): Uint8Array {
  const len = 2 + payload.length;
  return concatBytes(LD2410_COMMAND_HEADER, le16(len), le16(word), payload, LD2410_COMMAND_FOOTER);
}

export function encodeLd2410Command(command: number, value: ArrayLike<number> = []): Uint8Array {
  return frame(command, value);
}

/** ACK frame as the module sends it (simulator). */
export function encodeLd2410Ack(command: number, status = 0, data: ArrayLike<number> = []): Uint8Array {
  return frame(command | 0x0100, concatBytes(le16(status), data));
}

export const ld2410EnableConfig = (): Uint8Array => encodeLd2410Command(Ld2410Command.EnableConfig, le16(0x0001));
export const ld2410EndConfig = (): Uint8Array => encodeLd2410Command(Ld2410Command.EndConfig);
export const ld2410ReadParameters = (): Uint8Array => encodeLd2410Command(Ld2410Command.ReadParameters);
export const ld2410ReadFirmware = (): Uint8Array => encodeLd2410Command(Ld2410Command.ReadFirmware);
export const ld2410EngineeringMode = (on: boolean): Uint8Array => encodeLd2410Command(on ? Ld2410Command.EngineeringOn : Ld2410Command.EngineeringOff);

export interface Ld2410GateSettings {
  /** 2–8. */
  maxMovingGate: number;
  /** 2–8. */
  maxStationaryGate: number;
  /** 0–65535 s: how long "someone" is still reported after the last detection. */
  noOneDurationS: number;
}

/** Command `0060`: three (word, 4-byte value) pairs. */
export function ld2410SetGatesAndDuration(g: Ld2410GateSettings): Uint8Array {
  const gate = (v: number): boolean => Number.isInteger(v) && v >= 2 && v <= 8;
  if (!gate(g.maxMovingGate) || !gate(g.maxStationaryGate)) throw new RangeError('LD2410 max gates must be 2..8');
  if (!Number.isInteger(g.noOneDurationS) || g.noOneDurationS < 0 || g.noOneDurationS > 0xffff) {
    throw new RangeError('LD2410 no-one duration must be 0..65535 s');
  }
  return encodeLd2410Command(Ld2410Command.SetGatesAndDuration, [
    ...le16(0x0000),
    ...le32(g.maxMovingGate),
    ...le16(0x0001),
    ...le32(g.maxStationaryGate),
    ...le16(0x0002),
    ...le32(g.noOneDurationS),
  ]);
}

/** Parses a `0060` command value (simulator side); null when malformed. */
export function parseLd2410GateSettings(value: Uint8Array): Ld2410GateSettings | null {
  if (value.length !== 18) return null;
  const out: Partial<Record<number, number>> = {};
  for (let k = 0; k < 18; k += 6) {
    const word = value[k]! | (value[k + 1]! << 8);
    out[word] = (value[k + 2]! | (value[k + 3]! << 8) | (value[k + 4]! << 16) | (value[k + 5]! << 24)) >>> 0;
  }
  const [m, s, d] = [out[0], out[1], out[2]];
  if (m === undefined || s === undefined || d === undefined) return null;
  return { maxMovingGate: m, maxStationaryGate: s, noOneDurationS: d };
}

/** Return data of read-parameters (after the status): `AA N gateM gateS sensM[N+1] sensS[N+1] secs(2)`. */
export function encodeLd2410Parameters(p: Omit<Extract<Ld2410AckDetail, { type: 'parameters' }>, 'type'>): Uint8Array {
  return Uint8Array.from([
    0xaa,
    p.maxGate,
    p.maxMovingGate,
    p.maxStationaryGate,
    ...p.movingSensitivity,
    ...p.stationarySensitivity,
    ...le16(p.noOneDurationS),
  ]);
}

function detailOf(command: number, d: Uint8Array): Ld2410AckDetail | null {
  if (command === Ld2410Command.EnableConfig && d.length === 4) {
    return { type: 'enable-config', protocolVersion: d[0]! | (d[1]! << 8), bufferSize: d[2]! | (d[3]! << 8) };
  }
  if (command === Ld2410Command.ReadParameters && d.length >= 4 && d[0] === 0xaa) {
    const n = d[1]!;
    if (d.length !== 4 + 2 * (n + 1) + 2) return null;
    return {
      type: 'parameters',
      maxGate: n,
      maxMovingGate: d[2]!,
      maxStationaryGate: d[3]!,
      movingSensitivity: Array.from(d.subarray(4, 5 + n)),
      stationarySensitivity: Array.from(d.subarray(5 + n, 6 + 2 * n)),
      noOneDurationS: d[6 + 2 * n]! | (d[7 + 2 * n]! << 8),
    };
  }
  if (command === Ld2410Command.ReadFirmware && d.length === 8) {
    // Type (2), minor, major, build (4, LE), printed as ESPHome does: V1.02.22062416.
    const build = (d[4]! | (d[5]! << 8) | (d[6]! << 16) | (d[7]! << 24)) >>> 0;
    const major = d[3]!;
    const minor = d[2]!;
    const hex2 = (v: number): string => v.toString(16).toUpperCase().padStart(2, '0');
    const version = `V${major}.${hex2(minor)}.${build.toString(16).toUpperCase().padStart(8, '0')}`;
    return { type: 'firmware', firmwareType: d[0]! | (d[1]! << 8), major, minor, build, version };
  }
  return null;
}

/** Decodes the intra-frame bytes of an `FD FC FB FA` frame: an ACK or a host command. */
export function decodeLd2410CommandData(d: Uint8Array): Ld2410Ack | Ld2410CommandFrame | 'badFormat' {
  if (d.length < 2) return 'badFormat';
  const word = d[0]! | (d[1]! << 8);
  if ((word & 0x0100) === 0) return { kind: 'command', command: word, value: d.slice(2) };
  if (d.length < 4) return 'badFormat';
  const command = word & ~0x0100;
  const status = d[2]! | (d[3]! << 8);
  const data = d.slice(4);
  return { kind: 'ack', command, status, ok: status === 0, data, detail: status === 0 ? detailOf(command, data) : null };
}
