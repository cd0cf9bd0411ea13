// Driver bindings: a bad one fails at boot naming the key; the Pi example config (serial + GPIO)
// builds and starts from config alone, with the fake GPIO and its serial ports missing.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, parseSiteConfig } from '../../config/load.ts';
import type { Secrets } from '../../config/schema.ts';
import { checkBindings } from '../../gateway/drivers/binding-check.ts';
import { buildGateway, type Gateway } from '../../gateway/gateway.ts';
import { DEMO_DIR } from '../helpers/site.ts';
import { waitFor } from './helpers/broker.ts';

const EXAMPLE = new URL('../../config/examples/pi-site.yaml', import.meta.url).pathname;
const demoRaw = () => parse(readFileSync(join(DEMO_DIR, 'site.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const exampleRaw = () => parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const secret = 'x'.repeat(24);
const secrets = (gw: string): Secrets => ({
  siteKey: secret,
  sessionSecret: secret,
  mqtt: { services: secret, automation: secret, bridge: secret },
  gateways: { [gw]: { key: secret, mqttPassword: secret } },
});

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('driver bindings', () => {
  it('names the bad key: schema errors from the loader, driver needs from the gateway check', () => {
    const cases: Array<[(r: any) => void, string]> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      [(r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', protocol: 'rdm6300' }), 'doors[0].reader.path: missing, required for driver serial'],
      [(r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0' }), 'doors[0].reader.protocol: missing, required for driver serial'],
      [(r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'pn532', format: 'dec10' }), 'doors[0].reader.format: pn532 reads hex'],
      [(r) => (r.doors[0].reader.path = '/dev/ttyUSB0'), 'doors[0].reader.path: not used by driver sim'],
      [(r) => (r.doors[1].lock = { driver: 'gpio', id: 'meeting-lock', failMode: 'safe' }), 'doors[1].lock.pin: missing, required for driver gpio'],
      [
        (r) => {
          r.doors[0].lock = { driver: 'gpio', id: 'front-lock', pin: 17 };
          r.doors[1].contact = { driver: 'gpio', id: 'meeting-contact', pin: 17 };
        },
        'doors[1].contact.pin: GPIO 17 already used at doors[0].lock.pin',
      ],
      [(r) => (r.desks[1].extraSensors = [{ driver: 'sim', id: 'd01-pir' }]), 'desks[1].extraSensors[0].id: device id d01-pir already used at desks[0].sensor.id'],
      [(r) => (r.desks[0].sensor = { driver: 'gpio', id: 'd01-pir', pin: 5, path: '/dev/x' }), 'desks[0].sensor.path: not used by driver gpio'],
    ];
    for (const [edit, message] of cases) {
      const raw = demoRaw();
      edit(raw);
      const config = parseSiteConfig(raw, '/tmp');
      expect(errorOf(() => checkBindings(config, 'gw-main')).message).toBe(message);
    }
  });

  it('schema errors name the field', () => {
    const raw = demoRaw();
    raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'rdm6300', baudRate: 5 };
    expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message).toBe('doors[0].reader.baudRate: expected integer >= 1200 <= 921600');
    raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'osdp' };
    expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message).toMatch(/^doors\[0\]\.reader\.protocol: expected one of "rdm6300", "pn532"/);
    raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'rdm6300' };
    raw.doors[0].lock.pin = 99;
    expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message).toBe('doors[0].lock.pin: expected integer >= 0 <= 53');
  });
});

describe('the Pi example config', () => {
  let dir: string | undefined;
  let gw: Gateway | undefined;
  afterEach(async () => {
    await gw?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    gw = dir = undefined;
  });

  it('builds and starts from config alone: GPIO pins at their locked levels, missing ports reported and retried', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ss-pi-'));
    const raw = exampleRaw();
    raw.gateways[0].dataDir = join(dir, 'gw-pi');
    raw.broker.url = 'mqtt://127.0.0.1:1'; // nobody there: the gateway decides offline
    const config = parseSiteConfig(raw, dirname(EXAMPLE));
    checkBindings(config, 'gw-pi');
    gw = buildGateway(config, secrets('gw-pi'), 'gw-pi', { gpio: 'fake', serialBackoff: { minMs: 50, maxMs: 200 }, backoff: { minMs: 5000, maxMs: 5000 } });
    await gw.start();
    const gpio = gw.sim.gpio!;
    // front: fail-secure, activeLow → locked = relay released = pin high; meeting: fail-safe, activeLow → locked = energised = low.
    expect(gpio.pin(17)).toEqual({ direction: 'out', level: 1, writes: 0 });
    expect(gpio.pin(23)).toEqual({ direction: 'out', level: 0, writes: 0 });
    expect(gpio.pin(22)?.direction).toBe('in');
    expect([...gw.desks.keys()]).toEqual(['d1', 'd2', 'd3', 'd4']);
    const health = (id: string) => gw!.devices.find((d) => d.id === id)!.health();
    await waitFor(() => health('front-reader').state === 'fault', 2000, 'reader fault');
    expect(health('front-reader').error).toMatch(/^cannot open \/dev\/serial\/by-id\/usb-FTDI.*: No such file or directory$/);
    expect(health('d4-radar').state).toBe('fault');
    expect(health('front-lock')).toMatchObject({ state: 'ok' });
    // The exit button (active low, pulled up when idle) opens the front door: no access event.
    gpio.set(22, 1);
    await new Promise((r) => setTimeout(r, 60));
    gpio.set(22, 0);
    await waitFor(() => gw!.doors.get('front')!.state().lock === 'unlocked', 2000, 'exit opens');
    expect(gpio.pin(17)).toMatchObject({ level: 0, writes: 1 });
    expect(gw.outbox.depth).toBe(0);
  });
});

function dirname(p: string): string {
  return p.slice(0, p.lastIndexOf('/'));
}
