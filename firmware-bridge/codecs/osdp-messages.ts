// OSDP command and reply payloads (protocols.md §5.4, §5.5): the bytes after the code.
// Encoders throw RangeError on values the field cannot hold (caller mistakes); decoders never
// throw: a payload of the wrong shape decodes to `{ kind: 'invalid' }`.

export const OsdpCmd = {
  POLL: 0x60,
  ID: 0x61,
  CAP: 0x62,
  LSTAT: 0x64,
  ISTAT: 0x65,
  OSTAT: 0x66,
  RSTAT: 0x67,
  OUT: 0x68,
  LED: 0x69,
  BUZ: 0x6a,
  COMSET: 0x6e,
  KEYSET: 0x75,
  CHLNG: 0x76,
  SCRYPT: 0x77,
  KEEPACTIVE: 0xa7,
} as const;

export const OsdpReply = {
  ACK: 0x40,
  NAK: 0x41,
  PDID: 0x45,
  PDCAP: 0x46,
  LSTATR: 0x48,
  ISTATR: 0x49,
  OSTATR: 0x4a,
  RSTATR: 0x4b,
  RAW: 0x50,
  KEYPAD: 0x53,
  COM: 0x54,
  CCRYPT: 0x76,
  RMAC_I: 0x78,
  BUSY: 0x79,
} as const;

/** osdp_NAK reason codes (§5.5). */
export const OSDP_NAK_REASONS: Readonly<Record<number, string>> = {
  0x00: 'none',
  0x01: 'check-character',
  0x02: 'command-length',
  0x03: 'unknown-command',
  0x04: 'sequence-number',
  0x05: 'sc-unsupported',
  0x06: 'sc-conditions',
  0x07: 'bio-type',
  0x08: 'bio-format',
  0x09: 'unable-to-process',
};

export function osdpNakReason(code: number): string {
  return OSDP_NAK_REASONS[code] ?? `unknown-${code}`;
}

/** PDCAP function codes used by a CP (§5.5). */
export const OsdpCapFn = {
  CONTACT_STATUS: 1,
  OUTPUT_CONTROL: 2,
  CARD_FORMAT: 3,
  READER_LED: 4,
  READER_AUDIBLE: 5,
  CHECK_CHARACTER: 8,
  COMMUNICATION_SECURITY: 9,
  RECEIVE_BUFFER: 10,
  OSDP_VERSION: 16,
} as const;

export const OsdpColor = { BLACK: 0, RED: 1, GREEN: 2, AMBER: 3, BLUE: 4, MAGENTA: 5, CYAN: 6, WHITE: 7 } as const;

function byte(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError(`OSDP ${name} must be 0..255, got ${v}`);
  return v;
}
function u16(name: string, v: number): [number, number] {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`OSDP ${name} must be 0..65535, got ${v}`);
  return [v & 0xff, v >> 8];
}
const le16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const le32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

// ---- commands ----------------------------------------------------------------------------

/** osdp_ID / osdp_CAP: one byte, `00` = standard report. */
export const encodeIdRequest = (): Uint8Array => Uint8Array.of(0x00);

export interface OsdpOutputRecord {
  output: number;
  /** 0 no-op, 1/2 permanent off/on (abort timer), 3/4 permanent off/on after timer, 5/6 temporary on/off. */
  controlCode: number;
  /** ×100 ms. */
  timer: number;
}

export function encodeOut(records: readonly OsdpOutputRecord[]): Uint8Array {
  if (records.length === 0) throw new RangeError('osdp_OUT needs at least one record');
  return Uint8Array.from(records.flatMap((r) => [byte('output', r.output), byte('control code', r.controlCode), ...u16('timer', r.timer)]));
}

export function decodeOut(d: Uint8Array): OsdpOutputRecord[] | null {
  if (d.length === 0 || d.length % 4 !== 0) return null;
  const out: OsdpOutputRecord[] = [];
  for (let i = 0; i < d.length; i += 4) out.push({ output: d[i]!, controlCode: d[i + 1]!, timer: le16(d, i + 2) });
  return out;
}

