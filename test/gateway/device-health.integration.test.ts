// Device health carries the firmware: a PN532 says its version on ready (GetFirmwareVersion,
// protocols.md §2.5), simulated devices say `sim 1.0`; the health reporter publishes it. A sim
// device can be put into fault (and out again) for tests.
import { afterEach, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Pn532Sim, fromHex } from '../../firmware-bridge/index.ts';
import { SerialCardReader } from '../../gateway/drivers/serial/serial-card-reader.ts';
import type { PortFactory, SerialPortLike } from '../../gateway/drivers/serial/serial-link.ts';
import type { DeviceHealthState } from '../../gateway/drivers/types.ts';
import { DriverFactory } from '../../gateway/drivers/factory.ts';
import { SIM_FIRMWARE } from '../../gateway/drivers/sim/sim-device.ts';
import { HealthReporter } from '../../gateway/health/health-reporter.ts';
import { parseSiteConfig } from '../../config/load.ts';
import type { Secrets } from '../../config/schema.ts';
import { topics } from '../../contracts/topics.ts';
import type { DeviceHealth } from '../../contracts/payloads.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { freePort } from '../helpers/site.ts';
import { startBroker, startServicesClient, waitFor, type TestBroker } from './helpers/broker.ts';

/** A serial port in memory with a simulated PN532 on the other end: what the driver writes, the PN532 answers. */
class Pn532Port extends EventEmitter implements SerialPortLike {
  isOpen = false;
  constructor(readonly sim: Pn532Sim) {
    super();
  }
  open(cb: (err: Error | null) => void): void {
    setImmediate(() => {
      this.isOpen = true;
      cb(null);
    });
  }
  write(data: Uint8Array): boolean {
    const reply = this.sim.receive(data);
    // Split in two, as a real UART delivers it: the codec must reassemble.
    if (reply.length > 0) {
      const cut = Math.floor(reply.length / 2);
      setTimeout(() => {
        if (!this.isOpen) return;
        this.emit('data', Buffer.from(reply.subarray(0, cut)));
        this.emit('data', Buffer.from(reply.subarray(cut)));
      }, 1);
    }
    return true;
  }
  close(cb?: (err: Error | null) => void): void {
    this.isOpen = false;
    cb?.(null);
  }
}

const pn532Ports =
  (sims: Record<string, Pn532Sim>): PortFactory =>
  (path) => {
    const sim = sims[path];
    if (!sim) throw new Error(`Error: No such file or directory, cannot open ${path}`);
    return new Pn532Port(sim);
  };

