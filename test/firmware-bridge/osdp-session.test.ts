// The CP session and bus against OsdpPdSim, a PD written with the same codec (the real-stack
// proof is osdp-interop.process.test.ts). Covers what the libosdp peer cannot be made to do: a PD
// without Secure Channel, a reply MAC tampered on the line, BUSY, silence, two PDs on one bus.
import { describe, it, expect } from 'vitest';
import { OSDP_SCBK_D, OsdpCmd, OsdpCpBus, OsdpPdSim, encodeOsdpPacket, toHex, type OsdpEvent, type OsdpPdOptions } from '../../firmware-bridge/index.ts';
import { hx } from './bytes-util.ts';

const SITE_KEY = hx('8E1F47A0C3925BD6704E19F2AC5D8B31');

/** Runs `bus` against the fake PDs in simulated time; `silent` PDs never answer. */
function run(bus: OsdpCpBus, pds: OsdpPdSim[], ms: number, opts: { startMs?: number; silent?: boolean } = {}): { events: OsdpEvent[]; endMs: number } {
  const events: OsdpEvent[] = [];
  let t = opts.startMs ?? 0;
  const end = t + ms;
  let out = bus.tick(t);
  for (; t <= end; t += 5) {
    events.push(...out.events);
    const replies: Uint8Array[] = [];
    for (const frame of out.send) {
      for (const pd of pds) {
        const r = opts.silent ? new Uint8Array(0) : pd.receive(frame);
        if (r.length > 0) replies.push(r);
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
    const pd = new OsdpPdSim({ address: 1 });
    const bus = busWith({ address: 1 });
    run(bus, [pd], 400);
    const sqns = pd.seen.map((c) => c.sqn);
    expect(sqns.slice(0, 7)).toEqual([0, 1, 2, 3, 1, 2, 3]);
    expect(sqns.slice(1)).not.toContain(0);
    expect(pd.seen.slice(0, 3).map((c) => c.code)).toEqual([OsdpCmd.ID, OsdpCmd.CAP, OsdpCmd.POLL]);
  });

  it('secure required: a PD whose PDCAP offers no Secure Channel is refused, never polled in plain text', () => {
    const pd = new OsdpPdSim({ address: 1, caps: [{ fn: 4, compliance: 1, items: 1 }], scbk: SITE_KEY });
    const bus = busWith({ address: 1, scbk: SITE_KEY });
    const { events } = run(bus, [pd], 2000);
    expect(types(events)).toEqual(['fault:sc-unsupported']);
    expect(pd.seen.map((c) => c.code)).toEqual([OsdpCmd.ID, OsdpCmd.CAP]);
  });

  it('secure required: a PD that NAKs the challenge is refused (no downgrade)', () => {
    const pd = new OsdpPdSim({ address: 1, scbk: SITE_KEY, refuseChallenge: true });
    const { events } = run(busWith({ address: 1, scbk: SITE_KEY }), [pd], 2000);
    expect(types(events)).toEqual(['fault:sc-unsupported']);
    expect(pd.seen.some((c) => c.code === OsdpCmd.POLL)).toBe(false);
  });

  it('Secure Channel: online on the SCBK, card data decrypted to bits and a W26 reading', () => {
    const pd = new OsdpPdSim({ address: 1, scbk: SITE_KEY });
    pd.card({ reader: 0, format: 1, bits: 26, data: hx('80 80 00 80') });
    const { events } = run(busWith({ address: 1, scbk: SITE_KEY }), [pd], 500);
    expect(events[0]).toMatchObject({ type: 'online', secure: true, key: 'scbk' });
    expect(events.find((e) => e.type === 'card')).toMatchObject({ bits: 26, hex: '80800080', wiegand: { format: 'w26', facility: 1, card: 1 } });
    expect(pd.seen.filter((c) => c.code === OsdpCmd.POLL).every((c) => c.scb?.[1] === 0x15 && c.mac !== null)).toBe(true);
  });

  it('a reply MAC tampered on the line is refused: fault, the card in it is not reported', () => {
    const pd = new OsdpPdSim({ address: 1, scbk: SITE_KEY });
    const bus = busWith({ address: 1, scbk: SITE_KEY, restartDelayMs: 10_000 });
    const first = run(bus, [pd], 300);
    expect(types(first.events)).toEqual(['online']);
    pd.card({ reader: 0, format: 1, bits: 26, data: hx('80 80 00 80') });
    pd.faults.tamperMac = true;
    const { events } = run(bus, [pd], 300, { startMs: first.endMs });
    expect(types(events)).toEqual(['fault:sc-mac', 'offline']);
    expect(bus.stats().pds[1]!.macErrors).toBe(1);
  });

  it('install mode without a site key stays on SCBK-D and says so', () => {
    const pd = new OsdpPdSim({ address: 1 });
    const { events } = run(busWith({ address: 1, installMode: true }), [pd], 300);
    expect(events.slice(0, 2)).toMatchObject([
      { type: 'online', key: 'scbk-d' },
      { type: 'warning', reason: 'install-mode' },
    ]);
  });

  it('install mode with a site key: KEYSET, then every later challenge asks for the SCBK', () => {
    const pd = new OsdpPdSim({ address: 1 });
    const { events } = run(busWith({ address: 1, installMode: true, scbk: SITE_KEY }), [pd], 500);
    expect(types(events).slice(0, 2)).toEqual(['key-changed', 'online']);
    expect(events[1]).toMatchObject({ key: 'scbk' });
    expect(pd.scbk).toEqual(SITE_KEY);
    const challenges = pd.seen.filter((c) => c.code === OsdpCmd.CHLNG).map((c) => c.scb![2]);
    expect(challenges).toEqual([0, 1]);
    expect(events.some((e) => e.type === 'warning')).toBe(false);
  });

  it('enrol while running: a factory PD talked to in plain text is moved to the new key in one attempt', () => {
    const pd = new OsdpPdSim({ address: 1 });
    const bus = busWith({ address: 1 });
    const a = run(bus, [pd], 200);
    expect(types(a.events)).toEqual(['online', 'warning']); // plain text
    bus.session(1)!.enrol(SITE_KEY);
    expect(bus.session(1)!.isEnrolling).toBe(true);
    const b = run(bus, [pd], 600, { startMs: a.endMs });
    expect(types(b.events)).toEqual(['key-changed', 'enrol']);
    expect(b.events[1]).toMatchObject({ ok: true, reason: null, keySent: true });
    expect(pd.scbk).toEqual(SITE_KEY);
    expect(bus.session(1)!.isEnrolling).toBe(false);
    expect(bus.session(1)!.isSecure).toBe(true);
    // Later challenges ask for the new key, never the install key again.
    const challenges = pd.seen.filter((c) => c.code === OsdpCmd.CHLNG).map((c) => c.scb![2]);
    expect(challenges).toEqual([0, 1]);
  });

  it('enrol of a PD that has its own key already: refused before any KEYSET, back on the old key soon', () => {
    const pd = new OsdpPdSim({ address: 1, scbk: SITE_KEY });
    const bus = busWith({ address: 1, scbk: SITE_KEY, restartDelayMs: 200 });
    const a = run(bus, [pd], 300);
    expect(types(a.events)).toEqual(['online']);
    bus.session(1)!.enrol(hx('C4199B20E7A35F6D0B8E2C71F4A9D356'));
    const b = run(bus, [pd], 1000, { startMs: a.endMs });
    const enrol = b.events.find((e) => e.type === 'enrol');
    expect(enrol).toMatchObject({ ok: false, keySent: false });
    expect(['sc-wrong-key', 'sc-unsupported']).toContain((enrol as { reason: string }).reason);
    expect(pd.seen.some((c) => c.code === OsdpCmd.KEYSET)).toBe(false);
    expect(pd.scbk).toEqual(SITE_KEY);
    // The session went back to the site key: online again with it.
    expect(b.events.filter((e) => e.type === 'online').at(-1)).toMatchObject({ key: 'scbk' });
    expect(bus.session(1)!.isEnrolling).toBe(false);
  });

  it('weak keys are refused as site keys and for KEYSET', () => {
    expect(() => busWith({ address: 1, scbk: OSDP_SCBK_D })).toThrow(/weak.*SCBK-D/);
    expect(() => busWith({ address: 1, scbk: new Uint8Array(16) })).toThrow(/weak.*all zero/);
    const bus = busWith({ address: 1, scbk: SITE_KEY });
    expect(() => bus.session(1)!.keyset(hx('11'.repeat(16)))).toThrow(/weak/);
  });

  it('offline after N missing replies, then starts over with SQN 0', () => {
    const pd = new OsdpPdSim({ address: 1 });
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
    const pd = new OsdpPdSim({ address: 1 });
    const bus = busWith({ address: 1 });
    const a = run(bus, [pd], 200);
    bus.session(1)!.buzzer({ reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 });
    pd.faults.busy = true;
    const b = run(bus, [pd], 200, { startMs: a.endMs });
    const buz = pd.seen.filter((c) => c.code === OsdpCmd.BUZ);
    expect(buz).toHaveLength(2);
    expect(buz[0]!.sqn).toBe(buz[1]!.sqn);
    expect(b.events.find((e) => e.type === 'command')).toMatchObject({ command: OsdpCmd.BUZ, ok: true });
  });

  it('multi-drop: two PDs on one bus, each polled and reported by its own address', () => {
    const pd1 = new OsdpPdSim({ address: 1 });
    const pd2 = new OsdpPdSim({ address: 2 });
    pd2.card({ reader: 0, format: 0, bits: 8, data: hx('5A') });
    const { events } = run(busWith({ address: 1 }, { address: 2 }), [pd1, pd2], 500);
    expect(events.filter((e) => e.type === 'online').map((e) => e.address)).toEqual([1, 2]);
    expect(events.find((e) => e.type === 'card')).toMatchObject({ address: 2, hex: '5A', format: 'raw' });
    expect(pd1.seen.filter((c) => c.code === OsdpCmd.POLL).length).toBeGreaterThan(2);
    expect(pd2.seen.filter((c) => c.code === OsdpCmd.POLL).length).toBeGreaterThan(2);
  });

  it('KEYSET is never sent outside a Secure Channel: the key stays off the line', () => {
    const pd = new OsdpPdSim({ address: 1 });
    const bus = busWith({ address: 1 });
    const a = run(bus, [pd], 200);
    bus.session(1)!.keyset(SITE_KEY);
    const b = run(bus, [pd], 200, { startMs: a.endMs });
    expect(pd.seen.some((c) => c.code === OsdpCmd.KEYSET)).toBe(false);
    expect(b.events.find((e) => e.type === 'command')).toMatchObject({ command: OsdpCmd.KEYSET, ok: false, nak: 'no-secure-channel' });
  });

  it('a KEYSET whose ACK is lost: the next handshake finds the PD on the new key and keeps it', () => {
    const newKey = hx('5A0C93E17B2D48F6A1C07E3359B2D4E8');
    const pd = new OsdpPdSim({ address: 1, scbk: SITE_KEY });
    const bus = busWith({ address: 1, scbk: SITE_KEY });
    const a = run(bus, [pd], 300);
    bus.session(1)!.keyset(newKey);
    pd.faults.loseKeysetReply = true;
    const b = run(bus, [pd], 1000, { startMs: a.endMs });
    expect(pd.scbk).toEqual(newKey);
    expect(types(b.events)).toEqual(['key-changed']);
    expect(bus.session(1)!.isSecure).toBe(true);
    pd.card({ reader: 0, format: 0, bits: 8, data: hx('5A') });
    const c = run(bus, [pd], 200, { startMs: b.endMs });
    expect(types(c.events)).toEqual(['card']);
  });

  it('the simulated PD answers like the libosdp captures of protocols.md §5.6', () => {
    const sim = new OsdpPdSim({ address: 1 });
    expect(toHex(sim.receive(hx('53 01 08 00 04 60 BA 00')), ' ')).toBe('53 81 08 00 04 40 08 06');
    const broadcast = encodeOsdpPacket({ address: 0x7f, reply: false, sqn: 2, crc: true, mark: false, scb: null, code: OsdpCmd.POLL, data: new Uint8Array(0) });
    expect(toHex(sim.receive(broadcast), ' ')).toBe('53 FF 08 00 06 40 44 B2');
    expect(sim.receive(hx('53 02 08 00 04 60 00 00'))).toHaveLength(0); // another PD's (and a bad CRC)
  });

  it('commands still waiting when the reader goes offline are reported failed, not sent later', () => {
    const pd = new OsdpPdSim({ address: 1 });
    const bus = busWith({ address: 1, offlineAfter: 2, restartDelayMs: 300 });
    const a = run(bus, [pd], 200);
    for (let k = 0; k < 3; k++) bus.session(1)!.buzzer({ reader: 0, tone: 2, onTime: 1, offTime: 0, count: 1 });
    const b = run(bus, [pd], 600, { startMs: a.endMs, silent: true });
    expect(types(b.events)).toEqual(['offline', 'command', 'command', 'command']);
    expect(b.events.filter((e) => e.type === 'command').every((e) => !e.ok && e.nak === 'offline')).toBe(true);
    const before = pd.seen.length;
    run(bus, [pd], 400, { startMs: b.endMs });
    expect(pd.seen.slice(before).some((c) => c.code === OsdpCmd.BUZ)).toBe(false);
    expect(bus.stats().pds[1]!.dropped).toBe(3);
  });
});
