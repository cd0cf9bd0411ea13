// Driver bindings: the schema has one branch per driver, and the loader reports a bad binding
// against the branch its `driver` names; what a schema cannot say (a pin or port bound twice,
// card formats per protocol, device ids) is checked by the loader too. All at load time.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, parseSiteConfig } from '../../config/load.ts';
import { DoorConfig } from '../../config/schema.ts';
import { READER_PROTOCOLS } from '../../contracts/readers.ts';
import { DEMO_DIR } from '../helpers/site.ts';

const demoRaw = () => parse(readFileSync(join(DEMO_DIR, 'site.yaml'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

type Edit = (r: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('driver bindings', () => {
  it('names the bad key against the driver the binding names', () => {
    const cases: Array<[Edit, string]> = [
      [(r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', protocol: 'rdm6300' }), 'doors[0].reader.path: missing, required for driver serial'],
      [
        (r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0' }),
        'doors[0].reader.protocol: missing, required for driver serial',
      ],
      [
        (r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'pn532', format: 'dec10' }),
        'doors[0].reader.format: pn532 reads hex',
      ],
      [(r) => (r.doors[0].reader.path = '/dev/ttyUSB0'), 'doors[0].reader.path: not used by driver sim'],
      [(r) => (r.doors[0].reader.colour = 'red'), 'doors[0].reader.colour: unknown key'],
      [(r) => (r.doors[0].reader = 'rdm6300'), 'doors[0].reader: expected a mapping with driver one of "sim", "serial", "osdp"'],
      [(r) => delete r.doors[0].reader.driver, 'doors[0].reader.driver: missing, expected one of "sim", "serial", "osdp"'],
      [(r) => (r.doors[1].lock = { driver: 'gpio', id: 'meeting-lock', failMode: 'safe' }), 'doors[1].lock.pin: missing, required for driver gpio'],
      [(r) => (r.doors[0].lock = { driver: 'gpio', id: 'front-lock', pin: 17, baudRate: 9600 }), 'doors[0].lock.baudRate: not used by driver gpio'],
      [(r) => (r.doors[0].lock = { driver: 'gpio', id: 'front-lock', pin: 99 }), 'doors[0].lock.pin: expected integer >= 0 <= 53'],
      [
        (r) => {
          r.doors[0].lock = { driver: 'gpio', id: 'front-lock', pin: 17 };
          r.doors[1].contact = { driver: 'gpio', id: 'meeting-contact', pin: 17 };
        },
        'doors[1].contact.pin: GPIO 17 already used at doors[0].lock.pin',
      ],
      [
        (r) => {
          r.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'rdm6300' };
          r.desks[0].sensor = { driver: 'serial', id: 'd01-radar', path: '/dev/ttyUSB0', protocol: 'ld2410' };
        },
        'desks[0].sensor.path: serial port /dev/ttyUSB0 already used at doors[0].reader.path',
      ],
      [
        (r) => (r.desks[1].extraSensors = [{ driver: 'sim', id: 'd01-pir' }]),
        'desks[1].extraSensors[0].id: device id "d01-pir" already used at desks[0].sensor.id',
      ],
      [(r) => (r.desks[0].sensor = { driver: 'gpio', id: 'd01-pir', pin: 5, path: '/dev/x' }), 'desks[0].sensor.path: not used by driver gpio'],
      [(r) => (r.desks[0].sensor = { driver: 'serial', id: 'd01-radar', path: '/dev/x', protocol: 'rdm6300' }), 'desks[0].sensor.protocol: expected "ld2410"'],
      [
        (r) => (r.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'rdm6300', baudRate: 5 }),
        'doors[0].reader.baudRate: expected integer >= 1200 <= 921600',
      ],
    ];
    for (const [edit, message] of cases) {
      const raw = demoRaw();
      edit(raw);
      expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message, message).toBe(message);
    }
  });

  it('lets OSDP readers share one RS-485 line by address, at one speed, and nothing else on it', () => {
    const osdp = (id: string, address: number, extra: Record<string, unknown> = {}) => ({ driver: 'osdp', id, path: '/dev/ttyUSB0', address, ...extra });
    const two: Edit = (r) => {
      r.doors[0].reader = osdp('front-reader', 1);
      r.doors[1].reader = osdp('meeting-reader', 2);
    };
    const ok = demoRaw();
    two(ok);
    expect(parseSiteConfig(ok, '/tmp').doors[1]!.reader).toEqual(osdp('meeting-reader', 2));
    const cases: Array<[Edit, string]> = [
      [(r) => (r.doors[0].reader = osdp('front-reader', 127)), 'doors[0].reader.address: expected integer >= 0 <= 126'],
      [(r) => (r.doors[0].reader = { ...osdp('front-reader', 1), protocol: 'rdm6300' }), 'doors[0].reader.protocol: not used by driver osdp'],
      [
        (r) => {
          two(r);
          r.doors[1].reader.address = 1;
        },
        'doors[1].reader.address: OSDP address 1 on /dev/ttyUSB0 already used at doors[0].reader',
      ],
      [
        (r) => {
          two(r);
          r.doors[1].reader.baudRate = 115200;
        },
        'doors[1].reader.baudRate: 115200, but the OSDP line /dev/ttyUSB0 runs at 9600 (doors[0].reader)',
      ],
      [
        (r) => {
          two(r);
          r.desks[0].sensor = { driver: 'serial', id: 'd01-radar', path: '/dev/ttyUSB0', protocol: 'ld2410' };
        },
        'desks[0].sensor.path: serial port /dev/ttyUSB0 already used at doors[0].reader.path',
      ],
    ];
    for (const [edit, message] of cases) {
      const raw = demoRaw();
      edit(raw);
      expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message, message).toBe(message);
    }
  });

  it('lists the protocols of the one vocabulary, and fills the defaults of the chosen driver', () => {
    const raw = demoRaw();
    raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: '/dev/ttyUSB0', protocol: 'osdp' };
    expect(errorOf(() => parseSiteConfig(raw, '/tmp')).message).toBe(
      `doors[0].reader.protocol: expected one of ${Object.keys(READER_PROTOCOLS)
        .map((p) => JSON.stringify(p))
        .join(', ')}`,
    );
    raw.doors[0].reader.protocol = 'wiegand-hex';
    raw.doors[0].lock = { driver: 'gpio', id: 'front-lock', pin: 17 };
    const c = parseSiteConfig(raw, '/tmp');
    expect(c.doors[0]!.lock).toEqual({ driver: 'gpio', id: 'front-lock', pin: 17, failMode: 'secure' });
  });

  it('gives editors one schema branch per driver, each with the fields it needs', () => {
    const branches = (DoorConfig.properties.reader as unknown as { anyOf: Array<{ properties: Record<string, { const?: string }>; required: string[] }> })
      .anyOf;
    expect(branches.map((b) => [b.properties.driver!.const, [...b.required].sort()])).toEqual([
      ['sim', ['driver', 'id']],
      ['serial', ['driver', 'id', 'path', 'protocol']],
      ['osdp', ['address', 'driver', 'id', 'path']],
    ]);
  });
});
