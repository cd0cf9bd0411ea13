import { describe, it, expect } from 'vitest';
import {
  OSDP_SCBK_D,
  OsdpScChain,
  deriveOsdpSessionKeys,
  encodeOsdpPacket,
  osdpClientCryptogram,
  osdpDecrypt,
  osdpEncrypt,
  osdpMac,
  osdpRmacI,
  osdpServerCryptogram,
  osdpWeakKeyReason,
  toHex,
} from '../../firmware-bridge/index.ts';
import { hx } from './bytes-util.ts';

// protocols.md §5.7: Annex-E vectors (SCBK-D, RND.A = B0…B7, RND.B = A0…A7).
const RND_A = hx('B0 B1 B2 B3 B4 B5 B6 B7');
const RND_B = hx('A0 A1 A2 A3 A4 A5 A6 A7');
const keys = deriveOsdpSessionKeys(OSDP_SCBK_D, RND_A);

describe('OSDP Secure Channel, Annex-E vectors', () => {
  it('SCBK-D is 30 31 … 3F', () => {
    expect(toHex(OSDP_SCBK_D)).toBe('303132333435363738393A3B3C3D3E3F');
  });
  it('derives S-ENC, S-MAC1, S-MAC2', () => {
    expect(toHex(keys.enc, ' ')).toBe('BF 8D C2 A8 32 9A CB 8C 67 C6 D0 CD 9A 45 16 82');
    expect(toHex(keys.mac1, ' ')).toBe('5E 86 C6 76 60 3B DE E2 D8 BE AF E1 78 63 73 32');
    expect(toHex(keys.mac2, ' ')).toBe('6F DA 86 E8 57 77 7E 81 13 20 35 75 82 39 17 2E');
  });
  it('computes the client and server cryptograms and RMAC-I', () => {
    expect(toHex(osdpClientCryptogram(keys, RND_A, RND_B), ' ')).toBe('FD E5 D2 F4 28 EC 16 31 24 71 EA 3C 02 BD 77 96');
    const server = osdpServerCryptogram(keys, RND_A, RND_B);
    expect(toHex(server, ' ')).toBe('26 D3 35 6E 07 76 2D 26 28 01 FC 8E 66 65 A8 91');
    expect(toHex(osdpRmacI(keys, server), ' ')).toBe('B2 A3 00 57 EB 98 BA 22 29 EC 1F 87 56 62 B5 24');
  });
  it('encodes the live CHLNG of §5.7 byte-exact', () => {
    const chlng = encodeOsdpPacket({ address: 1, reply: false, sqn: 1, crc: true, mark: false, scb: hx('03 11 00'), code: 0x76, data: RND_A });
    expect(toHex(chlng, ' ')).toBe('53 01 13 00 0D 03 11 00 76 B0 B1 B2 B3 B4 B5 B6 B7 15 DF');
  });
});

describe('OSDP Secure Channel data and MAC', () => {
  const rmacI = osdpRmacI(keys, osdpServerCryptogram(keys, RND_A, RND_B));

  it('data is always padded with 80 00…: 16 bytes become 32, and decrypt strips it', () => {
    const iv = new Uint8Array(16);
    expect(osdpEncrypt(keys, iv, new Uint8Array(16)).length).toBe(32);
    const plain = hx('00 01 1A 00 80 80 00 80');
    const enc = osdpEncrypt(keys, iv, plain);
    expect(enc.length).toBe(16);
    expect(osdpDecrypt(keys, iv, enc)).toEqual(plain);
    expect(osdpDecrypt(keys, hx('FF'.repeat(16)), enc)).toBeNull(); // wrong IV → bad padding (with this data)
    expect(osdpDecrypt(keys, iv, enc.subarray(0, 8))).toBeNull();
  });

  it('MAC pads only an unaligned input', () => {
    const input16 = new Uint8Array(16).fill(7);
    const padded = new Uint8Array(32);
    padded.set(input16);
    padded[16] = 0x80;
    expect(toHex(osdpMac(keys, rmacI, input16))).not.toBe(toHex(osdpMac(keys, rmacI, padded)));
    const input5 = hx('53 01 0E 00 0F');
    const p5 = new Uint8Array(16);
    p5.set(input5);
    p5[5] = 0x80;
    expect(osdpMac(keys, rmacI, input5)).toEqual(osdpMac(keys, rmacI, p5));
  });

  it('a CP chain and a PD chain agree, command after reply, and a tampered MAC is refused', () => {
    const cp = new OsdpScChain(keys, rmacI);
    const pd = new OsdpScChain(keys, rmacI);
    for (let round = 0; round < 3; round++) {
      const cmdData = cp.encryptCommand(hx('00 00 02 05 05 01 00 1E 00 01 01 00 02 00'));
      const cmdInput = Uint8Array.from([0x53, 0x01, 0x2a, 0x00, 0x0d, 0x02, 0x17, 0x69, ...cmdData]);
      const cmac = cp.macCommand(cmdInput);
      expect(pd.verifyCommand(cmdInput, cmac)).toBe(true);
      expect(toHex(pd.decryptCommand(cmdData)!)).toBe('000002050501001E000101000200');
      const repData = pd.encryptReply(hx('00 01 1A 00 80 80 00 80'));
      const repInput = Uint8Array.from([0x53, 0x81, 0x1e, 0x00, 0x0d, 0x02, 0x18, 0x50, ...repData]);
      const rmac = pd.macReply(repInput);
      const tampered = rmac.slice();
      tampered[0] = tampered[0]! ^ 1;
      const spare = new OsdpScChain(keys, rmacI);
      expect(spare.verifyReply(repInput, tampered)).toBe(false);
      expect(cp.verifyReply(repInput, rmac)).toBe(true);
      expect(toHex(cp.decryptReply(repData)!)).toBe('00011A0080800080');
    }
  });
});

describe('OSDP weak key check', () => {
  it.each([
    ['00'.repeat(16), /all zero/],
    ['303132333435363738393A3B3C3D3E3F', /SCBK-D/],
    ['AA'.repeat(16), /repeated byte/],
    ['0102'.repeat(8), /pattern/],
    ['DEADBEEF'.repeat(4), /pattern/],
    ['000102030405060708090A0B0C0D0E0F', /counting/],
    ['01020304050101010101010101010101', /distinct/],
    ['0011', /16 bytes/],
  ])('%s is weak', (hex, why) => {
    expect(osdpWeakKeyReason(hx(hex))).toMatch(why);
  });
  it('a random-looking key passes', () => {
    expect(osdpWeakKeyReason(hx('8E1F47A0C3925BD6704E19F2AC5D8B31'))).toBeNull();
  });
});
