import { describe, it, expect } from 'vitest';
import {
  PN532_ACK,
  PN532_ERROR_FRAME,
  PN532_NACK,
  PN532_WAKEUP,
  Pn532Session,
  Pn532Sim,
  concatBytes,
  getFirmwareVersion,
  inListPassiveTarget,
  rfConfigurationRetries,
  samConfiguration,
  toHex,
  type Pn532Event,
  type Pn532SessionOptions,
} from '../../firmware-bridge/index.ts';
import { hx } from './bytes-util.ts';

type Reader = (bytes: Uint8Array) => Uint8Array;

/** Runs a session against a reader from `fromMs` to `toMs`, ticking every `stepMs`. */
class Harness {
  readonly writes: Uint8Array[] = [];
  readonly events: Pn532Event[] = [];
  constructor(
    readonly session: Pn532Session,
    public reader: Reader,
  ) {}

  private deliver(send: Uint8Array[], t: number): void {
    for (const bytes of send) {
      this.writes.push(bytes);
      const reply = this.reader(bytes);
      if (reply.length === 0) continue;
      const step = this.session.receive(reply, t);
      this.events.push(...step.events);
      this.deliver(step.send, t);
    }
  }

  start(t: number): void {
    const step = this.session.start(t);
    this.events.push(...step.events);
    this.deliver(step.send, t);
  }

  run(fromMs: number, toMs: number, stepMs = 5): void {
    for (let t = fromMs; t <= toMs; t += stepMs) {
      const step = this.session.tick(t);
      this.events.push(...step.events);
      this.deliver(step.send, t);
    }
  }

  cards(): string[] {
    return this.events.flatMap((e) => (e.type === 'card' ? [`${e.atMs}:${e.uidHex}`] : []));
  }
}

const make = (sim: Pn532Sim, opts: Pn532SessionOptions = {}): Harness => new Harness(new Pn532Session(opts), (b) => sim.receive(b));