describe('firmware in device health', () => {
  const stops: Array<() => unknown> = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  it('a PN532 reader reports the firmware its session learned on ready', async () => {
    for (const [fw, expected] of [
      [{ ic: 0x32, ver: 1, rev: 6, support: 7 }, 'PN532 v1.6'],
      [{ ic: 0x32, ver: 2, rev: 1, support: 7 }, 'PN532 v2.1'],
    ] as const) {
      const sim = new Pn532Sim({ firmware: fw, card: { uid: fromHex('DE AD BE EF'), atqa: 0x0004, sak: 0x08 } });
      const r = new SerialCardReader('meeting-reader', {
        path: '/dev/ttyAMA0',
        protocol: 'pn532',
        portFactory: pn532Ports({ '/dev/ttyAMA0': sim }),
        backoff: { minMs: 50, maxMs: 100 },
      });
      const events: DeviceHealthState[] = [];
      const cards: string[] = [];
      r.on('health', (h) => events.push(h));
      r.on('card', (c) => cards.push(c.uid));
      stops.push(() => r.stop());
      expect(r.health().firmware).toBeUndefined();
      await r.start();
      await waitFor(() => cards.length > 0, 5000, 'a card through the PN532');
      expect(cards[0]).toBe('DEADBEEF');
      expect(r.health()).toMatchObject({ state: 'ok', firmware: expected });
      // Learning the firmware is reported at once, not at the next refresh.
      expect(events.at(-1)).toMatchObject({ state: 'ok', firmware: expected });
      await r.stop();
    }
  });

  it('simulated devices report sim firmware; a fault can be put on and taken off', async () => {
    const f = new DriverFactory();
    const reader = f.reader({ driver: 'sim', id: 'front-reader' });
    const lock = f.lock({ driver: 'sim', id: 'front-lock', failMode: 'secure' });
    const pir = f.presence({ driver: 'sim', id: 'd01-pir' });
    for (const d of [reader, lock, pir]) await d.start();
    expect(SIM_FIRMWARE).toBe('sim 1.0');
    for (const d of [reader, lock, pir]) expect(d.health()).toMatchObject({ state: 'ok', firmware: 'sim 1.0' });

    const seen: DeviceHealthState[] = [];
    reader.on('health', (h) => seen.push(h));
    const sim = f.sim.device('front-reader')!;
    sim.setFault('antenna cable cut');
    sim.setFault('antenna cable cut'); // no change, no event
    expect(reader.health()).toMatchObject({ state: 'fault', error: 'antenna cable cut', firmware: 'sim 1.0' });
    expect(lock.health().state).toBe('ok');
    sim.setFault(null);
    expect(reader.health().state).toBe('ok');
    expect(reader.health().error).toBeUndefined();
    expect(seen.map((h) => [h.state, h.error])).toEqual([
      ['fault', 'antenna cable cut'],
      ['ok', undefined],
    ]);
    expect(f.sim.snapshot().faults).toEqual({});
  });

  it('the health reporter publishes firmware and error', async () => {
    const f = new DriverFactory({ now: () => 1_000 });
    const reader = f.reader({ driver: 'sim', id: 'front-reader' });
    await reader.start();
    const sent: Array<{ topic: string; payload: DeviceHealth }> = [];
    const hr = new HealthReporter({
      devices: [reader],
      gatewayId: 'gw-main',
      topics: topics('klitmoller'),
      publish: (topic, payload) => sent.push({ topic, payload: payload as DeviceHealth }),
      now: () => 2_000,
    });
    hr.start();
    stops.push(() => hr.stop());
    hr.publishAll();
    f.sim.device('front-reader')!.setFault('no answer');
    expect(sent.map((s) => s.topic)).toEqual([topics('klitmoller').deviceHealth('front-reader'), topics('klitmoller').deviceHealth('front-reader')]);
    expect(sent[0]!.payload).toEqual({
      v: 1,
      ts: 2_000,
      device: 'front-reader',
      gateway: 'gw-main',
      kind: 'card-reader',
      state: 'ok',
      lastSeen: 1_000,
      firmware: 'sim 1.0',
    });
    expect(sent[1]!.payload).toMatchObject({ state: 'fault', error: 'no answer', firmware: 'sim 1.0' });
  });
});

describe('a hardware gateway publishes its PN532 firmware', () => {
  const EXAMPLE = new URL('../../config/examples/pi-site.yaml', import.meta.url).pathname;
  const T = topics('pi-example');
  const secret = 'x'.repeat(24);
  const secrets: Secrets = {
    siteKey: secret,
    sessionSecret: secret,
    mqtt: { services: secret, automation: secret, bridge: secret },
    gateways: { 'gw-pi': { key: secret, mqttPassword: secret } },
  };
  let dir: string;
  let broker: TestBroker;
  let services: Awaited<ReturnType<typeof startServicesClient>>;
  let gw: Gateway;

  afterEach(async () => {
    await gw?.stop();
    services?.close();
    await broker?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on device/<id>/health, retained', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ss-devhealth-'));
    const port = await freePort();
    broker = await startBroker(port);
    services = await startServicesClient(port, T.wildcard.deviceHealth);
    const raw = parse(readFileSync(EXAMPLE, 'utf8'));
    raw.gateways[0].dataDir = join(dir, 'gw-pi');
    raw.broker.url = `mqtt://127.0.0.1:${port}`;
    const config = parseSiteConfig(raw, dir);
    const sim = new Pn532Sim({ firmware: { ic: 0x32, ver: 1, rev: 6, support: 7 } });
    gw = buildGateway(config, secrets, 'gw-pi', {
      gpio: 'fake',
      portFactory: pn532Ports({ '/dev/ttyAMA0': sim }),
      serialBackoff: { minMs: 5000, maxMs: 5000 },
      backoff: { minMs: 100, maxMs: 200 },
    });
    await gw.start();
    const got = await waitFor(
      () => services.received.find((m) => m.topic === T.deviceHealth('meeting-reader') && (m.payload as DeviceHealth).firmware !== undefined),
      5000,
      'meeting-reader health with firmware',
    );
    expect(got.payload).toMatchObject({ device: 'meeting-reader', gateway: 'gw-pi', kind: 'card-reader', state: 'ok', firmware: 'PN532 v1.6' });
    // A reader whose port is absent is in fault, and has no firmware to tell.
    const front = await waitFor(() => services.received.find((m) => m.topic === T.deviceHealth('front-reader')), 5000, 'front-reader health');
    expect(front.payload).toMatchObject({ state: 'fault' });
    expect((front.payload as DeviceHealth).firmware).toBeUndefined();
  });
});
