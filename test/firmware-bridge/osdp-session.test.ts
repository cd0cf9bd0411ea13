// The CP session and bus against a scripted PD written with the same codec (the real-stack proof
// is osdp-interop.process.test.ts). Covers what the libosdp peer cannot be made to do: a PD
// without Secure Channel, a reply MAC tampered on the line, BUSY, silence, two PDs on one bus.
import { describe, it, expect } from 'vitest';
import {
  OSDP_SCBK_D,
  OsdpCmd,
  OsdpCpBus,
  OsdpDecoder,
  OsdpReply,
  OsdpScChain,
  deriveOsdpSessionKeys,
  encodeOsdpPacket,
  encodePdcap,
  encodePdid,
  encodeRaw,
  osdpClientCryptogram,
  osdpRmacI,
  osdpServerCryptogram,
  type DecodedOsdpPacket,
  type OsdpCapability,
  type OsdpEvent,
  type OsdpPdOptions,
} from '../../firmware-bridge/index.ts';
import { hx } from './bytes-util.ts';

const SITE_KEY = hx('8E1F47A0C3925BD6704E19F2AC5D8B31');
const SC_CAPS: OsdpCapability[] = [
  { fn: 4, compliance: 1, items: 1 },
  { fn: 9, compliance: 1, items: 0 },
];

/** A scripted PD: answers one command packet with one reply (or nothing). */
class FakePd {
  events: Uint8Array[] = [];
  seen: DecodedOsdpPacket[] = [];
  tamperNextMac = false;
  busyOnce = false;
  /** Process the next KEYSET but lose its reply. */
  loseKeysetAck = false;
  private chain: OsdpScChain | null = null;
  private hs: { keys: ReturnType<typeof deriveOsdpSessionKeys>; rndA: Uint8Array; rndB: Uint8Array } | null = null;

  constructor(
    readonly address: number,
    readonly caps: OsdpCapability[] = SC_CAPS,
    public key: Uint8Array | null = null,
    readonly nakChallenge = false,
  ) {}

  answer(c: DecodedOsdpPacket): Uint8Array | null {
    if (c.address !== this.address) return null;
    this.seen.push(c);
    const base = { address: this.address, reply: true, sqn: c.sqn, crc: true, mark: false };
    if (this.busyOnce) {
      this.busyOnce = false;
      return encodeOsdpPacket({ ...base, sqn: 0, scb: null, code: OsdpReply.BUSY, data: new Uint8Array(0) });
    }
    let data = c.data;
    if (this.chain) {
      const input = c.frame.subarray(0, c.frame.length - 6);
      if (!c.mac || !this.chain.verifyCommand(input, c.mac)) throw new Error('fake PD: command MAC');
      if (c.scb?.[1] === 0x17) data = this.chain.decryptCommand(c.data)!;
    }
    const reply = (code: number, payload: Uint8Array = new Uint8Array(0), scb: Uint8Array | null = null): Uint8Array => {
      const chain = this.chain;
      if (!chain) return encodeOsdpPacket({ ...base, scb, code, data: payload });
      const enc = payload.length > 0;
      const body = enc ? chain.encryptReply(payload) : payload;
      const tamper = this.tamperNextMac;
      this.tamperNextMac = false;
      return encodeOsdpPacket(
        { ...base, scb: Uint8Array.of(2, enc ? 0x18 : 0x16), code, data: body },
        {
          mac: (input) => {
            const m = chain.macReply(input);
            if (tamper) m[0] = m[0]! ^ 0x01;
            return m;
          },
        },
      );
    };
    switch (c.code) {
      case OsdpCmd.ID:
        return reply(OsdpReply.PDID, encodePdid({ vendor: 1, model: 2, version: 3, serial: 4, firmware: { major: 1, minor: 0, build: 0 } }));
      case OsdpCmd.CAP:
        return reply(OsdpReply.PDCAP, encodePdcap(this.caps));
      case OsdpCmd.CHLNG: {
        if (this.nakChallenge) return reply(OsdpReply.NAK, Uint8Array.of(5));
        const useD = c.scb?.[2] === 0;
        const k = useD ? OSDP_SCBK_D : this.key!;
        const rndB = hx('A0 A1 A2 A3 A4 A5 A6 A7');
        this.hs = { keys: deriveOsdpSessionKeys(k, data), rndA: data, rndB };
        const cc = Uint8Array.from([...new Uint8Array(8), ...rndB, ...osdpClientCryptogram(this.hs.keys, data, rndB)]);
        return reply(OsdpReply.CCRYPT, cc, Uint8Array.of(3, 0x12, useD ? 0 : 1));
      }
      case OsdpCmd.SCRYPT: {
        const hs = this.hs!;
        const server = osdpServerCryptogram(hs.keys, hs.rndA, hs.rndB);
        const rmac = osdpRmacI(hs.keys, server);
        const r = reply(OsdpReply.RMAC_I, rmac, Uint8Array.of(3, 0x14, 1));
        this.chain = new OsdpScChain(hs.keys, rmac);
        return r;
      }
      case OsdpCmd.KEYSET: {
        const r = this.loseKeysetAck ? null : reply(OsdpReply.ACK);
        this.loseKeysetAck = false;
        this.key = data.slice(2);
        this.chain = null;
        return r;
      }
      case OsdpCmd.POLL: {
        const ev = this.events.shift();
        return ev ? reply(OsdpReply.RAW, ev) : reply(OsdpReply.ACK);
      }
      default:
        return reply(OsdpReply.ACK);
    }
  }
}

