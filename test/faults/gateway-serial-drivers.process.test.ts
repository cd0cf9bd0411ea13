// Serial drivers against real PTYs (socat: a system package and a process, hence the process tier): byte-exact
// frames from protocols.md, noise, split frames and bad checksums; unplug and replug; a port
// missing at boot; stale writes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex, Ld2410Sim, Pn532Sim, encodeLd2410Report, encodeRdm6300 } from '../../firmware-bridge/index.ts';
import { SerialCardReader } from '../../gateway/drivers/serial/serial-card-reader.ts';
import { Ld2410Sensor } from '../../gateway/drivers/serial/ld2410-sensor.ts';
import { SerialLink } from '../../gateway/drivers/serial/serial-link.ts';
import type { DeviceHealthState } from '../../gateway/drivers/types.ts';
import { ptyPair, type PtyPair } from '../gateway/helpers/pty.ts';
import { waitFor } from '../gateway/helpers/broker.ts';

const FAST = { minMs: 50, maxMs: 200 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// protocols.md §1.5, byte for byte.
const FRAME_62E3086CED = fromHex('02 36 32 45 33 30 38 36 43 45 44 30 38 03');
const FRAME_0100073 = fromHex('02 30 31 30 30 30 37 33 34 45 30 44 32 03');

describe('serial drivers over PTYs', () => {
  let dir: string;
  let ptys: PtyPair[];
  let stops: Array<() => unknown>;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ss-serial-'));
    ptys = [];
    stops = [];
  });
  afterEach(async () => {
    for (const s of stops) await s();
    for (const p of ptys) await p.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const pty = async (name: string) => {
    const p = await ptyPair(dir, name);
    ptys.push(p);
    return p;
  };
  const reader = (path: string, opts: Partial<ConstructorParameters<typeof SerialCardReader>[1]> = {}) => {
    const r = new SerialCardReader('front-reader', { path, protocol: 'rdm6300', backoff: FAST, ...opts });
    const cards: string[] = [];
    const health: DeviceHealthState[] = [];
    r.on('card', (c) => cards.push(c.uid));
    r.on('health', (h) => health.push(h));
    stops.push(() => r.stop());
    return { r, cards, health };
  };
  const opened = async (link: { isOpen: boolean }) => waitFor(() => link.isOpen, 5000, 'port open');

  it('RDM6300: exact frames, split frames, noise and bad checksums; bad bytes counted in health', async () => {
    const p = await pty('rdm');
    const { r, cards } = reader(p.device, { format: 'hex', holdMs: 0 });
    await r.start();
    await opened((r as unknown as { link: SerialLink }).link);

    p.write(FRAME_62E3086CED);
    await waitFor(() => cards.length === 1, 3000, 'first card');
    // Split in three writes with pauses, as a 9600-baud line delivers it.
    p.write(FRAME_0100073.subarray(0, 3));
    await sleep(20);
    p.write(FRAME_0100073.subarray(3, 9));
    await sleep(20);
    p.write(FRAME_0100073.subarray(9));
    await waitFor(() => cards.length === 2, 3000, 'split card');
    // Noise, a bad checksum (last hex digit changed), a truncated frame, then a good one.
    const bad = FRAME_62E3086CED.slice();
    bad[12] = 0x39;
    p.write(Uint8Array.of(0xff, 0x00, 0x41, 0x0d));
    p.write(bad);
    p.write(FRAME_0100073.subarray(0, 7));
    p.write(encodeRdm6300('0400D4E5F6'));
    await waitFor(() => cards.length === 3, 3000, 'card after garbage');
    expect(cards).toEqual(['62E3086CED', '01000734E0', '0400D4E5F6']);
    const h = r.health();
    expect(h).toMatchObject({ state: 'ok' });
    expect(h.dropped).toBe(2); // the bad checksum and the truncated frame
    expect(h.droppedBytes).toBeGreaterThanOrEqual(4 + 14 + 7);
  });

  it('a held card is one presentation; the format is configurable (§1.3, §1.4)', async () => {
    const p = await pty('hold');
    const { r, cards } = reader(p.device, { format: 'w26' });
    await r.start();
    await opened((r as unknown as { link: SerialLink }).link);
    for (let i = 0; i < 4; i++) {
      p.write(FRAME_62E3086CED);
      await sleep(30);
    }
    await sleep(100);
    expect(cards).toEqual(['008,27885']);
  });

  it('unplugged: fault in health, retried with backoff; replugged: reads again without a restart', async () => {
    const p = await pty('unplug');
    const { r, cards, health } = reader(p.device, { format: 'hex' });
    await r.start();
    await opened((r as unknown as { link: SerialLink }).link);
    await p.kill();
    await waitFor(() => health.at(-1)?.state === 'fault', 5000, 'fault');
    expect(health.at(-1)?.error).toMatch(/disconnected|cannot open/);
    await sleep(300); // several failed attempts: still one fault, not one per attempt
    expect(health.filter((h) => h.state === 'fault').length).toBeLessThanOrEqual(2);
    await p.restart();
    await waitFor(() => health.at(-1)?.state === 'ok', 5000, 'recovered');
    p.write(encodeRdm6300('0400445566'));
    await waitFor(() => cards.includes('0400445566'), 3000, 'card after replug');
  });

  it('a port that does not exist at boot: fault, and it is used as soon as it appears', async () => {
    const path = join(dir, 'later-dev');
    const { r, cards, health } = reader(path, { format: 'hex' });
    await r.start();
    await waitFor(() => health.at(-1)?.state === 'fault', 5000, 'fault at boot');
    expect(r.health().error).toBe(`cannot open ${path}: No such file or directory`);
    const p = await pty('later');
    expect(p.device).toBe(path);
    await waitFor(() => r.health().state === 'ok', 5000, 'opened later');
    p.write(encodeRdm6300('0400A1B2C3'));
    await waitFor(() => cards.length === 1, 3000, 'card');
  });

  it('writes while the port is gone are dropped, never sent after the reopen', async () => {
    const p = await pty('stale');
    const link = new SerialLink({ path: p.device, baudRate: 9600, backoff: FAST });
    stops.push(() => link.stop());
    link.start();
    await opened(link);
    await p.kill();
    await waitFor(() => !link.isOpen, 5000, 'closed');
    expect(link.write(Uint8Array.of(0xde, 0xad))).toBe(false);
    await p.restart();
    await opened(link);
    await sleep(100);
    expect(Array.from(p.readBack())).toEqual([]);
    link.write(Uint8Array.of(0x01));
    await waitFor(() => p.readBack().length > 0 || undefined, 3000, 'fresh write');
  });

  it('PN532 over HSU: wake-up, SAMConfiguration, polling; a card becomes a read', async () => {
    const p = await pty('pn532');
    const sim = new Pn532Sim({ card: { uid: fromHex('DE AD BE EF'), atqa: 0x0004, sak: 0x08 } });
    const { r, cards } = reader(p.device, { protocol: 'pn532' });
    await r.start();
    // Play the PN532: answer whatever the driver writes.
    const pump = setInterval(() => {
      const sent = p.readBack();
      if (sent.length > 0) {
        const reply = sim.receive(sent);
        if (reply.length > 0) p.write(reply);
      }
    }, 5);
    stops.push(() => clearInterval(pump));
    await waitFor(() => cards.length > 0, 5000, 'PN532 card');
    expect(cards[0]).toBe('DEADBEEF');
    expect(r.health().state).toBe('ok');
  });

  it('LD2410: presence from reports, stationary counts; silence is a fault; gates written in a config session', async () => {
    const p = await pty('radar');
    const sim = new Ld2410Sim();
    const s = new Ld2410Sensor('d01-radar', { path: p.device, backoff: FAST, silenceMs: 400, maxGate: 4, noOneS: 10 });
    const presence: boolean[] = [];
    s.on('presence', (v) => presence.push(v));
    stops.push(() => s.stop());
    await s.start();
    const pump = setInterval(() => {
      const sent = p.readBack();
      if (sent.length > 0) {
        const reply = sim.receive(sent);
        if (reply.length > 0) p.write(reply);
      }
    }, 5);
    stops.push(() => clearInterval(pump));
    await waitFor(() => sim.settings.maxMovingGate === 4 && !sim.inConfig, 5000, 'gates configured');
    expect(sim.settings).toEqual({ maxMovingGate: 4, maxStationaryGate: 4, noOneDurationS: 10 });

    // §4.2 example frame: state 3, moving 120 cm, stationary 150 cm.
    p.write(fromHex('F4 F3 F2 F1 0D 00 02 AA 03 78 00 3C 96 00 28 96 00 55 00 F8 F7 F6 F5'));
    await waitFor(() => s.present === true, 3000, 'present');
    // A person sitting still: stationary target only, distance 244 cm (low byte F4, §4.2 pitfall).
    p.write(
      encodeLd2410Report({ targetState: 2, movingDistanceCm: 0, movingEnergy: 0, stationaryDistanceCm: 244, stationaryEnergy: 50, detectionDistanceCm: 244 }),
    );
    await sleep(50);
    expect(s.present).toBe(true);
    expect(s.readings()).toContainEqual({ kind: 'distance', value: 244, unit: 'cm' });
    p.write(encodeLd2410Report({ targetState: 0, movingDistanceCm: 0, movingEnergy: 0, stationaryDistanceCm: 0, stationaryEnergy: 0, detectionDistanceCm: 0 }));
    await waitFor(() => s.present === false, 3000, 'absent');
    expect(presence).toEqual([true, false]);
    // No more reports: after silenceMs the radar is in fault and its presence unknown.
    await waitFor(() => s.health().state === 'fault', 3000, 'silence fault');
    expect(s.health().error).toMatch(/no LD2410 reports/);
    expect(s.present).toBeNull();
    p.write(sim.report());
    await waitFor(() => s.health().state === 'ok', 3000, 'reports again');
  });
});
