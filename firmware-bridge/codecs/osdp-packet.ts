// OSDP v2 packet framing (protocols.md §5.2): optional mark `FF`, SOM `53`, address (bit 7 set
// in replies), LEN (LSB first, SOM through the last check byte), CTRL (SQN, CRC flag, SCB flag),
// security block, command/reply code, data, 4-byte MAC (SCB types 15–18), CRC-16/AUG-CCITT (LSB
// first) or an 8-bit checksum. The same decoder reads both directions; it validates structure
// and check bytes only, what a code means is osdp-messages.ts.
import { ByteWindow } from './byte-window.ts';
import { emptyStats, feed, type DecoderStats, type RejectReason } from './decoder-stats.ts';

export const OSDP_MARK = 0xff;
export const OSDP_SOM = 0x53;
export const OSDP_BROADCAST = 0x7f;
/** Longest packet accepted (LEN). libosdp's buffers hold 256; headroom for multi-record commands. */
export const OSDP_MAX_PACKET = 512;
/** SOM, ADDR, LEN (2), CTRL. */
const HEADER = 5;
const CTRL_SQN = 0x03;
const CTRL_CRC = 0x04;
const CTRL_SCB = 0x08;
/** Bits 4–7 of CTRL are not used by OSDP v2 (§5.2); a packet with them set is not one. */
const CTRL_RESERVED = 0xf0;

export interface OsdpPacket {
  /** PD address 0..126, or 0x7F broadcast (a broadcast reply has address 0x7F with `reply`). */
  address: number;
  /** Address bit 7: PD → CP. */
  reply: boolean;
  /** Sequence number 0..3 (§5.3). */
  sqn: number;
  /** CRC-16 (true) or 8-bit checksum (false). */
  crc: boolean;
  /** A leading `FF` mark byte was (to be) sent; not covered by LEN or the check. */
  mark: boolean;
  /** The security block including its length and type bytes (`02 15`, `03 11 01`…), or null. */
  scb: Uint8Array | null;
  /** Command or reply code. */
  code: number;
  /** The bytes after the code (still encrypted in SCS_17/18 packets). */
  data: Uint8Array;
  /** The 4 MAC bytes of SCB types 15–18, else null. */
  mac: Uint8Array | null;
}

export interface DecodedOsdpPacket extends OsdpPacket {
  /** The packet from SOM through the check bytes (mark excluded), as received. */
  frame: Uint8Array;
}