/** Runs `bus` against the fake PDs in simulated time; `silent` PDs never answer. */
function run(bus: OsdpCpBus, pds: FakePd[], ms: number, opts: { startMs?: number; silent?: boolean } = {}): { events: OsdpEvent[]; endMs: number } {
  const dec = new OsdpDecoder();
  const events: OsdpEvent[] = [];
  let t = opts.startMs ?? 0;
  const end = t + ms;
  let out = bus.tick(t);
  for (; t <= end; t += 5) {
    events.push(...out.events);
    const replies: Uint8Array[] = [];
    for (const frame of out.send) {
      for (const c of dec.push(frame)) {
        for (const pd of pds) {
          const r = opts.silent ? null : pd.answer(c);
          if (r) replies.push(r);
        }
      }
    }
    out = { send: [], events: [] };
    for (const r of replies) {
      const s = bus.receive(r, t);
      out.send.push(...s.send);
      out.events.push(...s.events);
    }
    if (out.send.length === 0) {
      const s = bus.tick(t);
      out.send.push(...s.send);
      out.events.push(...s.events);
    }
  }
  events.push(...out.events);
  return { events, endMs: t };
}

const fixedRandom = (): Uint8Array => hx('B0 B1 B2 B3 B4 B5 B6 B7');
const busWith = (...pds: OsdpPdOptions[]): OsdpCpBus => {
  const bus = new OsdpCpBus({ baud: 115200 });
  for (const pd of pds) bus.add({ random: fixedRandom, faultRetryMs: 60_000, ...pd });
  return bus;
};
const types = (events: OsdpEvent[]): string[] => events.map((e) => (e.type === 'fault' ? `fault:${e.reason}` : e.type));

