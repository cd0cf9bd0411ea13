// The real gateway process with its front reader on a socat PTY (an RDM6300 on a USB-serial
// cable, protocols.md §1), the real services and broker. Byte-exact frames with noise, split
// frames and bad checksums go in; the lock driver (sim control state) and the MQTT events come
// out. Then the reader is unplugged (socat killed) and plugged back: the gateway recovers
// without a restart, and the other door keeps working meanwhile. A desk radar (LD2410, §4)
// whose port does not exist at boot is a fault until the port appears, then fills its desk.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { fingerprint } from '../../contracts/signing.ts';
import { encodeLd2410Report, encodeRdm6300, fromHex } from '../../firmware-bridge/index.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, sim, eventually, type Stack } from '../helpers/stack.ts';
import { ptyPair, type PtyPair } from '../gateway/helpers/pty.ts';
import { observe, type Observer } from '../gateway/helpers/observer.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// protocols.md §1.5: card 62E3086CED (unknown to the site) and a member card (Jonas).
const FRAME_62E3086CED = fromHex('02 36 32 45 33 30 38 36 43 45 44 30 38 03');
const JONAS = '0400D4E5F6';

describe('gateway process with a reader on a PTY', () => {
  let site: TestSite;
  let stack: Stack;
  let reader: PtyPair;
  let mqtt: Observer;

  beforeAll(async () => {
    site = await makeTestSite((raw) => {
      const dir = String(raw.gateways[0].dataDir).replace(/\/[^/]+$/, '');
      raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: `${dir}/front-reader-dev`, protocol: 'rdm6300', format: 'hex' };
      raw.desks[0].extraSensors = [{ driver: 'serial', id: 'd01-radar', path: `${dir}/d01-radar-dev`, protocol: 'ld2410' }];
    });
    const reader0 = site.config.doors[0]!.reader;
    const path = reader0.driver === 'serial' ? reader0.path : '';
    reader = await ptyPair(site.dir, 'front-reader');
    expect(reader.device).toBe(path);
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    mqtt = await observe(site);
  });

  let radar: PtyPair | undefined;
  afterAll(async () => {
    mqtt?.close();
    await stack?.stop();
    await reader?.kill();
    await radar?.kill();
    site?.cleanup();
  });

  const frontLock = async () => (await sim(stack.simUrl, '/sim/state')).locks['front-lock'] as { unlocked: boolean; operations: number };
  const accessEvents = (door = 'front') => mqtt.on(`door/${door}/event`).filter((m) => m.payload.type === 'access');

  /** Writes a frame until the gateway has decided it (the port may still be opening). */
  async function tapUntilDecided(frame: Uint8Array, fp: string): Promise<void> {
    await eventually(
      () => {
        if (accessEvents().some((e) => e.payload.fingerprint === fp)) return true;
        reader.write(frame);
        return false;
      },
      20_000,
      'a decision for the frame',
    );
  }

  it('frames with noise, split frames and bad checksums: members open, strangers do not, garbage is dropped', async () => {
    const stranger = fingerprint(site.secrets.siteKey, '62E3086CED');
    await tapUntilDecided(FRAME_62E3086CED, stranger);
    expect(accessEvents().find((e) => e.payload.fingerprint === stranger)!.payload).toMatchObject({
      decision: 'denied',
      reason: 'unknown-credential',
      via: 'card',
    });
    expect((await frontLock()).unlocked).toBe(false);

    const before = await frontLock();
    const bad = FRAME_62E3086CED.slice();
    bad[11] = 0x31; // checksum character changed: XOR no longer 0
    const jonas = encodeRdm6300(JONAS);
    reader.write(Uint8Array.of(0x00, 0xff, 0x7e, 0x0d, 0x0a)); // line noise
    reader.write(bad);
    reader.write(jonas.subarray(0, 5)); // a frame split over three writes
    await sleep(15);
    reader.write(jonas.subarray(5, 11));
    await sleep(15);
    reader.write(jonas.subarray(11));
    const granted = await eventually(() => accessEvents().find((e) => e.payload.member === 'jonas'), 10_000, 'granted event');
    expect(granted.payload).toMatchObject({
      decision: 'granted',
      reason: 'ok',
      via: 'card',
      door: 'front',
      fingerprint: fingerprint(site.secrets.siteKey, JONAS),
    });
    const after = await frontLock();
    expect(after.operations).toBeGreaterThan(before.operations);
    // Exactly two access events so far: the bad-checksum frame made none.
    expect(accessEvents()).toHaveLength(2);
    // Nothing on the wire carries a card number in clear.
    expect(JSON.stringify(mqtt.seen)).not.toContain(JONAS);
  });

  it('unplugged: fault (with the drop count) in device health, the other door still opens; replugged: works again, same process', async () => {
    const pid = stack.gateway!.child.pid;
    await reader.kill();
    const fault = await eventually(() => mqtt.on('device/front-reader/health').find((m) => m.payload.state === 'fault'), 15_000, 'fault health');
    expect(fault.payload).toMatchObject({ device: 'front-reader', kind: 'card-reader', gateway: 'gw-main' });
    expect(fault.payload.error).toMatch(/disconnected|cannot open/);
    expect(fault.payload.dropped).toBeGreaterThanOrEqual(1); // the bad-checksum frame
    expect(fault.payload.droppedBytes).toBeGreaterThanOrEqual(5 + 14);

    // The meeting room (a simulated reader) is not affected.
    await sim(stack.simUrl, '/sim/tap', { reader: 'meeting-reader', uid: '0400A1B2C3' });
    expect((await sim(stack.simUrl, '/sim/state')).locks['meeting-lock'].unlocked).toBe(true);

    await reader.restart();
    await eventually(() => mqtt.on('device/front-reader/health').some((m) => m.at >= fault.at && m.payload.state === 'ok'), 20_000, 'ok health');
    const lars = '0400445566';
    await tapUntilDecided(encodeRdm6300(lars), fingerprint(site.secrets.siteKey, lars));
    expect(accessEvents().find((e) => e.payload.member === 'lars')!.payload).toMatchObject({ decision: 'granted' });
    expect(stack.gateway!.child.pid).toBe(pid);
    expect(stack.gateway!.child.exitCode).toBeNull();
  });

  it('a radar port missing at boot: the gateway runs, reports the fault, and uses the port once it appears', async () => {
    const fault = await eventually(() => mqtt.on('device/d01-radar/health').find((m) => m.payload.state === 'fault'), 15_000, 'radar fault');
    expect(fault.payload).toMatchObject({ kind: 'presence-sensor', error: expect.stringMatching(/^cannot open .*d01-radar-dev: No such file or directory$/) });
    expect(mqtt.on('desk/d01/occupancy').at(-1)?.payload.occupied).not.toBe(true);

    radar = await ptyPair(site.dir, 'd01-radar');
    // A person sitting still: a stationary target at 244 cm (low byte F4, §4.2), ~10 reports/s.
    const report = encodeLd2410Report({
      targetState: 2,
      movingDistanceCm: 0,
      movingEnergy: 0,
      stationaryDistanceCm: 244,
      stationaryEnergy: 48,
      detectionDistanceCm: 244,
    });
    const stream = setInterval(() => radar!.write(report), 100);
    try {
      await eventually(() => mqtt.on('device/d01-radar/health').some((m) => m.at >= fault.at && m.payload.state === 'ok'), 20_000, 'radar ok');
      await eventually(() => mqtt.on('desk/d01/occupancy').some((m) => m.payload.occupied === true), 10_000, 'desk occupied');
    } finally {
      clearInterval(stream);
    }
  });
});