export interface OsdpLedTemporary {
  /** 0 no-op, 1 cancel, 2 set and start the timer. */
  controlCode: number;
  /** ×100 ms. */
  onTime: number;
  offTime: number;
  onColor: number;
  offColor: number;
  /** ×100 ms. */
  timer: number;
}
export interface OsdpLedPermanent {
  /** 0 no-op, 1 set. */
  controlCode: number;
  onTime: number;
  offTime: number;
  onColor: number;
  offColor: number;
}
export interface OsdpLedRecord {
  reader: number;
  led: number;
  temporary: OsdpLedTemporary;
  permanent: OsdpLedPermanent;
}

export const LED_NOOP_TEMPORARY: OsdpLedTemporary = { controlCode: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0, timer: 0 };
export const LED_NOOP_PERMANENT: OsdpLedPermanent = { controlCode: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0 };

export function encodeLed(records: readonly OsdpLedRecord[]): Uint8Array {
  if (records.length === 0) throw new RangeError('osdp_LED needs at least one record');
  return Uint8Array.from(
    records.flatMap((r) => {
      const t = r.temporary;
      const p = r.permanent;
      return [
        byte('reader', r.reader),
        byte('LED number', r.led),
        byte('temporary control code', t.controlCode),
        byte('on time', t.onTime),
        byte('off time', t.offTime),
        byte('on colour', t.onColor),
        byte('off colour', t.offColor),
        ...u16('timer', t.timer),
        byte('permanent control code', p.controlCode),
        byte('on time', p.onTime),
        byte('off time', p.offTime),
        byte('on colour', p.onColor),
        byte('off colour', p.offColor),
      ];
    }),
  );
}

export function decodeLed(d: Uint8Array): OsdpLedRecord[] | null {
  if (d.length === 0 || d.length % 14 !== 0) return null;
  const out: OsdpLedRecord[] = [];
  for (let i = 0; i < d.length; i += 14) {
    out.push({
      reader: d[i]!,
      led: d[i + 1]!,
      temporary: { controlCode: d[i + 2]!, onTime: d[i + 3]!, offTime: d[i + 4]!, onColor: d[i + 5]!, offColor: d[i + 6]!, timer: le16(d, i + 7) },
      permanent: { controlCode: d[i + 9]!, onTime: d[i + 10]!, offTime: d[i + 11]!, onColor: d[i + 12]!, offColor: d[i + 13]! },
    });
  }
  return out;
}

export interface OsdpBuzzer {
  reader: number;
  /** 0 none, 1 off, 2 default tone. */
  tone: number;
  /** ×100 ms. */
  onTime: number;
  offTime: number;
  /** 0 = forever. */
  count: number;
}

export function encodeBuz(b: OsdpBuzzer): Uint8Array {
  return Uint8Array.of(byte('reader', b.reader), byte('tone', b.tone), byte('on time', b.onTime), byte('off time', b.offTime), byte('count', b.count));
}

export function decodeBuz(d: Uint8Array): OsdpBuzzer | null {
  if (d.length !== 5) return null;
  return { reader: d[0]!, tone: d[1]!, onTime: d[2]!, offTime: d[3]!, count: d[4]! };
}

export interface OsdpComSettings {
  address: number;
  baud: number;
}

/** osdp_COMSET (and the osdp_COM reply): new address, new baud rate (4 B LE). */
export function encodeComset(c: OsdpComSettings): Uint8Array {
  if (!Number.isInteger(c.address) || c.address < 0 || c.address > 126) throw new RangeError(`OSDP address must be 0..126, got ${c.address}`);
  if (!Number.isInteger(c.baud) || c.baud <= 0 || c.baud > 0xffffffff) throw new RangeError(`OSDP baud rate out of range: ${c.baud}`);
  return Uint8Array.of(c.address, c.baud & 0xff, (c.baud >>> 8) & 0xff, (c.baud >>> 16) & 0xff, c.baud >>> 24);
}

export function decodeComset(d: Uint8Array): OsdpComSettings | null {
  if (d.length !== 5) return null;
  return { address: d[0]!, baud: le32(d, 1) };
}

