// A simulated OSDP PD (card reader) for unit tests and the demo (protocols.md §5.4–§5.7): answers
// ID, CAP, POLL (queued card and keypad events), LED/BUZ/OUT and status requests, opens a Secure
// Channel with its SCBK (or SCBK-D in install mode) and takes a KEYSET. Like libosdp it keeps
// no reply cache. The real-stack proof is test/tools/osdp-peer; this is for what that peer
// cannot be made to do (no SC, a tampered MAC, BUSY, a lost reply).
import { concatBytes } from '../codecs/bytes.ts';
import {
  OsdpCmd,
  OsdpReply,
  decodeKeyset,
  encodeKeypad,
  encodePdcap,
  encodePdid,
  encodeRaw,
  type OsdpCapability,
  type OsdpPdId,
  type OsdpRawCard,
} from '../codecs/osdp-messages.ts';
import { OsdpDecoder, encodeOsdpPacket, type DecodedOsdpPacket } from '../codecs/osdp-packet.ts';
import { OSDP_SCBK_D, OsdpScChain, deriveOsdpSessionKeys, osdpClientCryptogram, osdpRmacI, osdpServerCryptogram, sameBytes } from '../codecs/osdp-sc.ts';

export interface OsdpPdSimOptions {
  address: number;
  /** Default: LED, buzzer, card format and Secure Channel. */
  caps?: OsdpCapability[];
  /** The PD's SCBK; null = a factory reader (install mode, SCBK-D only). */
  scbk?: Uint8Array | null;
  id?: OsdpPdId;
  /** NAK 05 every challenge (a reader without Secure Channel that still advertises it). */
  refuseChallenge?: boolean;
}

/** Faults to inject once, for tests. */
export interface OsdpPdSimFaults {
  /** Answer the next command with osdp_BUSY. */
  busy: boolean;
  /** Flip a bit of the next reply's MAC. */
  tamperMac: boolean;
  /** Carry out the next KEYSET but lose its reply. */
  loseKeysetReply: boolean;
}

export const OSDP_SIM_CAPS: readonly OsdpCapability[] = [
  { fn: 3, compliance: 1, items: 0 },
  { fn: 4, compliance: 1, items: 1 },
  { fn: 5, compliance: 1, items: 1 },
  { fn: 9, compliance: 1, items: 0 },
];

export class OsdpPdSim {
  readonly address: number;
  /** Every command packet addressed to this PD, in order (for tests and the demo's trace). */
  readonly seen: DecodedOsdpPacket[] = [];
  readonly faults: OsdpPdSimFaults = { busy: false, tamperMac: false, loseKeysetReply: false };
  private readonly decoder = new OsdpDecoder();
  private readonly caps: OsdpCapability[];
  private readonly id: OsdpPdId;
  private readonly refuseChallenge: boolean;
  private key: Uint8Array | null;
  private readonly events: Uint8Array[] = [];
  private chain: OsdpScChain | null = null;
  private hs: { keys: ReturnType<typeof deriveOsdpSessionKeys>; rndA: Uint8Array; rndB: Uint8Array } | null = null;
  private rndCounter = 0;

  constructor(opts: OsdpPdSimOptions) {
    this.address = opts.address;
    this.caps = [...(opts.caps ?? OSDP_SIM_CAPS)];
    this.key = opts.scbk ? opts.scbk.slice() : null;
    this.id = opts.id ?? { vendor: 0x5a5a5a, model: 1, version: 1, serial: 1000 + opts.address, firmware: { major: 1, minor: 0, build: 0 } };
    this.refuseChallenge = opts.refuseChallenge ?? false;
  }

  /** The SCBK the PD holds now (changes with KEYSET). */
  get scbk(): Uint8Array | null {
    return this.key;
  }

  get secure(): boolean {
    return this.chain !== null;
  }

  /** A card read, reported on the next POLL. */
  card(card: OsdpRawCard): void {
    this.events.push(concatBytes([OsdpReply.RAW], encodeRaw(card)));
  }

  /** Keys pressed, reported on the next POLL. */
  keypad(keys: string, reader = 0): void {
    this.events.push(concatBytes([OsdpReply.KEYPAD], encodeKeypad(reader, keys)));
  }

  /** Line bytes from the CP in, the PD's reply bytes out (possibly empty). */
  receive(bytes: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    for (const c of this.decoder.push(bytes)) {
      if (c.reply || (c.address !== this.address && c.address !== 0x7f)) continue;
      const r = this.answer(c);
      if (r) out.push(r);
    }
    return concatBytes(...out);
  }

