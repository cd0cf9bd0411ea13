// OSDP Secure Channel (protocols.md §5.7) with node:crypto AES-128: session keys from the SCBK,
// client/server cryptograms, RMAC-I, MAC chaining and data-block encryption. Pure: no I/O, the
// keys live in the objects that hold them and are never put into strings here.
import { createCipheriv, createDecipheriv } from 'node:crypto';

/** SCBK-D, the install-mode default key: `30 31 … 3F`. */
export const OSDP_SCBK_D: Uint8Array = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);
/** End-of-message marker that pads MAC input and encrypted data. */
const EOM = 0x80;

export interface OsdpSessionKeys {
  enc: Uint8Array;
  mac1: Uint8Array;
  mac2: Uint8Array;
}

function checkKey(name: string, k: Uint8Array): void {
  if (k.length !== 16) throw new RangeError(`${name} must be 16 bytes, got ${k.length}`);
}

/** AES-128-ECB of one or more whole blocks. */
export function aesEcb(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

function aesCbc(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createDecipheriv('aes-128-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

/** S-ENC, S-MAC1, S-MAC2 = AES(SCBK, `01 xx RND.A[0..5] 00×8`), xx = 82 / 01 / 02. */
export function deriveOsdpSessionKeys(scbk: Uint8Array, rndA: Uint8Array): OsdpSessionKeys {
  checkKey('SCBK', scbk);
  if (rndA.length !== 8) throw new RangeError(`RND.A must be 8 bytes, got ${rndA.length}`);
  const derive = (xx: number): Uint8Array => {
    const b = new Uint8Array(16);
    b[0] = 0x01;
    b[1] = xx;
    b.set(rndA.subarray(0, 6), 2);
    return aesEcb(scbk, b);
  };
  return { enc: derive(0x82), mac1: derive(0x01), mac2: derive(0x02) };
}

const cat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
};

/** Client (PD) cryptogram: AES(S-ENC, RND.A ‖ RND.B). */
export const osdpClientCryptogram = (k: OsdpSessionKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array => aesEcb(k.enc, cat(rndA, rndB));
/** Server (CP) cryptogram: AES(S-ENC, RND.B ‖ RND.A). */
export const osdpServerCryptogram = (k: OsdpSessionKeys, rndA: Uint8Array, rndB: Uint8Array): Uint8Array => aesEcb(k.enc, cat(rndB, rndA));
/** RMAC-I = AES(S-MAC2, AES(S-MAC1, server cryptogram)). */
export const osdpRmacI = (k: OsdpSessionKeys, serverCryptogram: Uint8Array): Uint8Array => aesEcb(k.mac2, aesEcb(k.mac1, serverCryptogram));

/** Constant-time-ish comparison of two byte arrays (lengths are public). */
export function sameBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** `80 00…` to the next 16-byte boundary; `always` pads an aligned input with a whole block. */
function pad16(data: Uint8Array, always: boolean): Uint8Array {
  if (!always && data.length % 16 === 0 && data.length > 0) return data;
  const out = new Uint8Array((Math.floor(data.length / 16) + 1) * 16);
  out.set(data);
  out[data.length] = EOM;
  return out;
}

/**
 * The full 16-byte MAC over `input` (SOM through the data, LEN final) chained from `iv`: CBC with
 * S-MAC1 over all blocks but the last, the last with S-MAC2 (§5.7). Only an unaligned input is padded.
 */
export function osdpMac(k: OsdpSessionKeys, iv: Uint8Array, input: Uint8Array): Uint8Array {
  const p = pad16(input, false);
  let chain = iv;
  if (p.length > 16) {
    const head = aesCbc(k.mac1, iv, p.subarray(0, p.length - 16));
    chain = head.subarray(head.length - 16);
  }
  return aesCbc(k.mac2, chain, p.subarray(p.length - 16));
}

const invert = (b: Uint8Array): Uint8Array => b.map((x) => ~x & 0xff);

/** Encrypts a data block: `80`-padded (always), AES-CBC with S-ENC, IV = NOT(`macIv`). */
export function osdpEncrypt(k: OsdpSessionKeys, macIv: Uint8Array, data: Uint8Array): Uint8Array {
  return aesCbc(k.enc, invert(macIv), pad16(data, true));
}

/** Decrypts and strips the `80 00…` padding; null when the length or padding is wrong. */
export function osdpDecrypt(k: OsdpSessionKeys, macIv: Uint8Array, data: Uint8Array): Uint8Array | null {
  if (data.length === 0 || data.length % 16 !== 0) return null;
  const p = aesCbcDecrypt(k.enc, invert(macIv), data);
  let end = p.length - 1;
  while (end >= 0 && p[end] === 0) end--;
  if (end < 0 || p[end] !== EOM || p.length - end > 16) return null;
  return p.slice(0, end);
}

/**
 * The MAC chain of one established session, from the CP's side or the PD's. A command's MAC
 * starts from the last full R-MAC (first RMAC-I), a reply's from the full C-MAC it answers.
 */
export class OsdpScChain {
  private cmac: Uint8Array;
  private rmac: Uint8Array;

  constructor(
    readonly keys: OsdpSessionKeys,
    rmacI: Uint8Array,
  ) {
    this.rmac = rmacI.slice();
    this.cmac = new Uint8Array(16);
  }

  /** Encrypts command data (IV from the last R-MAC). Call before `macCommand`. */
  encryptCommand(data: Uint8Array): Uint8Array {
    return osdpEncrypt(this.keys, this.rmac, data);
  }

  /** MAC of an outgoing command; advances the chain. Returns the 4 bytes sent. */
  macCommand(input: Uint8Array): Uint8Array {
    this.cmac = osdpMac(this.keys, this.rmac, input);
    return this.cmac.slice(0, 4);
  }

  /** Checks a reply's MAC; on success advances the chain. */
  verifyReply(input: Uint8Array, mac: Uint8Array): boolean {
    const full = osdpMac(this.keys, this.cmac, input);
    if (!sameBytes(full.subarray(0, 4), mac)) return false;
    this.rmac = full;
    return true;
  }

  /** Decrypts reply data (IV from the C-MAC it answers). */
  decryptReply(data: Uint8Array): Uint8Array | null {
    return osdpDecrypt(this.keys, this.cmac, data);
  }

  // PD side (used by simulators and tests).
  verifyCommand(input: Uint8Array, mac: Uint8Array): boolean {
    const full = osdpMac(this.keys, this.rmac, input);
    if (!sameBytes(full.subarray(0, 4), mac)) return false;
    this.cmac = full;
    return true;
  }
  decryptCommand(data: Uint8Array): Uint8Array | null {
    return osdpDecrypt(this.keys, this.rmac, data);
  }
  encryptReply(data: Uint8Array): Uint8Array {
    return osdpEncrypt(this.keys, this.cmac, data);
  }
  macReply(input: Uint8Array): Uint8Array {
    this.rmac = osdpMac(this.keys, this.cmac, input);
    return this.rmac.slice(0, 4);
  }
}

/**
 * Why `key` must not be a site's SCBK, or null when it may: all zero (libosdp's key when none is
 * configured), SCBK-D (published), one repeated byte, a short repeating pattern, a counting run,
 * or fewer than 6 distinct byte values.
 */
export function osdpWeakKeyReason(key: Uint8Array): string | null {
  if (key.length !== 16) return `an SCBK is 16 bytes, got ${key.length}`;
  if (key.every((b) => b === 0)) return 'all zero';
  if (sameBytes(key, OSDP_SCBK_D)) return 'the published install-mode key SCBK-D';
  if (key.every((b) => b === key[0])) return 'one repeated byte';
  for (const period of [2, 4, 8]) {
    if (key.every((b, i) => b === key[i % period])) return `a ${period}-byte pattern repeated`;
  }
  const step = (key[1]! - key[0]! + 256) & 0xff;
  if (key.every((b, i) => i === 0 || ((b - key[i - 1]! + 256) & 0xff) === step)) return 'a counting sequence';
  if (new Set(key).size < 6) return 'fewer than 6 distinct bytes';
  return null;
}