/** osdp_KEYSET: key type `01` (SCBK), length, key (§5.4). */
export function encodeKeyset(key: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new RangeError(`an OSDP SCBK is 16 bytes, got ${key.length}`);
  const out = new Uint8Array(18);
  out[0] = 0x01;
  out[1] = 16;
  out.set(key, 2);
  return out;
}

export function decodeKeyset(d: Uint8Array): { type: number; key: Uint8Array } | null {
  if (d.length < 2 || d[1] !== d.length - 2) return null;
  return { type: d[0]!, key: d.slice(2) };
}

// ---- replies -----------------------------------------------------------------------------

export interface OsdpPdId {
  /** IEEE OUI, 24 bits. */
  vendor: number;
  model: number;
  version: number;
  serial: number;
  firmware: { major: number; minor: number; build: number };
}

export function encodePdid(id: OsdpPdId): Uint8Array {
  const s = id.serial >>> 0;
  return Uint8Array.of(
    id.vendor & 0xff,
    (id.vendor >> 8) & 0xff,
    (id.vendor >> 16) & 0xff,
    byte('model', id.model),
    byte('version', id.version),
    s & 0xff,
    (s >>> 8) & 0xff,
    (s >>> 16) & 0xff,
    s >>> 24,
    byte('firmware major', id.firmware.major),
    byte('firmware minor', id.firmware.minor),
    byte('firmware build', id.firmware.build),
  );
}

export interface OsdpCapability {
  fn: number;
  compliance: number;
  items: number;
}

export function encodePdcap(caps: readonly OsdpCapability[]): Uint8Array {
  return Uint8Array.from(caps.flatMap((c) => [byte('function', c.fn), byte('compliance', c.compliance), byte('items', c.items)]));
}

export interface OsdpRawCard {
  reader: number;
  /** 0 raw unspecified, 1 raw Wiegand. */
  format: number;
  bits: number;
  /** ceil(bits / 8) bytes, first bit in the MSB of the first byte. */
  data: Uint8Array;
}

export function encodeRaw(c: OsdpRawCard): Uint8Array {
  if (c.data.length !== Math.ceil(c.bits / 8)) throw new RangeError(`osdp_RAW: ${c.bits} bits need ${Math.ceil(c.bits / 8)} bytes, got ${c.data.length}`);
  const out = new Uint8Array(4 + c.data.length);
  out.set([byte('reader', c.reader), byte('format', c.format), ...u16('bit count', c.bits)]);
  out.set(c.data, 4);
  return out;
}

/** osdp_KEYPAD key bytes → characters: digits, `*` (7F), `#` (0D), F1–F8 (41–48) as `A`–`H`. */
export function osdpKeyChar(b: number): string | null {
  if (b >= 0x30 && b <= 0x39) return String.fromCharCode(b);
  if (b === 0x7f) return '*';
  if (b === 0x0d) return '#';
  if (b >= 0x41 && b <= 0x48) return String.fromCharCode(b);
  return null;
}

export function osdpKeyByte(c: string): number {
  if (c === '*') return 0x7f;
  if (c === '#') return 0x0d;
  if (/^[0-9A-H]$/.test(c)) return c.charCodeAt(0);
  throw new RangeError(`not an OSDP key: ${JSON.stringify(c)}`);
}

export function encodeKeypad(reader: number, keys: string): Uint8Array {
  return Uint8Array.from([byte('reader', reader), byte('digit count', keys.length), ...[...keys].map(osdpKeyByte)]);
}

/** osdp_CCRYPT: cUID, RND.B, client cryptogram. */
export interface OsdpCcrypt {
  cuid: Uint8Array;
  rndB: Uint8Array;
  cryptogram: Uint8Array;
}

export type OsdpReplyMsg =
  | { kind: 'ack' }
  | { kind: 'nak'; code: number; reason: string }
  | { kind: 'pdid'; id: OsdpPdId }
  | { kind: 'pdcap'; caps: OsdpCapability[] }
  | { kind: 'lstatr'; tamper: boolean; power: boolean }
  | { kind: 'istatr'; inputs: number[] }
  | { kind: 'ostatr'; outputs: number[] }
  | { kind: 'rstatr'; tamper: number[] }
  | { kind: 'raw'; card: OsdpRawCard }
  | { kind: 'keypad'; reader: number; keys: string }
  | { kind: 'com'; settings: OsdpComSettings }
  | { kind: 'ccrypt'; ccrypt: OsdpCcrypt }
  | { kind: 'rmac-i'; rmac: Uint8Array }
  | { kind: 'busy' }
  | { kind: 'other'; code: number; data: Uint8Array }
  | { kind: 'invalid'; code: number; why: string };