describe('OSDP CP session', () => {
  it('starts with SQN 0, then cycles 1, 2, 3, 1 (never 0 again)', () => {
    const pd = new FakePd(1);
    const bus = busWith({ address: 1 });
    run(bus, [pd], 400);
    const sqns = pd.seen.map((c) => c.sqn);
    expect(sqns.slice(0, 7)).toEqual([0, 1, 2, 3, 1, 2, 3]);
    expect(sqns.slice(1)).not.toContain(0);
    expect(pd.seen.slice(0, 3).map((c) => c.code)).toEqual([OsdpCmd.ID, OsdpCmd.CAP, OsdpCmd.POLL]);
  });

  it('secure required: a PD whose PDCAP offers no Secure Channel is refused, never polled in plain text', () => {
    const pd = new FakePd(1, [{ fn: 4, compliance: 1, items: 1 }], SITE_KEY);
    const bus = busWith({ address: 1, scbk: SITE_KEY });
    const { events } = run(bus, [pd], 2000);
    expect(types(events)).toEqual(['fault:sc-unsupported']);
    expect(pd.seen.map((c) => c.code)).toEqual([OsdpCmd.ID, OsdpCmd.CAP]);
  });

  it('secure required: a PD that NAKs the challenge is refused (no downgrade)', () => {
    const pd = new FakePd(1, SC_CAPS, SITE_KEY, true);
    const { events } = run(busWith({ address: 1, scbk: SITE_KEY }), [pd], 2000);
    expect(types(events)).toEqual(['fault:sc-unsupported']);
    expect(pd.seen.some((c) => c.code === OsdpCmd.POLL)).toBe(false);
  });

  it('Secure Channel: online on the SCBK, card data decrypted to bits and a W26 reading', () => {
    const pd = new FakePd(1, SC_CAPS, SITE_KEY);
    pd.events.push(encodeRaw({ reader: 0, format: 1, bits: 26, data: hx('80 80 00 80') }));
    const { events } = run(busWith({ address: 1, scbk: SITE_KEY }), [pd], 500);
    expect(events[0]).toMatchObject({ type: 'online', secure: true, key: 'scbk' });
    expect(events.find((e) => e.type === 'card')).toMatchObject({ bits: 26, hex: '80800080', wiegand: { format: 'w26', facility: 1, card: 1 } });
    expect(pd.seen.filter((c) => c.code === OsdpCmd.POLL).every((c) => c.scb?.[1] === 0x15 && c.mac !== null)).toBe(true);
  });

  it('a reply MAC tampered on the line is refused: fault, the card in it is not reported', () => {
    const pd = new FakePd(1, SC_CAPS, SITE_KEY);
    const bus = busWith({ address: 1, scbk: SITE_KEY, restartDelayMs: 10_000 });
    const first = run(bus, [pd], 300);
    expect(types(first.events)).toEqual(['online']);
    pd.events.push(encodeRaw({ reader: 0, format: 1, bits: 26, data: hx('80 80 00 80') }));
    pd.tamperNextMac = true;
    const { events } = run(bus, [pd], 300, { startMs: first.endMs });
    expect(types(events)).toEqual(['fault:sc-mac', 'offline']);
    expect(bus.stats().pds[1]!.macErrors).toBe(1);
  });

  it('install mode without a site key stays on SCBK-D and says so', () => {
    const pd = new FakePd(1, SC_CAPS, null);
    const { events } = run(busWith({ address: 1, installMode: true }), [pd], 300);
    expect(events.slice(0, 2)).toMatchObject([
      { type: 'online', key: 'scbk-d' },
      { type: 'warning', reason: 'install-mode' },
    ]);
  });

  it('install mode with a site key: KEYSET, then every later challenge asks for the SCBK', () => {
    const pd = new FakePd(1, SC_CAPS, null);
    const { events } = run(busWith({ address: 1, installMode: true, scbk: SITE_KEY }), [pd], 500);
    expect(types(events).slice(0, 2)).toEqual(['key-changed', 'online']);
    expect(events[1]).toMatchObject({ key: 'scbk' });
    expect(pd.key).toEqual(SITE_KEY);
    const challenges = pd.seen.filter((c) => c.code === OsdpCmd.CHLNG).map((c) => c.scb![2]);
    expect(challenges).toEqual([0, 1]);
    expect(events.some((e) => e.type === 'warning')).toBe(false);
  });

  it('weak keys are refused as site keys and for KEYSET', () => {
    expect(() => busWith({ address: 1, scbk: OSDP_SCBK_D })).toThrow(/weak.*SCBK-D/);
    expect(() => busWith({ address: 1, scbk: new Uint8Array(16) })).toThrow(/weak.*all zero/);
    const bus = busWith({ address: 1, scbk: SITE_KEY });
    expect(() => bus.session(1)!.keyset(hx('11'.repeat(16)))).toThrow(/weak/);
  });

  it('offline after N missing replies, then starts over with SQN 0', () => {
    const pd = new FakePd(1);
    const bus = busWith({ address: 1, offlineAfter: 3, restartDelayMs: 500 });
    const a = run(bus, [pd], 200);
    expect(types(a.events)).toContain('online');
    const b = run(bus, [pd], 1000, { startMs: a.endMs, silent: true });
    expect(types(b.events)).toEqual(['offline']);
    expect(bus.stats().pds[1]!.timeouts).toBeGreaterThanOrEqual(3);
    const before = pd.seen.length;
    const c = run(bus, [pd], 300, { startMs: b.endMs });
    expect(types(c.events)).toEqual(['online', 'warning']);
    expect(pd.seen[before]).toMatchObject({ code: OsdpCmd.ID, sqn: 0 });
  });

  it('BUSY: the same command goes again with the same sequence number', () => {
    const pd = new FakePd(1);
    const bus = busWith({ address: 1 });
    const a = run(bus, [pd], 200);
    bus.session(1)!.buzzer({ reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 });
    pd.busyOnce = true;
    const b = run(bus, [pd], 200, { startMs: a.endMs });
    const buz = pd.seen.filter((c) => c.code === OsdpCmd.BUZ);
    expect(buz).toHaveLength(2);
    expect(buz[0]!.sqn).toBe(buz[1]!.sqn);
    expect(b.events.find((e) => e.type === 'command')).toMatchObject({ command: OsdpCmd.BUZ, ok: true });
  });

  it('multi-drop: two PDs on one bus, each polled and reported by its own address', () => {
    const pd1 = new FakePd(1);
    const pd2 = new FakePd(2);
    pd2.events.push(encodeRaw({ reader: 0, format: 0, bits: 8, data: hx('5A') }));
    const { events } = run(busWith({ address: 1 }, { address: 2 }), [pd1, pd2], 500);
    expect(events.filter((e) => e.type === 'online').map((e) => e.address)).toEqual([1, 2]);
    expect(events.find((e) => e.type === 'card')).toMatchObject({ address: 2, hex: '5A', format: 'raw' });
    expect(pd1.seen.filter((c) => c.code === OsdpCmd.POLL).length).toBeGreaterThan(2);
    expect(pd2.seen.filter((c) => c.code === OsdpCmd.POLL).length).toBeGreaterThan(2);
  });

  it('KEYSET is never sent outside a Secure Channel: the key stays off the line', () => {
    const pd = new FakePd(1);
    const bus = busWith({ address: 1 });
    const a = run(bus, [pd], 200);
    bus.session(1)!.keyset(SITE_KEY);
    const b = run(bus, [pd], 200, { startMs: a.endMs });
    expect(pd.seen.some((c) => c.code === OsdpCmd.KEYSET)).toBe(false);
    expect(b.events.find((e) => e.type === 'command')).toMatchObject({ command: OsdpCmd.KEYSET, ok: false, nak: 'no-secure-channel' });
  });

  it('a KEYSET whose ACK is lost: the next handshake finds the PD on the new key and keeps it', () => {
    const newKey = hx('5A0C93E17B2D48F6A1C07E3359B2D4E8');
    const pd = new FakePd(1, SC_CAPS, SITE_KEY);
    const bus = busWith({ address: 1, scbk: SITE_KEY });
    const a = run(bus, [pd], 300);
    bus.session(1)!.keyset(newKey);
    pd.loseKeysetAck = true;
    const b = run(bus, [pd], 1000, { startMs: a.endMs });
    expect(pd.key).toEqual(newKey);
    expect(types(b.events)).toEqual(['key-changed']);
    expect(bus.session(1)!.isSecure).toBe(true);
    pd.events.push(encodeRaw({ reader: 0, format: 0, bits: 8, data: hx('5A') }));
    const c = run(bus, [pd], 200, { startMs: b.endMs });
    expect(types(c.events)).toEqual(['card']);
  });
});
