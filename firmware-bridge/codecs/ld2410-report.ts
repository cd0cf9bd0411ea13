// LD2410 periodic report frames (protocols.md §4.2): `F4 F3 F2 F1`, length (LE), data type
// (`02` basic, `01` engineering), `AA`, target data, [engineering gate energies + extra],
// `55 00`, `F8 F7 F6 F5`. All multi-byte fields little-endian (§4.1).
import { concatBytes } from './bytes.ts';

export const LD2410_REPORT_HEADER = Uint8Array.of(0xf4, 0xf3, 0xf2, 0xf1);
export const LD2410_REPORT_FOOTER = Uint8Array.of(0xf8, 0xf7, 0xf6, 0xf5);
const TYPE_ENGINEERING = 0x01;
const TYPE_BASIC = 0x02;
const BASIC_LEN = 13;
/** Gates 0..8 (§4.3 factory defaults); a larger N cannot be real. */
const MAX_GATE = 8;

export interface Ld2410Engineering {
  /** N of the moving gate energies (gates 0..N). */
  maxMovingGate: number;
  maxStationaryGate: number;
  movingGateEnergy: number[];
  stationaryGateEnergy: number[];
  /** Bytes after the gate energies; ESPHome reads a light value and the OUT pin state (B/C). */
  extra: Uint8Array;
}

export interface Ld2410ReportInput {
  /** 0 none, 1 moving, 2 stationary, 3 both (bit 0 moving, bit 1 stationary). */
  targetState: number;
  movingDistanceCm: number;
  movingEnergy: number;
  stationaryDistanceCm: number;
  stationaryEnergy: number;
  detectionDistanceCm: number;
  engineering?: Ld2410Engineering | null;
}

export interface Ld2410Report extends Ld2410ReportInput {
  kind: 'report';
  moving: boolean;
  stationary: boolean;
  engineering: Ld2410Engineering | null;
  /** ESPHome's reading of `extra` (§4.2, [U] beyond that): light 0–255 and OUT pin. */
  light: number | null;
  outPin: boolean | null;
}

/** Intra-frame bytes (after the length field, before the footer) of a report. */
export function encodeLd2410ReportData(r: Ld2410ReportInput): Uint8Array {
  const e = r.engineering ?? null;
  const head = [
    e ? TYPE_ENGINEERING : TYPE_BASIC,
    0xaa,
    r.targetState,
    r.movingDistanceCm & 0xff,
    (r.movingDistanceCm >> 8) & 0xff,
    r.movingEnergy,
    r.stationaryDistanceCm & 0xff,
    (r.stationaryDistanceCm >> 8) & 0xff,
    r.stationaryEnergy,
    r.detectionDistanceCm & 0xff,
    (r.detectionDistanceCm >> 8) & 0xff,
  ];
  const eng = e ? [e.maxMovingGate, e.maxStationaryGate, ...e.movingGateEnergy, ...e.stationaryGateEnergy, ...Array.from(e.extra)] : [];
  return Uint8Array.from([...head, ...eng, 0x55, 0x00]);
}

/** The complete report frame. */
export function encodeLd2410Report(r: Ld2410ReportInput): Uint8Array {
  const data = encodeLd2410ReportData(r);
  return concatBytes(LD2410_REPORT_HEADER, [data.length & 0xff, data.length >> 8], data, LD2410_REPORT_FOOTER);
}

/**
 * Decodes intra-frame bytes. There is no checksum (§4.2), so besides the fixed bytes the ranges
 * the protocol documents are checked: state 0–3, energies 0–100, N ≤ 8.
 */
export function decodeLd2410ReportData(d: Uint8Array): Ld2410Report | 'badFormat' | 'badValue' {
  const n = d.length;
  if (n < BASIC_LEN || d[1] !== 0xaa || d[n - 2] !== 0x55 || d[n - 1] !== 0x00) return 'badFormat';
  const type = d[0];
  if (type === TYPE_BASIC ? n !== BASIC_LEN : type !== TYPE_ENGINEERING || n < BASIC_LEN + 4) return 'badFormat';
  const u16 = (k: number): number => d[k]! | (d[k + 1]! << 8);
  const targetState = d[2]!;
  const movingEnergy = d[5]!;
  const stationaryEnergy = d[8]!;
  if (targetState > 3 || movingEnergy > 100 || stationaryEnergy > 100) return 'badValue';
  let engineering: Ld2410Engineering | null = null;
  if (type === TYPE_ENGINEERING) {
    const nm = d[11]!;
    const ns = d[12]!;
    const end = n - 2;
    if (nm > MAX_GATE || ns > MAX_GATE || 13 + nm + 1 + ns + 1 > end) return 'badFormat';
    const movingGateEnergy = Array.from(d.subarray(13, 14 + nm));
    const stationaryGateEnergy = Array.from(d.subarray(14 + nm, 15 + nm + ns));
    if (movingGateEnergy.some((v) => v > 100) || stationaryGateEnergy.some((v) => v > 100)) return 'badValue';
    engineering = {
      maxMovingGate: nm,
      maxStationaryGate: ns,
      movingGateEnergy,
      stationaryGateEnergy,
      extra: d.slice(15 + nm + ns, end),
    };
  }
  const extra = engineering?.extra;
  return {
    kind: 'report',
    targetState,
    moving: (targetState & 1) !== 0,
    stationary: (targetState & 2) !== 0,
    movingDistanceCm: u16(3),
    movingEnergy,
    stationaryDistanceCm: u16(6),
    stationaryEnergy,
    detectionDistanceCm: u16(9),
    engineering,
    light: extra && extra.length > 0 ? extra[0]! : null,
    outPin: extra && extra.length > 1 ? extra[1] === 0x01 : null,
  };
}