describe('PN532 session (protocols.md §2.1–§2.6)', () => {
  it('wakes the chip, configures it, reads the firmware, sets a finite retry count, then polls — byte-exact', () => {
    const h = make(new Pn532Sim());
    h.start(0);
    expect(h.writes.slice(0, 4).map((w) => toHex(w, ' '))).toEqual([
      toHex(concatBytes(PN532_WAKEUP, samConfiguration()), ' '),
      toHex(getFirmwareVersion(), ' '),
      toHex(rfConfigurationRetries(0x01), ' '),
      toHex(inListPassiveTarget(1, 0), ' '),
    ]);
    expect(h.writes[0]).toEqual(hx('55 55 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 FF 05 FB D4 14 01 14 01 02 00'));
    expect(h.writes[2]).toEqual(hx('00 00 FF 06 FA D4 32 05 FF 01 01 F4 00'));
    expect(h.events).toEqual([{ type: 'ready', firmware: { ic: 0x32, ver: 1, rev: 6, support: 7 }, atMs: 0 }]);
    expect(h.session.isReady).toBe(true);
  });

  it('polls every pollIntervalMs and reports a held card once; a card lifted for holdMs is reported again', () => {
    const sim = new Pn532Sim();
    const h = make(sim, { pollIntervalMs: 100, holdMs: 300 });
    h.start(0);
    h.run(0, 500);
    expect(h.cards()).toEqual([]);
    sim.setCard({ uid: hx('DE AD BE EF'), atqa: 0x0004, sak: 0x08 });
    h.run(505, 2000);
    sim.setCard(null);
    h.run(2005, 2500);
    sim.setCard({ uid: hx('DE AD BE EF'), atqa: 0x0004, sak: 0x08 });
    h.run(2505, 3000);
    expect(h.cards()).toEqual(['600:DEADBEEF', '2600:DEADBEEF']);
    expect(h.session.stats()).toMatchObject({ faults: 0, retries: 0, cards: 2 });
    expect(h.session.stats().suppressed).toBeGreaterThan(10);
  });

  it('a held card stays one presentation when an answer is lost mid-hold (the recovery outlasts holdMs)', () => {
    const sim = new Pn532Sim({ card: { uid: hx('DE AD BE EF'), atqa: 0x0004, sak: 0x08 } });
    const h = make(sim, { pollIntervalMs: 100, holdMs: 300, responseTimeoutMs: 1000 });
    h.start(0);
    h.run(0, 500);
    sim.loseResponses(1); // the next poll's answer never arrives: ~1 s until the retransmission
    h.run(505, 3000);
    expect(h.session.stats()).toMatchObject({ retries: 1, faults: 0, cards: 1 });
    expect(h.cards()).toEqual(['0:DEADBEEF']);
    // Taken away: the polls that answer say so, and the next presentation is a new one.
    sim.setCard(null);
    h.run(3005, 3500);
    sim.setCard({ uid: hx('DE AD BE EF'), atqa: 0x0004, sak: 0x08 });
    h.run(3505, 3800);
    expect(h.cards()).toHaveLength(2);
  });

  it('a card missing from one answered poll inside holdMs (edge of the field) is still the same presentation', () => {
    const card = { uid: hx('DE AD BE EF'), atqa: 0x0004, sak: 0x08 };
    const sim = new Pn532Sim({ card });
    const h = make(sim, { pollIntervalMs: 100, holdMs: 300 });
    h.start(0);
    h.run(0, 400);
    sim.setCard(null);
    h.run(405, 560); // one or two empty answers, less than holdMs after the last read
    sim.setCard(card);
    h.run(565, 1500);
    expect(h.cards()).toEqual(['0:DEADBEEF']);
  });

  it('repeat suppression is per card: two cards taking turns are each reported once', () => {
    const a = { uid: hx('DE AD BE EF'), atqa: 0x0004, sak: 0x08 };
    const b = { uid: hx('90 1F 2A A4'), atqa: 0x0004, sak: 0x08 };
    const sim = new Pn532Sim({ card: a });
    const h = make(sim, { pollIntervalMs: 100, holdMs: 300 });
    h.start(0);
    h.run(0, 150);
    sim.setCard(b);
    h.run(155, 250);
    sim.setCard(a);
    h.run(255, 350);
    expect(h.cards().map((c) => c.split(':')[1])).toEqual(['DEADBEEF', '901F2AA4']);
  });

  it('reports 7- and 10-byte UIDs with their ATQA / SAK / ATS', () => {
    const sim = new Pn532Sim({ card: { uid: hx('04 11 22 33 44 55 66'), atqa: 0x0044, sak: 0x00 } });
    const h = make(sim, { holdMs: 0 });
    h.start(0);
    sim.setCard({ uid: hx('08 11 22 33 44 55 66 77 88 99'), atqa: 0x0344, sak: 0x20, ats: hx('05 75 77 81 02') });
    h.run(0, 100);
    const cards = h.events.filter((e) => e.type === 'card');
    expect(cards[0]).toMatchObject({ uidHex: '04112233445566', atqa: 0x0044, sak: 0x00, ats: null });
    expect(cards[1]).toMatchObject({ uidHex: '08112233445566778899', atqa: 0x0344, sak: 0x20, ats: hx('05 75 77 81 02') });
  });

  it('a reader that never answers: retries with the wake-up, faults, and starts over after restartDelayMs', () => {
    const h = new Harness(new Pn532Session({ ackTimeoutMs: 100, maxRetries: 3, restartDelayMs: 2000 }), () => new Uint8Array(0));
    h.start(0);
    h.run(0, 1000);
    expect(h.writes).toHaveLength(4); // first try + 3 retries
    for (const w of h.writes) expect(w.subarray(0, 16)).toEqual(PN532_WAKEUP);
    expect(h.events).toEqual([{ type: 'fault', reason: 'no-ack', command: 0x14, atMs: 400 }]);
    h.run(1005, 2395);
    expect(h.writes).toHaveLength(4);
    h.run(2400, 2400);
    expect(h.writes).toHaveLength(5); // restarted
    // Plug the reader in: the next retry succeeds.
    const sim = new Pn532Sim();
    h.reader = (b) => sim.receive(b);
    h.run(2405, 2600);
    expect(h.events.map((e) => e.type)).toEqual(['fault', 'ready']);
  });

  it('ACK but no response: aborts with an ACK frame (§2.3) and retransmits, then faults', () => {
    const h = new Harness(new Pn532Session({ responseTimeoutMs: 200, maxRetries: 1 }), () => PN532_ACK);
    h.start(0);
    h.run(0, 500);
    expect(h.writes.map((w) => toHex(w.subarray(w.length === 28 ? 16 : 0)))).toEqual([
      toHex(samConfiguration()),
      toHex(PN532_ACK),
      toHex(samConfiguration()),
      toHex(PN532_ACK),
    ]);
    expect(h.events).toEqual([{ type: 'fault', reason: 'no-response', command: 0x14, atMs: 400 }]);
  });

  it('a corrupted response is asked for again with a NACK and then reported', () => {
    const sim = new Pn532Sim({ card: { uid: hx('90 1F 2A A4'), atqa: 0x0004, sak: 0x08 } });
    let corrupt = 1;
    const h = new Harness(new Pn532Session(), (b) => {
      const reply = sim.receive(b);
      if (corrupt > 0 && b[6] === 0x4a) {
        corrupt--;
        const bad = reply.slice();
        bad[bad.length - 3]! ^= 0x40; // a UID bit: the DCS no longer matches
        return bad;
      }
      return reply;
    });
    h.start(0);
    expect(h.writes).toContainEqual(PN532_NACK);
    expect(h.cards()).toEqual(['0:901F2AA4']);
    expect(h.session.stats().retries).toBe(1);
  });

  it('an application-level error frame makes it retry the command', () => {
    const sim = new Pn532Sim();
    let errors = 1;
    const h = new Harness(new Pn532Session(), (b) => {
      const reply = sim.receive(b);
      if (errors > 0 && b[6] === 0x02) {
        errors--;
        return concatBytes(PN532_ACK, PN532_ERROR_FRAME);
      }
      return reply;
    });
    h.start(0);
    expect(h.events.map((e) => e.type)).toEqual(['ready']);
    expect(h.session.stats().retries).toBe(1);
  });

  it('the simulator ignores everything until woken, and commands until SAMConfiguration', () => {
    const sim = new Pn532Sim();
    expect(sim.receive(getFirmwareVersion())).toHaveLength(0);
    expect(sim.receive(concatBytes(hx('55'), getFirmwareVersion()))).toHaveLength(0);
    expect(sim.receive(samConfiguration([0x01]))).toEqual(concatBytes(PN532_ACK, hx('00 00 FF 02 FE D5 15 16 00')));
    expect(sim.receive(getFirmwareVersion())).toEqual(concatBytes(PN532_ACK, hx('00 00 FF 06 FA D5 03 32 01 06 07 E8 00')));
    expect(sim.receive(PN532_NACK)).toEqual(hx('00 00 FF 06 FA D5 03 32 01 06 07 E8 00'));
    expect(sim.receive(hx('00 00 FF 02 FE D4 60 CC 00'))).toEqual(concatBytes(PN532_ACK, PN532_ERROR_FRAME));
    expect(sim.commands).toEqual([0x14, 0x02, 0x60]);
  });
});