/** Reads a reply payload (already decrypted). Never throws. */
export function decodeOsdpReply(code: number, d: Uint8Array): OsdpReplyMsg {
  const bad = (why: string): OsdpReplyMsg => ({ kind: 'invalid', code, why });
  switch (code) {
    case OsdpReply.ACK:
      return d.length === 0 ? { kind: 'ack' } : bad('ACK with data');
    case OsdpReply.BUSY:
      return d.length === 0 ? { kind: 'busy' } : bad('BUSY with data');
    case OsdpReply.NAK:
      return d.length >= 1 ? { kind: 'nak', code: d[0]!, reason: osdpNakReason(d[0]!) } : bad('NAK without a reason');
    case OsdpReply.PDID:
      if (d.length !== 12) return bad(`PDID of ${d.length} bytes`);
      return {
        kind: 'pdid',
        id: {
          vendor: d[0]! | (d[1]! << 8) | (d[2]! << 16),
          model: d[3]!,
          version: d[4]!,
          serial: le32(d, 5),
          firmware: { major: d[9]!, minor: d[10]!, build: d[11]! },
        },
      };
    case OsdpReply.PDCAP: {
      if (d.length % 3 !== 0) return bad(`PDCAP of ${d.length} bytes`);
      const caps: OsdpCapability[] = [];
      for (let i = 0; i < d.length; i += 3) caps.push({ fn: d[i]!, compliance: d[i + 1]!, items: d[i + 2]! });
      return { kind: 'pdcap', caps };
    }
    case OsdpReply.LSTATR:
      return d.length === 2 ? { kind: 'lstatr', tamper: d[0] !== 0, power: d[1] !== 0 } : bad(`LSTATR of ${d.length} bytes`);
    case OsdpReply.ISTATR:
      return { kind: 'istatr', inputs: Array.from(d) };
    case OsdpReply.OSTATR:
      return { kind: 'ostatr', outputs: Array.from(d) };
    case OsdpReply.RSTATR:
      return { kind: 'rstatr', tamper: Array.from(d) };
    case OsdpReply.RAW: {
      if (d.length < 4) return bad('RAW shorter than its header');
      const bits = le16(d, 2);
      if (bits === 0 || d.length - 4 !== Math.ceil(bits / 8)) return bad(`RAW: ${bits} bits in ${d.length - 4} bytes`);
      return { kind: 'raw', card: { reader: d[0]!, format: d[1]!, bits, data: d.slice(4) } };
    }
    case OsdpReply.KEYPAD: {
      if (d.length < 2 || d[1] !== d.length - 2) return bad('KEYPAD count does not match');
      let keys = '';
      for (let i = 2; i < d.length; i++) {
        const c = osdpKeyChar(d[i]!);
        if (c === null) return bad(`KEYPAD key byte ${d[i]}`);
        keys += c;
      }
      return { kind: 'keypad', reader: d[0]!, keys };
    }
    case OsdpReply.COM: {
      const s = decodeComset(d);
      return s ? { kind: 'com', settings: s } : bad(`COM of ${d.length} bytes`);
    }
    case OsdpReply.CCRYPT:
      if (d.length !== 32) return bad(`CCRYPT of ${d.length} bytes`);
      return { kind: 'ccrypt', ccrypt: { cuid: d.slice(0, 8), rndB: d.slice(8, 16), cryptogram: d.slice(16, 32) } };
    case OsdpReply.RMAC_I:
      return d.length === 16 ? { kind: 'rmac-i', rmac: d.slice() } : bad(`RMAC_I of ${d.length} bytes`);
    default:
      return { kind: 'other', code, data: d.slice() };
  }
}