  private answer(c: DecodedOsdpPacket): Uint8Array | null {
    this.seen.push(c);
    // A broadcast is answered with address 7F and the reply bit (FF on the wire, §5.3).
    const base = { address: c.address === 0x7f ? 0x7f : this.address, reply: true, sqn: c.sqn, crc: true, mark: c.mark };
    if (this.faults.busy) {
      this.faults.busy = false;
      return encodeOsdpPacket({ ...base, sqn: 0, scb: null, code: OsdpReply.BUSY, data: new Uint8Array(0) });
    }
    if (c.sqn === 0) this.chain = null; // SQN 0 resets the link (§5.3)
    let data = c.data;
    if (c.scb && c.mac) {
      const chain = this.chain;
      const input = c.frame.subarray(0, c.frame.length - (c.crc ? 2 : 1) - 4);
      const plain = chain && chain.verifyCommand(input, c.mac) ? (c.scb[1] === 0x17 ? chain.decryptCommand(c.data) : c.data) : null;
      if (!plain) {
        this.chain = null; // as libosdp: drop the session, NAK 06 in plain text
        return encodeOsdpPacket({ ...base, scb: null, code: OsdpReply.NAK, data: Uint8Array.of(6) });
      }
      data = plain;
    }
    const reply = (code: number, payload: Uint8Array = new Uint8Array(0), scb: Uint8Array | null = null): Uint8Array => {
      const chain = this.chain;
      if (!chain) return encodeOsdpPacket({ ...base, scb, code, data: payload });
      const enc = payload.length > 0;
      const tamper = this.faults.tamperMac;
      this.faults.tamperMac = false;
      const mac = (input: Uint8Array): Uint8Array => {
        const m = chain.macReply(input);
        if (tamper) m[0] = m[0]! ^ 0x01;
        return m;
      };
      return encodeOsdpPacket({ ...base, scb: Uint8Array.of(2, enc ? 0x18 : 0x16), code, data: enc ? chain.encryptReply(payload) : payload }, { mac });
    };
    switch (c.code) {
      case OsdpCmd.ID:
        return reply(OsdpReply.PDID, encodePdid(this.id));
      case OsdpCmd.CAP:
        return reply(OsdpReply.PDCAP, encodePdcap(this.caps));
      case OsdpCmd.CHLNG: {
        this.chain = null;
        if (this.refuseChallenge || data.length !== 8) return reply(OsdpReply.NAK, Uint8Array.of(5));
        // A factory reader only has SCBK-D; one with a key answers with it, whatever was asked.
        const useD = this.key === null;
        const rndB = Uint8Array.from({ length: 8 }, (_, i) => (0xa0 + i + this.rndCounter++) & 0xff);
        this.hs = { keys: deriveOsdpSessionKeys(useD ? OSDP_SCBK_D : this.key!, data), rndA: data.slice(), rndB };
        const cc = concatBytes(new Uint8Array(8), rndB, osdpClientCryptogram(this.hs.keys, data, rndB));
        return reply(OsdpReply.CCRYPT, cc, Uint8Array.of(3, 0x12, useD ? 0 : 1));
      }
      case OsdpCmd.SCRYPT: {
        const hs = this.hs;
        this.hs = null;
        const server = hs ? osdpServerCryptogram(hs.keys, hs.rndA, hs.rndB) : null;
        if (!hs || !server || !sameBytes(server, data)) return reply(OsdpReply.NAK, Uint8Array.of(5));
        const rmac = osdpRmacI(hs.keys, server);
        const r = reply(OsdpReply.RMAC_I, rmac, Uint8Array.of(3, 0x14, 1));
        this.chain = new OsdpScChain(hs.keys, rmac);
        return r;
      }
      case OsdpCmd.KEYSET: {
        const k = decodeKeyset(data);
        if (!this.chain || !k || k.type !== 1 || k.key.length !== 16) return reply(OsdpReply.NAK, Uint8Array.of(this.chain ? 2 : 6));
        const r = this.faults.loseKeysetReply ? null : reply(OsdpReply.ACK);
        this.faults.loseKeysetReply = false;
        this.key = k.key;
        this.chain = null; // the next session uses the new key
        return r;
      }
      case OsdpCmd.POLL: {
        const ev = this.events.shift();
        return ev ? reply(ev[0]!, ev.subarray(1)) : reply(OsdpReply.ACK);
      }
      case OsdpCmd.LSTAT:
        return reply(OsdpReply.LSTATR, Uint8Array.of(0, 0));
      default:
        return reply(OsdpReply.ACK);
    }
  }
}