/** SCB types that carry a MAC (§5.7). */
export function scbHasMac(scbType: number): boolean {
  return scbType >= 0x15 && scbType <= 0x18;
}

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC-16/AUG-CCITT: poly 0x1021, init 0x1D0F, not reflected, no final XOR (§5.2). */
export function osdpCrc16(bytes: ArrayLike<number>, from = 0, to = bytes.length): number {
  let crc = 0x1d0f;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ CRC_TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** Two's complement of the low byte of the sum (§5.2). */
export function osdpChecksum(bytes: ArrayLike<number>, from = 0, to = bytes.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += bytes[i]!;
  return (0x100 - (sum & 0xff)) & 0xff;
}

export interface EncodeOsdpOptions {
  /**
   * Computes the 4 MAC bytes from the packet so far (SOM through the data, LEN final); needed
   * when the SCB type is 15–18. Secure Channel code (osdp-sc.ts) supplies it.
   */
  mac?: (macInput: Uint8Array) => ArrayLike<number>;
}

/**
 * Builds a packet. Throws RangeError on values no packet can carry (caller mistakes, not line
 * input). When `p.mac` is given it is used as is; otherwise `opts.mac` computes it.
 */
export function encodeOsdpPacket(p: Omit<OsdpPacket, 'mac'> & { mac?: ArrayLike<number> | null }, opts: EncodeOsdpOptions = {}): Uint8Array {
  if (!Number.isInteger(p.address) || p.address < 0 || p.address > 0x7f) throw new RangeError(`OSDP address must be 0..127, got ${p.address}`);
  if (!Number.isInteger(p.sqn) || p.sqn < 0 || p.sqn > 3) throw new RangeError(`OSDP sequence number must be 0..3, got ${p.sqn}`);
  if (!Number.isInteger(p.code) || p.code < 0 || p.code > 0xff) throw new RangeError(`OSDP code must be a byte, got ${p.code}`);
  const scb = p.scb ?? null;
  if (scb !== null && !validScb(scb, 0, scb.length)) throw new RangeError(`bad OSDP security block ${Array.from(scb).join(',')}`);
  const withMac = scb !== null && scbHasMac(scb[1]!);
  const checkLen = p.crc ? 2 : 1;
  const len = HEADER + (scb?.length ?? 0) + 1 + p.data.length + (withMac ? 4 : 0) + checkLen;
  if (len > OSDP_MAX_PACKET) throw new RangeError(`OSDP packet of ${len} bytes exceeds ${OSDP_MAX_PACKET}`);
  const lead = p.mark ? 1 : 0;
  const out = new Uint8Array(lead + len);
  if (p.mark) out[0] = OSDP_MARK;
  let o = lead;
  out[o++] = OSDP_SOM;
  out[o++] = p.address | (p.reply ? 0x80 : 0);
  out[o++] = len & 0xff;
  out[o++] = len >> 8;
  out[o++] = (p.sqn & CTRL_SQN) | (p.crc ? CTRL_CRC : 0) | (scb ? CTRL_SCB : 0);
  if (scb) {
    out.set(scb, o);
    o += scb.length;
  }
  out[o++] = p.code;
  out.set(p.data, o);
  o += p.data.length;
  if (withMac) {
    const mac = p.mac ?? opts.mac?.(out.subarray(lead, o));
    if (!mac || mac.length < 4) throw new RangeError('OSDP packet with SCB type 15-18 needs a 4-byte MAC');
    for (let k = 0; k < 4; k++) out[o++] = mac[k]! & 0xff;
  } else if (p.mac) {
    throw new RangeError('OSDP MAC given without an SCB type 15-18');
  }
  if (p.crc) {
    const c = osdpCrc16(out, lead, o);
    out[o++] = c & 0xff;
    out[o++] = c >> 8;
  } else {
    out[o] = osdpChecksum(out, lead, o);
  }
  return out;
}

/** SCB `len type data…`: types 11–14 carry one byte (len 3), 15–18 none (len 2). */
function validScb(b: ArrayLike<number>, at: number, room: number): boolean {
  if (room < 2) return false;
  const len = b[at]!;
  const type = b[at + 1]!;
  if (type >= 0x11 && type <= 0x14) return len === 3 && room >= 3;
  if (scbHasMac(type)) return len === 2;
  return false;
}

export interface OsdpDecoderStats extends DecoderStats {
  /** `FF` mark bytes in front of accepted packets (not garbage). */
  marks: number;
}

/**
 * Streaming decoder for either direction. Resync: a rejected candidate costs only its SOM byte,
 * the search resumes right after it, so a packet hidden behind a bogus LEN is still found.
 */
export class OsdpDecoder {
  private readonly win = new ByteWindow(OSDP_MAX_PACKET * 2);
  private readonly s: DecoderStats = emptyStats();
  private marks = 0;

  push(chunk: Uint8Array): DecodedOsdpPacket[] {
    const out: DecodedOsdpPacket[] = [];
    feed(
      this.win,
      chunk,
      () => this.parse(out),
      (n) => (this.s.garbageBytes += n),
    );
    return out;
  }

  /** Drops a pending partial packet (counted as truncated), e.g. after a reply timeout. */
  flush(): void {
    const b = this.win.bytes();
    const start = b.indexOf(OSDP_SOM);
    if (start >= 0 && b.length - start > 1) this.s.truncated++;
    this.s.garbageBytes += countNotMark(b, 0, b.length);
    this.win.clear();
  }

  stats(): OsdpDecoderStats {
    return { ...this.s, marks: this.marks };
  }

  private parse(out: DecodedOsdpPacket[]): void {
    const b = this.win.bytes();
    const n = b.length;
    let pos = 0;
    while (pos < n) {
      const i = b.indexOf(OSDP_SOM, pos);
      if (i < 0) {
        // Trailing FF bytes may be the mark of the next packet: keep them uncounted.
        let keep = n;
        while (keep > pos && b[keep - 1] === OSDP_MARK) keep--;
        this.s.garbageBytes += keep - pos;
        pos = keep;
        break;
      }
      const r = this.packetAt(b, i, out);
      if (r === 'wait') {
        // Keep a mark right before the SOM with the packet it belongs to.
        const from = i > pos && b[i - 1] === OSDP_MARK ? i - 1 : i;
        this.s.garbageBytes += from - pos;
        pos = from;
        break;
      }
      if (typeof r === 'number') {
        // An FF right before the SOM is this packet's mark, not garbage.
        const mark = i > 0 && i - 1 >= pos && b[i - 1] === OSDP_MARK;
        this.s.garbageBytes += i - pos - (mark ? 1 : 0);
        if (mark) {
          this.marks++;
          out[out.length - 1]!.mark = true;
        }
        this.s.frames++;
        pos = i + r;
        continue;
      }
      this.s.garbageBytes += i - pos + 1;
      this.s[r]++;
      pos = i + 1;
    }
    this.win.drop(pos);
  }

  /** Judges the candidate whose SOM is at `i`: packet length, reject reason, or wait. */
  private packetAt(b: Uint8Array, i: number, out: DecodedOsdpPacket[]): number | RejectReason | 'wait' {
    const avail = b.length - i;
    if (avail < 4) return 'wait';
    const len = b[i + 2]! | (b[i + 3]! << 8);
    if (len > OSDP_MAX_PACKET) return 'oversized';
    if (len < HEADER + 2) return 'badFormat';
    if (avail < HEADER) return 'wait';
    const ctrl = b[i + 4]!;
    if (ctrl & CTRL_RESERVED) return 'badFormat';
    const crc = (ctrl & CTRL_CRC) !== 0;
    const checkLen = crc ? 2 : 1;
    const hasScb = (ctrl & CTRL_SCB) !== 0;
    // Structure that can be judged before the whole packet is in: keeps a bogus LEN from
    // holding back the stream.
    if (len < HEADER + 1 + checkLen + (hasScb ? 2 : 0)) return 'badFormat';
    if (hasScb) {
      if (avail < HEADER + 2) return 'wait';
      if (!validScb(b, i + HEADER, len - HEADER - 1 - checkLen)) return 'badFormat';
      if (scbHasMac(b[i + HEADER + 1]!) && len < HEADER + 2 + 1 + 4 + checkLen) return 'badFormat';
    }
    if (avail < len) return 'wait';
    const end = i + len - checkLen;
    const ok = crc ? osdpCrc16(b, i, end) === (b[end]! | (b[end + 1]! << 8)) : osdpChecksum(b, i, end) === b[end];
    if (!ok) return 'badChecksum';
    let o = i + HEADER;
    let scb: Uint8Array | null = null;
    let withMac = false;
    if (hasScb) {
      scb = b.slice(o, o + b[o]!);
      withMac = scbHasMac(scb[1]!);
      o += scb.length;
    }
    const code = b[o++]!;
    const dataEnd = end - (withMac ? 4 : 0);
    out.push({
      address: b[i + 1]! & 0x7f,
      reply: (b[i + 1]! & 0x80) !== 0,
      sqn: ctrl & CTRL_SQN,
      crc,
      mark: false,
      scb,
      code,
      data: b.slice(o, dataEnd),
      mac: withMac ? b.slice(dataEnd, end) : null,
      frame: b.slice(i, i + len),
    });
    return len;
  }
}

function countNotMark(b: Uint8Array, from: number, to: number): number {
  let c = 0;
  for (let k = from; k < to; k++) if (b[k] !== OSDP_MARK) c++;
  return c;
}
