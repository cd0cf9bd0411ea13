// PN532 commands the gateway uses, as data (protocols.md §2.4–§2.7): the HSU wake-up bytes,
// SAMConfiguration, GetFirmwareVersion, RFConfiguration (retry counts), InListPassiveTarget,
// and parsers / builders of their responses. Builders return complete host frames.
import { toHex } from './bytes.ts';
import { encodePn532Command } from './pn532-frame.ts';

export const Pn532Command = {
  GetFirmwareVersion: 0x02,
  SAMConfiguration: 0x14,
  RFConfiguration: 0x32,
  InListPassiveTarget: 0x4a,
  InRelease: 0x52,
} as const;

/** §2.4 practical recipe: `55 55` + 14 × `00`, sent right before SAMConfiguration. */
export const PN532_WAKEUP = Uint8Array.of(0x55, 0x55, ...new Array<number>(14).fill(0x00));

/**
 * SAMConfiguration (§2.5). Default: normal mode, timeout `14` (×50 ms), IRQ `01` as Adafruit and
 * CircuitPython send it; libnfc sends the mode only (`[0x01]`).
 */
export function samConfiguration(params: ArrayLike<number> = [0x01, 0x14, 0x01]): Uint8Array {
  return encodePn532Command(Pn532Command.SAMConfiguration, params);
}

export function getFirmwareVersion(): Uint8Array {
  return encodePn532Command(Pn532Command.GetFirmwareVersion);
}

/**
 * RFConfiguration item 5 (§2.5): MxRtyATR, MxRtyPSL, MxRtyPassiveActivation. The last one bounds
 * how long InListPassiveTarget blocks; `FF` would retry forever, so a polling gateway sets it finite.
 */
export function rfConfigurationRetries(passiveActivation: number, atr = 0xff, psl = 0x01): Uint8Array {
  return encodePn532Command(Pn532Command.RFConfiguration, [0x05, atr, psl, passiveActivation]);
}

/** InListPassiveTarget: MaxTg (1 or 2), BrTy `00` = 106 kbps type A (§2.5). */
export function inListPassiveTarget(maxTg = 1, brTy = 0x00): Uint8Array {
  return encodePn532Command(Pn532Command.InListPassiveTarget, [maxTg, brTy]);
}

export interface Pn532Firmware {
  /** `32` for a PN532. */
  ic: number;
  ver: number;
  rev: number;
  support: number;
}

/** `data` = response PD bytes `03 IC Ver Rev Support`; null when malformed. */
export function parseFirmwareVersion(data: Uint8Array): Pn532Firmware | null {
  if (data.length !== 5 || data[0] !== Pn532Command.GetFirmwareVersion + 1) return null;
  return { ic: data[1]!, ver: data[2]!, rev: data[3]!, support: data[4]! };
}

export interface Iso14443aTarget {
  /** Logical target number the PN532 assigned. */
  tg: number;
  /** SENS_RES as sent, high byte first (Adafruit's reading, §2.6): e.g. `0x0004`. */
  atqa: number;
  /** SEL_RES. */
  sak: number;
  /** NFCID1: 4, 7 or 10 bytes. */
  uid: Uint8Array;
  uidHex: string;
  /** ATS including its length byte, for ISO14443-4 cards; null when absent. */
  ats: Uint8Array | null;
}

const UID_LENGTHS = new Set([4, 7, 10]);

/**
 * `data` = response PD bytes `4B NbTg` then per target `Tg SENS_RES(2) SEL_RES NFCIDLength
 * NFCID1 [ATS]` (§2.6). Null when malformed. An ATS is read when SAK bit 5 (ISO14443-4) is set
 * or when bytes remain after the last target (libnfc detects it from the remaining length);
 * its first byte counts itself.
 */
export function parseInListPassiveTargetA(data: Uint8Array): Iso14443aTarget[] | null {
  if (data.length < 2 || data[0] !== Pn532Command.InListPassiveTarget + 1) return null;
  const nbTg = data[1]!;
  if (nbTg > 2) return null;
  const targets: Iso14443aTarget[] = [];
  let p = 2;
  for (let t = 0; t < nbTg; t++) {
    if (data.length < p + 5) return null;
    const tg = data[p]!;
    if (tg !== t + 1) return null; // the PN532 numbers the targets it lists 1, 2
    const atqa = (data[p + 1]! << 8) | data[p + 2]!;
    const sak = data[p + 3]!;
    const uidLen = data[p + 4]!;
    if (!UID_LENGTHS.has(uidLen) || data.length < p + 5 + uidLen) return null;
    const uid = data.slice(p + 5, p + 5 + uidLen);
    p += 5 + uidLen;
    let ats: Uint8Array | null = null;
    const last = t === nbTg - 1;
    if ((sak & 0x20) !== 0 || (last && p < data.length)) {
      const tl = data[p];
      if (tl === undefined || tl < 1 || data.length < p + tl) return null;
      ats = data.slice(p, p + tl);
      p += tl;
    }
    targets.push({ tg, atqa, sak, uid, uidHex: toHex(uid), ats });
  }
  return p === data.length ? targets : null;
}

export interface SimTarget {
  uid: ArrayLike<number>;
  atqa: number;
  sak: number;
  ats?: ArrayLike<number>;
}

/** Response payload (after the `4B` code) for the given targets, as a PN532 would send it. */
export function encodeInListPassiveTargetA(targets: readonly SimTarget[]): Uint8Array {
  const bytes: number[] = [targets.length];
  targets.forEach((t, k) => {
    if (!UID_LENGTHS.has(t.uid.length)) throw new RangeError(`UID must be 4, 7 or 10 bytes, got ${t.uid.length}`);
    bytes.push(k + 1, (t.atqa >> 8) & 0xff, t.atqa & 0xff, t.sak & 0xff, t.uid.length, ...Array.from(t.uid));
    if (t.ats) bytes.push(...Array.from(t.ats));
  });
  return Uint8Array.from(bytes);
}

const STATUS_NAMES: Record<number, string> = {
  0x00: 'ok',
  0x01: 'timeout',
  0x02: 'crc',
  0x03: 'parity',
  0x04: 'bit-count',
  0x05: 'framing',
  0x06: 'bit-collision',
  0x07: 'buffer-too-small',
  0x09: 'buffer-overflow',
  0x0a: 'rf-timeout',
  0x0b: 'rf-protocol',
  0x0d: 'overheating',
  0x0e: 'internal-buffer-overflow',
  0x10: 'invalid-parameter',
  0x12: 'dep-unknown-command',
  0x13: 'invalid-rx-frame',
  0x14: 'mifare-auth',
  0x23: 'wrong-uid-check-byte',
  0x25: 'invalid-device-state',
  0x26: 'operation-not-allowed',
  0x27: 'command-not-acceptable',
  0x29: 'target-released',
  0x2a: 'card-id-mismatch',
  0x2b: 'card-discarded',
  0x2c: 'nfcid3-mismatch',
  0x2d: 'over-current',
  0x2e: 'nad-missing',
};

/** Status byte of responses such as InDataExchange (§2.7). */
export function describePn532Status(status: number): { code: number; name: string; more: boolean; nad: boolean } {
  const code = status & 0x3f;
  return { code, name: STATUS_NAMES[code] ?? 'unknown', more: (status & 0x40) !== 0, nad: (status & 0x80) !== 0 };
}
