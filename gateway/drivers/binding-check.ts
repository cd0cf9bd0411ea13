// Boot-time checks of the driver bindings that the schema cannot express in a way that names
// the bad key: the fields each driver needs (serial: path and protocol, gpio: pin), fields a
// driver does not use, card formats per protocol, and no GPIO pin or serial port bound twice.
// A problem is a ConfigError naming the key, like every other config error.
import { ConfigError } from '../../config/load.ts';
import type { DeskConfig, DoorConfig, SiteConfig } from '../../config/schema.ts';
import { readerFormats } from '../../contracts/readers.ts';

type Binding = Record<string, unknown> & { driver: string; id: string };

const FIELDS: Record<string, Record<string, readonly string[]>> = {
  reader: { sim: [], serial: ['path', 'protocol', 'baudRate', 'format', 'holdMs'] },
  lock: { sim: ['failMode'], gpio: ['failMode', 'pin', 'activeLow'] },
  input: { sim: [], gpio: ['pin', 'activeLow', 'debounceMs'] },
  deskSensor: { sim: [], gpio: ['pin', 'activeLow', 'debounceMs'], serial: ['path', 'protocol', 'baudRate', 'maxGate', 'noOneS'] },
};
const REQUIRED: Record<string, readonly string[]> = { serial: ['path', 'protocol'], gpio: ['pin'] };

export function checkBindings(config: SiteConfig, gatewayId: string): void {
  const pins = new Map<number, string>();
  const paths = new Map<string, string>();
  const claim = <K>(map: Map<K, string>, k: K | undefined, key: string, what: string) => {
    if (k === undefined) return;
    const prev = map.get(k);
    if (prev) throw new ConfigError(`${key}: ${what} ${String(k)} already used at ${prev}`, key);
    map.set(k, key);
  };
  const one = (b: Binding, kind: string, key: string) => {
    const allowed = FIELDS[kind]![b.driver] ?? [];
    for (const f of Object.keys(b)) {
      if (f !== 'driver' && f !== 'id' && !allowed.includes(f)) throw new ConfigError(`${key}.${f}: not used by driver ${b.driver}`, `${key}.${f}`);
    }
    for (const f of REQUIRED[b.driver] ?? []) {
      if (b[f] === undefined) throw new ConfigError(`${key}.${f}: missing, required for driver ${b.driver}`, `${key}.${f}`);
    }
    claim(pins, b.pin as number | undefined, `${key}.pin`, 'GPIO');
    claim(paths, b.path as string | undefined, `${key}.path`, 'serial port');
  };

  config.doors.forEach((d: DoorConfig, i) => {
    if (d.gateway !== gatewayId) return;
    const reader = d.reader as Binding;
    one(reader, 'reader', `doors[${i}].reader`);
    if (d.reader.driver === 'serial' && d.reader.format && d.reader.protocol) {
      const ok = readerFormats(d.reader.protocol);
      if (!ok.includes(d.reader.format)) {
        throw new ConfigError(`doors[${i}].reader.format: ${d.reader.protocol} reads ${ok.join(', ')}`, `doors[${i}].reader.format`);
      }
    }
    one(d.lock as Binding, 'lock', `doors[${i}].lock`);
    if (d.contact) one(d.contact as Binding, 'input', `doors[${i}].contact`);
    if (d.exitButton) one(d.exitButton as Binding, 'input', `doors[${i}].exitButton`);
  });

  // Device ids are topic ids; config/load.ts checks all but the extra desk sensors.
  const ids = new Map<string, string>();
  config.doors.forEach((d, i) => {
    ids.set(d.reader.id, `doors[${i}].reader.id`);
    ids.set(d.lock.id, `doors[${i}].lock.id`);
    if (d.contact) ids.set(d.contact.id, `doors[${i}].contact.id`);
    if (d.exitButton) ids.set(d.exitButton.id, `doors[${i}].exitButton.id`);
  });
  config.desks.forEach((d, i) => ids.set(d.sensor.id, `desks[${i}].sensor.id`));
  config.desks.forEach((d: DeskConfig, i) => {
    d.extraSensors?.forEach((s, j) => {
      const key = `desks[${i}].extraSensors[${j}].id`;
      claim(ids, s.id, key, 'device id');
    });
    if (d.gateway !== gatewayId) return;
    [d.sensor, ...(d.extraSensors ?? [])].forEach((s, j) => {
      const key = j === 0 ? `desks[${i}].sensor` : `desks[${i}].extraSensors[${j - 1}]`;
      one(s as Binding, 'deskSensor', key);
    });
  });
}
